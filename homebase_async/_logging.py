"""The `homebase_async` logger, switched on by `HOMEBASE_LOG=debug|info`."""

from __future__ import annotations

import logging
import os

__all__ = ["logger", "setup_from_env"]

logger = logging.getLogger("homebase_async")
logger.addHandler(logging.NullHandler())
# stamina logs every scheduled retry at WARNING. In a program that configures no logging,
# Python's last-resort handler would print those as bare "stamina.retry_scheduled" lines on
# stderr; a NullHandler stops only that, and apps that configure logging still get them.
logging.getLogger("stamina").addHandler(logging.NullHandler())
_configured = False


def setup_from_env() -> None:
    """Attach a stderr handler once when `HOMEBASE_LOG` asks for it; apps configure their own."""
    global _configured
    level = os.environ.get("HOMEBASE_LOG", "").strip().lower()
    if _configured or level not in ("debug", "info"):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
    _configured = True

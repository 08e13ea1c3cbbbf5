"""The `homebase_async` logger, switched on by `HOMEBASE_LOG=debug|info`."""

from __future__ import annotations

import logging
import os

__all__ = ["logger", "setup_from_env", "user_code_failed"]

logger = logging.getLogger("homebase_async")
logger.addHandler(logging.NullHandler())
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


_reported: set[str] = set()


def user_code_failed(where: str, exc: BaseException) -> None:
    """Log an exception of the user's code (a hook, a span processor) that the SDK swallowed.

    The first from each place is a WARNING with its traceback; later ones are DEBUG lines, so
    a hook failing on each of 10,000 calls does not flood the log. It never reaches the call.
    """
    if where in _reported:
        logger.debug("%s raised %s again; ignored", where, type(exc).__name__)
        return
    _reported.add(where)
    logger.warning(
        "%s raised %s; ignored, it does not change the outcome of any call "
        "(later failures are logged at DEBUG)",
        where,
        type(exc).__name__,
        exc_info=exc,
    )

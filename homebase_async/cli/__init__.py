"""The `homebase` command line (the `cli` extra): bulk sync with the API, the fake, a demo.

This module imports nothing of the extra, so that the `homebase` command of an install
without it says in one line what to install (exit 3) instead of a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._commands import cli as cli

__all__ = ["EXIT_NO_EXTRA", "cli", "main"]

#: The exit code when the `cli` extra is not installed (as for other configuration problems).
EXIT_NO_EXTRA = 3
_EXTRA = ("click", "rich")
NO_EXTRA = (
    "homebase: the command line needs the cli extra: pip install 'homebase-async[cli]' "
    "(in a checkout of homebase-async: pip install '.[cli]')"
)


def _extra_missing(error: ModuleNotFoundError) -> bool:
    name = error.name or ""
    return name.split(".")[0] in _EXTRA


def main(argv: Sequence[str] | None = None) -> int:
    """Run `homebase` with `argv` (default: the process arguments); returns the exit code."""
    try:
        from ._main import main as run
    except ModuleNotFoundError as exc:
        if not _extra_missing(exc):
            raise
        print(NO_EXTRA, file=sys.stderr)
        return EXIT_NO_EXTRA
    return run(argv)


def __getattr__(name: str) -> Any:
    # `cli` (the click group) needs the extra: imported on first use.
    if name == "cli":
        from ._main import cli as group

        return group
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

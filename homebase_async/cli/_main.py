"""`homebase`'s entry point, once the `cli` extra is known to be installed."""

from __future__ import annotations

from collections.abc import Sequence

import click

from . import _journal_cmds, _sync_cmds  # noqa: F401 - register `journal`, `customers sync`
from ._commands import cli, quiet_stdout
from ._run import EXIT_INTERRUPTED, EXIT_OK

__all__ = ["cli", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run `homebase` with `argv` (default: the process arguments); returns the exit code."""
    try:
        result = cli.main(
            args=None if argv is None else list(argv), prog_name="homebase", standalone_mode=False
        )
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("homebase: interrupted", err=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader stopped reading (`| head -1`): quietly done
        quiet_stdout()
        return EXIT_OK
    return result if isinstance(result, int) else 0

"""A progress bar on standard error, shown only when standard error is a terminal."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

__all__ = ["OnProgress", "progress_bar", "wants_progress"]

OnProgress = Callable[[int, "int | None"], None]


def wants_progress(choice: bool | None) -> bool:
    """`--progress/--no-progress` when given, else whether standard error is a terminal."""
    if choice is not None:
        return choice
    return sys.stderr.isatty()


def _ignore(done: int, total: int | None) -> None:
    pass


@contextlib.contextmanager
def progress_bar(label: str, *, enabled: bool) -> Iterator[OnProgress]:
    """An `on_progress(done, total)` callback drawing a bar; a no-op when not enabled.

    `total=None` (not known yet) shows a pulsing bar with the count so far.
    """
    if not enabled:
        yield _ignore
        return
    console = Console(stderr=True)
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        # Rich would route sys.stdout through the (stderr) console while the bar shows,
        # sending streamed records to the terminal instead of the pipe or file.
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = bar.add_task(label, total=None)

    def update(done: int, total: int | None) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update

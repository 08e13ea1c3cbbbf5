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
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

__all__ = ["OnFraction", "OnProgress", "fraction_bar", "progress_bar", "wants_progress"]

OnProgress = Callable[[int, "int | None"], None]
#: `(fraction of the work done, records so far)`.
OnFraction = Callable[[float, int], None]


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


def _ignore_fraction(fraction: float, count: int) -> None:
    pass


@contextlib.contextmanager
def fraction_bar(label: str, unit: str, *, enabled: bool) -> Iterator[OnFraction]:
    """A bar for work whose size is unknown but whose progress is a fraction (a time range
    read in order): the percentage done and the records so far."""
    if not enabled:
        yield _ignore_fraction
        return
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[count]:,} " + unit),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = bar.add_task(label, total=1.0, count=0)

    def update(fraction: float, count: int) -> None:
        bar.update(task, completed=min(max(fraction, 0.0), 1.0), count=count)

    with bar:
        yield update

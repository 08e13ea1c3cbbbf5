"""`homebase jobs export` and `leads export`: stream every record to a file."""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Iterator, Sequence

from .. import TruncatedResultWarning
from ._output import OutputPathError, open_output, plural, row_writer
from ._progress import fraction_bar, progress_bar
from ._resume import forget_export, resumable_output, resume_point
from ._run import EXIT_OK, EXIT_PARTIAL, note
from ._settings import Settings

__all__ = ["export_jobs", "export_leads", "truncation_reported"]


@contextlib.contextmanager
def truncation_reported() -> Iterator[list[str]]:
    """Collect TruncatedResultWarning messages; other warnings go on as usual."""
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TruncatedResultWarning)
        yield messages
    for item in caught:
        if issubclass(item.category, TruncatedResultWarning):
            messages.append(str(item.message))
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    for message in messages:
        note(f"warning: {message}")


async def export_jobs(
    settings: Settings,
    start: dt.datetime,
    end: dt.datetime,
    output_format: str,
    output: str | None,
    *,
    resume: bool = False,
) -> int:
    """Stream every job of [start, end] to the output; 1 when the API truncated a result.

    `resume`: append to the output file as jobs come, after the last job it already holds.
    """
    count = 0
    span = max((end - start).total_seconds(), 1e-6)
    after = resume_point(output) if resume and output else None
    if after is not None and not start <= after[0] <= end:
        # Not this range's file after all (its record was edited or lost): 0 jobs and exit 0
        # would look like a finished export.
        raise OutputPathError(
            f"-o {output}: its last job starts {after[0].isoformat()}, outside --from "
            f"{start.isoformat()} --to {end.isoformat()}"
        )
    if after is not None:
        note(f"jobs export: resuming after job {after[1]} ({after[0].isoformat()})")
    with (
        truncation_reported() as truncated,
        # Jobs arrive in start order, so the start of the last one is the fraction done.
        fraction_bar("jobs export", "jobs", enabled=settings.show_progress) as on_fraction,
        resumable_output(output) if resume and output else open_output(output) as handle,
    ):
        write = row_writer(handle, output_format, "job")
        async with (
            settings.client() as hb,
            hb.jobs.iterate(start, end, concurrency=settings.concurrency, after=after) as jobs,
        ):
            async for job in jobs:
                write(job.to_dict())
                count += 1
                if isinstance(job.start, dt.datetime):
                    on_fraction((job.start - start).total_seconds() / span, count)
    if output not in (None, "-") and not resume:
        # The file now holds this export, not the one a --resume run recorded for it.
        forget_export(output)
    note(f"jobs export: {plural(count, 'job')} from {start.isoformat()} to {end.isoformat()}")
    return EXIT_PARTIAL if truncated else EXIT_OK


async def export_leads(
    settings: Settings,
    statuses: Sequence[str],
    customer_ids: Sequence[str],
    output_format: str,
    output: str | None,
) -> int:
    """Stream every non-archived lead matching the filters to the output."""
    count = 0
    with (
        truncation_reported() as truncated,
        progress_bar("leads export", enabled=settings.show_progress) as on_progress,
        open_output(output) as handle,
    ):
        write = row_writer(handle, output_format, "lead")
        async with settings.client() as hb:
            leads = hb.leads.iterate(
                statuses=list(statuses) or None,
                customer_ids=list(customer_ids) or None,
                concurrency=settings.concurrency,
            )
            async for lead in leads:
                write(lead.to_dict())
                count += 1
                on_progress(count, None)
    note(f"leads export: {plural(count, 'lead')}")
    return EXIT_PARTIAL if truncated else EXIT_OK

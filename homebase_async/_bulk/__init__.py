"""The one bulk-write engine, its worker pool, journal stores and reports."""

from ._journal import Journal
from ._pool import (
    Outcome,
    Progress,
    Tally,
    TruncatedResultWarning,
    effective_concurrency,
    pool,
    run_bulk,
    unique,
)
from ._reports import CreateReport, SendReport, UpsertReport

__all__ = [
    "CreateReport",
    "Journal",
    "Outcome",
    "Progress",
    "SendReport",
    "Tally",
    "TruncatedResultWarning",
    "UpsertReport",
    "effective_concurrency",
    "pool",
    "run_bulk",
    "unique",
]

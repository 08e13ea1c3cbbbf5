"""The one bulk-write engine, its worker pool, journal stores and reports."""

from ._earlier import ItemChangedError
from ._journal import Journal
from ._options import SendOptions, WriteOptions
from ._pool import (
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
    "ItemChangedError",
    "Journal",
    "Progress",
    "SendOptions",
    "SendReport",
    "Tally",
    "TruncatedResultWarning",
    "UpsertReport",
    "WriteOptions",
    "effective_concurrency",
    "pool",
    "run_bulk",
    "unique",
]

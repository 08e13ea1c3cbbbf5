"""`journal=`: where a bulk run keeps its rows, and how long it waits for the lease.

One obvious way: a file path (SQLite, one machine) or a `postgresql://` URL naming the run
(`postgresql://user@host/db?run=nightly-acme`, shared by every machine of a task queue). A
`Journal(location, wait=...)` carries the same location with options.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import urllib.parse
from collections.abc import AsyncIterator

import attrs

from .._errors import ValidationError
from ._pg_common import POSTGRES_SCHEMES, redact_url
from ._postgres import PostgresStore
from ._sqlite import SqliteStore
from ._store import Holder, JournalStore

__all__ = [
    "HeldJournal",
    "Journal",
    "JournalArg",
    "as_journal",
    "hold_journal",
    "open_store",
    "redact_url",
]


def _fspath(value: str | os.PathLike[str]) -> str:
    # Anything else reaches the validator unchanged, which names it.
    return os.fspath(value) if isinstance(value, os.PathLike) else value


def _check_location(instance: object, attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError(
            "journal", f"expected a file path or a postgresql:// URL, got {value!r:.80}"
        )
    if "\x00" in value:
        raise ValidationError("journal", "the path contains a NUL character")


def _check_wait(instance: object, attribute: object, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ValidationError("journal", f"wait must be a number of seconds >= 0, got {value!r}")


@attrs.frozen
class Journal:
    """A bulk run's journal: `location` (a path or a `postgresql://...?run=NAME` URL), and
    `wait`, the seconds to wait for the lease another run holds before `JournalBusyError`."""

    location: str = attrs.field(converter=_fspath, validator=_check_location)
    wait: float = attrs.field(default=0.0, kw_only=True, validator=_check_wait)

    @property
    def is_postgres(self) -> bool:
        return urllib.parse.urlsplit(self.location).scheme in POSTGRES_SCHEMES

    def __repr__(self) -> str:
        return f"Journal({redact_url(self.location)!r}, wait={self.wait!r})"


class HeldJournal:
    """A journal whose lease this program holds across several bulk calls: each call with
    `journal=held` uses it without taking or releasing the lease (`hold_journal`).

    The calls run one at a time (a call waits for the one before it), as parts of one run:
    identical items are numbered across them, and only the business that holds it may use it.
    """

    def __init__(self, journal: Journal, store: JournalStore, *, scope: str) -> None:
        self.journal = journal
        self.store = store
        self.scope = scope
        self.lock = asyncio.Lock()
        #: Per operation: how often each identity was seen by the calls so far.
        self.seen: dict[str, dict[str, int]] = {}

    def __repr__(self) -> str:
        return f"HeldJournal({redact_url(self.journal.location)!r})"


#: What `journal=` takes.
JournalArg = str | os.PathLike[str] | Journal | HeldJournal | None


def as_journal(value: object) -> Journal | HeldJournal | None:
    """A `journal=` argument as a Journal, or ValidationError (before any request)."""
    if value is None or isinstance(value, Journal | HeldJournal):
        return value
    if isinstance(value, str | os.PathLike):
        return Journal(os.fspath(value))
    raise ValidationError(
        "journal", f"expected a file path or a postgresql:// URL, got {value!r:.80}"
    )


def open_store(journal: Journal, *, scope: str) -> JournalStore:
    """The store behind `journal`; `scope` names the business (a digest of its API key), so
    one PostgreSQL database serves many businesses without their rows or leases meeting."""
    if journal.is_postgres:
        # The driver is an optional extra: PostgresStore's ImportError names it.
        return PostgresStore(journal.location, scope=scope)
    return SqliteStore(journal.location, scope=scope)


@contextlib.asynccontextmanager
async def hold_journal(journal: JournalArg, *, scope: str) -> AsyncIterator[HeldJournal]:
    """Take `journal`'s lease for the length of the block (JournalBusyError if another run
    holds it), so several bulk calls run as one run: nothing else writes it in between."""
    spec = as_journal(journal)
    if spec is None:
        raise ValidationError("journal", "expected a file path or a postgresql:// URL, got None")
    if isinstance(spec, HeldJournal):
        yield spec
        return
    store = open_store(spec, scope=scope)
    await store.acquire(Holder.here(), wait=spec.wait)
    try:
        yield HeldJournal(spec, store, scope=scope)
    finally:
        await store.close()

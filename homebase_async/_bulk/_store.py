"""What a journal store is: rows of a run's items, and a lease that dies with its holder.

A bulk run writes each item's row before its request is sent ("in flight") and again once its
outcome is known, so a later run (on this machine or another) never writes it twice. The
rows live in a store: a SQLite file (`_sqlite.py`) or a PostgreSQL database (`_postgres.py`).
Both keep the same rows and give the same guarantees:

- `acquire` takes the run's exclusive lease, or raises `JournalBusyError` naming the holder.
  The lease is held by something the operating system or the database ends with its holder
  (an OS file lock; a PostgreSQL session lock), so a killed run never leaves a stale lease.
- `start` commits "in flight" durably before it returns; a store that cannot commit raises
  `JournalError`, and the item's request is then never sent.
- `finish` commits an outcome; a failure is reported by raising `JournalError` (the engine
  logs it: the outcome is already in the report, and the row left "in flight" makes a re-run
  settle the item instead of trusting it).

One row per (operation, key): `key` is the item's identity (its natural key, or the caller's
`key(item)`), `digest` a hash of its content, so a re-run recognises an edited item.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import socket
from typing import Any, Protocol

import attrs

from .._errors import JournalError

__all__ = [
    "COLUMNS",
    "COLUMNS_DDL",
    "SCHEMA_VERSION",
    "Holder",
    "JournalStore",
    "Row",
    "State",
    "check_version",
    "writes",
]

#: The rows' layout; a store refuses a journal written with a newer one.
SCHEMA_VERSION = 2


class State(enum.StrEnum):
    """Where an item's row stands."""

    IN_FLIGHT = "in_flight"  # its request may be on the wire; `action` says which
    DONE = "done"  # `outcome` says what was done, `result` holds the id (or sent message)
    FAILED = "failed"  # not written; safe to send again
    NOT_SENT = "not_sent"  # an SMS the daily budget held back; safe to send again
    UNKNOWN = "outcome_unknown"  # may or may not have been written; never sent again


@attrs.frozen(kw_only=True)
class Row:
    """One item's row as a store keeps it (`item` and `result` as JSON text)."""

    operation: str
    key: str
    digest: str
    state: State
    action: str | None = None
    outcome: str | None = None
    result: str | None = None
    error: str | None = None
    attempts: int = 0
    item: str = "{}"
    updated: str = ""

    def start_values(self) -> tuple[str | None, ...]:
        """What `start` commits, in the order of `writes`' first statement."""
        return (
            *(self.operation, self.key, self.digest, str(State.IN_FLIGHT), self.action),
            *(self.item, self.updated),
        )

    def outcome_values(self) -> tuple[str | None, ...]:
        """What `finish` commits, in the order of `writes`' second statement."""
        return (
            *(self.operation, self.key, self.digest, str(self.state), self.action),
            *(self.outcome, self.result, self.error, self.item, self.updated),
        )

    @classmethod
    def from_values(cls, values: tuple[object, ...]) -> Row:
        """A row read back as `SELECT {COLUMNS}` gives it."""
        op, key, digest, state, action, outcome, result, error, attempts, item, updated = values
        return cls(
            operation=str(op),
            key=str(key),
            digest=str(digest),
            state=State(str(state)),
            action=_text(action),
            outcome=_text(outcome),
            result=_text(result),
            error=_text(error),
            attempts=int(attempts),  # type: ignore[call-overload]
            item=str(item),
            updated=str(updated),
        )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


#: A row's columns as both stores select them (`Row.from_values`).
COLUMNS = "operation, key, digest, state, action, outcome, result, error, attempts, item, updated"
#: The same columns as both stores' item tables declare them (after their own key columns).
COLUMNS_DDL = """
    operation TEXT NOT NULL,
    key       TEXT NOT NULL,
    digest    TEXT NOT NULL,
    state     TEXT NOT NULL,
    action    TEXT,
    outcome   TEXT,
    result    TEXT,
    error     TEXT,
    attempts  INTEGER NOT NULL DEFAULT 0,
    item      TEXT NOT NULL,
    updated   TEXT NOT NULL,"""


def check_version(name: str, version: str) -> None:
    """Refuse a journal whose schema is newer than this SDK's (it may mean other things)."""
    if int(version) > SCHEMA_VERSION:
        raise JournalError(
            f"journal {name!r} has schema {version}, newer than this SDK's {SCHEMA_VERSION}: "
            "upgrade homebase-async"
        )


def writes(table: str, scope: tuple[str, ...] = ()) -> tuple[str, str]:
    """Both stores' `start` and `finish` statements on `table` (`?` marks; the `scope` columns
    come first in the key and the values). `start` counts an attempt and clears the last
    outcome; `finish` keeps the action of the row in flight when it names none."""
    keys = ", ".join([*scope, "operation", "key"])
    marks = "?, " * len(scope)
    start = (
        f"INSERT INTO {table} AS i ({keys}, digest, state, action, attempts, item, updated)"
        f" VALUES ({marks}?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT ({keys}) DO UPDATE SET"
        " digest = excluded.digest, state = excluded.state, action = excluded.action,"
        " outcome = NULL, result = NULL, error = NULL, attempts = i.attempts + 1,"
        " item = excluded.item, updated = excluded.updated"
    )
    finish = (
        f"INSERT INTO {table} AS i ({keys}, digest, state, action, outcome, result, error,"
        f" item, updated) VALUES ({marks}?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ({keys})"
        " DO UPDATE SET digest = excluded.digest, state = excluded.state,"
        " action = COALESCE(excluded.action, i.action), outcome = excluded.outcome,"
        " result = excluded.result, error = excluded.error, item = excluded.item,"
        " updated = excluded.updated"
    )
    return start, finish


@attrs.frozen(kw_only=True)
class Holder:
    """Who holds a lease: enough for a person to find the process."""

    pid: int
    host: str
    started: str
    run: str = ""

    @classmethod
    def here(cls, run: str = "") -> Holder:
        """This process, now."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        return cls(pid=os.getpid(), host=socket.gethostname(), started=now, run=run)

    def describe(self) -> str:
        run = f" (run {self.run!r})" if self.run else ""
        return f"pid {self.pid} on {self.host}, since {self.started}{run}"

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


class JournalStore(Protocol):
    """A journal's rows and its lease (see the module docstring)."""

    #: How the store is named in messages (a path, or a URL without its password).
    name: str

    async def acquire(self, holder: Holder, *, wait: float) -> None:
        """Open the store (creating its schema) and take the lease, waiting up to `wait`
        seconds; `JournalBusyError` if another run holds it, `JournalError` if the store
        cannot be opened."""
        ...

    async def read(self, operation: str) -> dict[str, Row]:
        """Every row of `operation`, by key (JournalError if unreadable)."""
        ...

    async def start(self, row: Row) -> None:
        """Commit `row` as in flight (attempts counted), durably, before its request."""
        ...

    async def finish(self, row: Row) -> None:
        """Commit an outcome row (made if the item was never in flight)."""
        ...

    async def rows(self) -> list[Row]:
        """Every row of every operation (for `homebase journal show`)."""
        ...

    async def resolve(
        self,
        operation: str,
        key: str,
        *,
        state: State,
        outcome: str | None,
        result: str | None,
        note: str,
    ) -> bool:
        """Settle an `outcome_unknown` or `in_flight` row as a person checked it (`done` with
        its outcome and result, or `failed`: not written); False if no such row is open."""
        ...

    async def close(self) -> None:
        """Release the lease and close the store (safe to call twice)."""
        ...

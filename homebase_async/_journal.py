"""The write-ahead journal of bulk writes: one SQLite file (standard library, WAL mode).

Before an item's request is sent its key and `in_flight` are committed; its outcome is
committed once known. A later run with the same journal reads what was done and what was in
flight when a process died. The file is meant to be read by people:

    sqlite3 run.journal "SELECT operation, state, outcome, result, item FROM items"

One row per (operation, key). States: `in_flight` (`outcome`: the action under way), `done`
(`outcome`: created, updated, unchanged or sent; `result`: the id or the sent message as JSON),
`failed`, `not_sent` and `outcome_unknown` (`error`: why).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ._errors import JournalError, ValidationError

__all__ = [
    "DONE",
    "FAILED",
    "IN_FLIGHT",
    "UNKNOWN",
    "Entry",
    "Journal",
    "KeyFunc",
    "item_keys",
    "open_journal",
    "proved_performed",
]

_log = logging.getLogger("homebase_async")

#: Seconds a commit waits for a lock another connection holds before it fails.
BUSY_TIMEOUT = 1.0

IN_FLIGHT = "in_flight"
DONE = "done"
FAILED = "failed"
UNKNOWN = "outcome_unknown"

#: A caller's own item key: the item in, a string out.
KeyFunc = Callable[[Mapping[str, Any]], str]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    operation TEXT NOT NULL,
    key       TEXT NOT NULL,
    state     TEXT NOT NULL,
    outcome   TEXT,
    result    TEXT,
    error     TEXT,
    attempts  INTEGER NOT NULL DEFAULT 0,
    item      TEXT NOT NULL,
    updated   TEXT NOT NULL,
    PRIMARY KEY (operation, key)
)
"""


def _canonical(item: Mapping[str, Any]) -> str:
    return json.dumps(item, sort_keys=True, separators=(",", ":"), default=str)


def item_keys(items: Sequence[Mapping[str, Any]], key: KeyFunc | None = None) -> list[str]:
    """Each item's journal key: the caller's `key(item)`, or a digest of its content.

    Identical items get `#2`, `#3`... appended, so a list that holds the same message twice
    on purpose still sends it twice; a caller's keys must be unique.
    """
    keys: list[str] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if key is not None:
            try:
                value = key(item)
            except Exception as exc:  # the caller's function: its failure is bad input
                raise ValidationError(
                    "key", f"item {index}: key(item) raised {type(exc).__name__}: {exc}"
                ) from exc
            if not isinstance(value, str) or not value:
                raise ValidationError("key", f"item {index}: expected a non-empty string")
            if value in seen:
                raise ValidationError("key", f"item {index}: key {value!r} is not unique")
            seen[value] = 1
            keys.append(value)
            continue
        digest = hashlib.sha256(_canonical(item).encode()).hexdigest()[:32]
        count = seen[digest] = seen.get(digest, 0) + 1
        keys.append(digest if count == 1 else f"{digest}#{count}")
    return keys


@attrs.frozen
class Entry:
    """One journal row as read back."""

    state: str
    outcome: str | None
    result: Any
    error: str | None
    attempts: int


def proved_performed(entry: Entry | None) -> bool:
    """Whether an earlier run left this item unknown although a success status proved the
    write: it exists, so it must never be sent again, even if a search does not find it."""
    return (
        entry is not None
        and entry.state == UNKNOWN
        and isinstance(entry.result, dict)
        and entry.result.get("performed") is True
    )


class Journal:
    """One operation's rows of a journal file (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str], operation: str) -> None:
        self.path = os.fspath(path)
        self.operation = operation
        # Used from the event loop's thread only; commits are short, so no thread pool.
        # A short busy timeout: the calls block the event loop, and a journal locked by another
        # process is a misuse (one journal per job) to report, not to wait out.
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT)
        self._broken: JournalError | None = None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed (what this guards
            # against); a power cut may lose the last commits.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except sqlite3.Error:
            self._db.close()
            raise

    def read(self, keys: Sequence[str]) -> dict[str, Entry]:
        """The entries of these keys that an earlier run wrote."""
        try:
            rows = self._db.execute(
                "SELECT key, state, outcome, result, error, attempts FROM items"
                " WHERE operation = ?",
                (self.operation,),
            ).fetchall()
        except sqlite3.Error as exc:
            # The run stops here, before any request: nothing else will close it.
            self._db.close()
            raise self._error("cannot be read", exc) from None
        wanted = set(keys)
        found: dict[str, Entry] = {}
        for key, state, outcome, result, error, attempts in rows:
            if key in wanted:
                value = None if result is None else json.loads(result)
                found[key] = Entry(state, outcome, value, error, attempts)
        return found

    def _error(self, what: str, exc: sqlite3.Error) -> JournalError:
        return JournalError(f"journal {self.path!r} {what}: {exc}")

    def start(self, key: str, item: Mapping[str, Any], *, action: str | None = None) -> None:
        """Commit "in flight" for `key` before its request is sent (`action`: what it does).

        JournalError if it cannot be committed: the request must then not be sent.
        """
        if self._broken is not None:  # once failed, fail the rest at once (no lock waits)
            raise self._broken
        try:
            self._start(key, item, action)
        except sqlite3.Error as exc:
            self._broken = self._error("cannot record an item in flight", exc)
            raise self._broken from None

    def _start(self, key: str, item: Mapping[str, Any], action: str | None) -> None:
        self._db.execute(
            "INSERT INTO items (operation, key, state, outcome, attempts, item, updated)"
            " VALUES (?, ?, ?, ?, 1, ?, ?)"
            " ON CONFLICT (operation, key) DO UPDATE SET state = excluded.state,"
            " outcome = excluded.outcome, result = NULL, error = NULL,"
            " attempts = attempts + 1, updated = excluded.updated",
            (self.operation, key, IN_FLIGHT, action, _canonical(item), _now()),
        )

    def finish(
        self,
        key: str,
        state: str,
        *,
        outcome: str | None = None,
        result: Any = None,
        error: str | None = None,
        item: Mapping[str, Any] | None = None,
    ) -> None:
        """Commit the outcome of `key` (the row is made if the item was never in flight).

        A failure is logged, not raised: the outcome is already known and goes in the report;
        the row stays "in flight", so a re-run settles the item instead of trusting it.
        """
        encoded = None if result is None else json.dumps(result, default=str)
        if self._broken is not None:
            _log.warning("%s; a re-run settles this item", self._broken)
            return
        try:
            self._finish(key, state, outcome, encoded, error, item)
        except sqlite3.Error as exc:
            self._broken = self._error("missed an outcome", exc)
            _log.warning("%s; a re-run settles this item", self._broken)

    def _finish(
        self,
        key: str,
        state: str,
        outcome: str | None,
        encoded: str | None,
        error: str | None,
        item: Mapping[str, Any] | None,
    ) -> None:
        self._db.execute(
            "INSERT INTO items (operation, key, state, outcome, result, error, item, updated)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (operation, key) DO UPDATE SET state = excluded.state,"
            # An unknown outcome keeps the action that was in flight: a re-run settles by it.
            " outcome = CASE WHEN excluded.state = 'outcome_unknown'"
            " THEN COALESCE(excluded.outcome, items.outcome) ELSE excluded.outcome END,"
            " result = excluded.result, error = excluded.error, updated = excluded.updated",
            (
                self.operation,
                key,
                state,
                outcome,
                encoded,
                error,
                _canonical(item or {}),
                _now(),
            ),
        )

    def close(self) -> None:
        self._db.close()


def open_journal(path: str | os.PathLike[str] | None, operation: str) -> Journal | None:
    """The journal at `path` for `operation`, or None without a path."""
    if path is None:
        return None
    if not isinstance(path, str | os.PathLike):
        raise ValidationError("journal", f"expected a file path, got {path!r:.80}")
    try:
        return Journal(path, operation)
    except sqlite3.Error as exc:
        raise JournalError(f"journal {os.fspath(path)!r} cannot be opened: {exc}") from None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")

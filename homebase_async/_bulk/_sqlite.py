"""The journal store in one SQLite file (standard library, WAL mode), for runs on one machine.

The lease is an OS lock (`flock`) on the journal file itself, so every path to it (a symlink,
a hard link, another mount) meets the same lock; the kernel drops it when its holder exits,
however it exits, so SIGKILL never leaves a stale lease. `JOURNAL.lock` beside it holds the
holder's pid, host and start time, for the error a second run gets (a courtesy: the lock is
the lease). The journal records the business (a digest of its API key) it was first used for,
and refuses another's.
The journal is meant to be read by people:

    sqlite3 run.journal "SELECT operation, state, outcome, result, item FROM items"
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import time

from .._errors import JournalBusyError, JournalError
from ._store import COLUMNS, COLUMNS_DDL, SCHEMA_VERSION, Holder, Row, State, check_version, writes

__all__ = ["SqliteStore"]

#: Seconds a commit waits for SQLite's own lock: only readers such as `sqlite3` share a file
#: whose lease this run holds, and they hold it briefly.
BUSY_TIMEOUT = 1.0
#: The journals (device, inode) whose lease this process holds.
_HELD: set[tuple[int, int]] = set()
#: How often a run given `wait=` tries the lease again.
POLL = 0.1

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items ({COLUMNS_DDL}
    PRIMARY KEY (operation, key)
);
"""
_START, _FINISH = writes("items")


class SqliteStore:
    """A journal file and its lease (see the module docstring)."""

    def __init__(self, path: str, *, scope: str = "") -> None:
        self.path = path
        self.name = path
        #: The business this run writes for; "" (a tool such as `homebase journal`): any.
        self.scope = scope
        self._db: sqlite3.Connection | None = None
        self._lock_fd: int | None = None
        self._broken: JournalError | None = None
        self._inode = (0, 0)

    async def acquire(self, holder: Holder, *, wait: float) -> None:
        deadline = time.monotonic() + wait
        while not self._try_lock(holder):
            if time.monotonic() >= deadline:
                raise JournalBusyError(self.name, self._holder())
            await asyncio.sleep(POLL)
        try:
            self._open()
        except BaseException:
            await self.close()
            raise

    def _try_lock(self, holder: Holder) -> bool:
        try:
            import fcntl  # POSIX: file journals need flock
        except ImportError:
            raise JournalError(
                f"journal {self.name!r}: file journals need a POSIX system (flock); "
                "use a postgresql:// journal"
            ) from None
        with contextlib.suppress(OSError):
            known = os.stat(self.path)
            if (known.st_dev, known.st_ino) in _HELD:
                # Held in this process: refused without opening the file, since closing any
                # descriptor of it would drop the POSIX locks SQLite holds on it here.
                return False
        try:
            # SQLite takes an empty file for a new database.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise JournalError(f"journal {self.name!r} cannot be locked: {exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError as exc:
            os.close(fd)
            raise JournalError(f"journal {self.name!r} cannot be locked: {exc}") from None
        self._lock_fd = fd
        stat = os.fstat(fd)
        self._inode = (stat.st_dev, stat.st_ino)
        _HELD.add(self._inode)
        # Who holds it is a courtesy (the lock is the lease).
        with (
            contextlib.suppress(OSError),
            open(self.path + ".lock", "w", encoding="utf-8") as handle,
        ):
            json.dump(holder.to_json(), handle)
        return True

    def _holder(self) -> Holder | None:
        try:
            with open(self.path + ".lock", encoding="utf-8") as handle:
                return Holder(**json.load(handle))
        except (OSError, ValueError, TypeError):
            return None

    def _open(self) -> None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT)
        except sqlite3.Error as exc:
            raise JournalError(f"journal {self.name!r} cannot be opened: {exc}") from None
        self._db = db
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed (what this guards
            # against); a power cut may lose the last commits.
            db.execute("PRAGMA synchronous=NORMAL")
            old = db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'items'"
                " AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'meta')"
            ).fetchone()
            if old is not None:
                raise JournalError(
                    f"journal {self.name!r} was written by homebase-async 0.2 (rows keyed by "
                    "content, not identity): finish its run with 0.2, or start a new journal"
                )
            version = _version(db)
            if version is None:  # a new journal (no write when it exists: readers may hold it)
                db.executescript(_SCHEMA)
                db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                version = str(SCHEMA_VERSION)
            owner = _meta(db, "scope")
            if owner is None and self.scope:
                db.execute("INSERT INTO meta VALUES ('scope', ?)", (self.scope,))
            elif owner is not None and self.scope and owner != self.scope:
                raise JournalError(
                    f"journal {self.name!r} belongs to another business (another API key): "
                    "its rows say nothing of this one's items"
                )
        except sqlite3.Error as exc:
            raise JournalError(f"journal {self.name!r} cannot be opened: {exc}") from None
        check_version(self.name, version)

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise JournalError(f"journal {self.name!r} is not open")
        return self._db

    async def read(self, operation: str) -> dict[str, Row]:
        return {row.key: row for row in self._select("WHERE operation = ?", operation)}

    async def rows(self) -> list[Row]:
        return self._select("ORDER BY operation, updated")

    def _select(self, rest: str, *values: str) -> list[Row]:
        try:
            found = self._conn().execute(f"SELECT {COLUMNS} FROM items {rest}", values)
            return list(map(Row.from_values, found.fetchall()))
        except (sqlite3.Error, ValueError) as exc:
            raise JournalError(f"journal {self.name!r} cannot be read: {exc}") from None

    async def start(self, row: Row) -> None:
        if self._broken is not None:  # once failed, fail the rest at once (no lock waits)
            raise self._broken
        try:
            self._write(_START, row.start_values(), "cannot record an item in flight")
        except JournalError as exc:
            self._broken = exc
            raise

    async def finish(self, row: Row) -> None:
        self._write(_FINISH, row.outcome_values(), "missed an outcome")

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
        cursor = self._write(
            "UPDATE items SET state = ?, outcome = ?, result = ?, error = ?"
            " WHERE operation = ? AND key = ? AND state IN ('in_flight', 'outcome_unknown')",
            (state, outcome, result, note, operation, key),
            "cannot be resolved",
        )
        return cursor.rowcount == 1

    def _write(self, sql: str, values: tuple[object, ...], what: str) -> sqlite3.Cursor:
        try:
            return self._conn().execute(sql, values)
        except sqlite3.Error as exc:
            raise JournalError(f"journal {self.name!r} {what}: {exc}") from None

    async def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock_fd is not None:
            _HELD.discard(self._inode)
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None


def _version(db: sqlite3.Connection) -> str | None:
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is None:
        return None
    return _meta(db, "schema_version")


def _meta(db: sqlite3.Connection, name: str) -> str | None:
    found = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return None if found is None else str(found[0])

"""The journal store in a PostgreSQL database, shared by every machine of a task queue.

The same rows as the SQLite store, keyed by (scope, run, operation, key): `scope` is the
business (a digest of its API key), `run` the `?run=NAME` of the URL. A task retried on
another machine opens the same rows, so nothing its first attempt wrote is written again.

The lease is per business: a session-level advisory lock (`pg_try_advisory_lock` on a 64-bit
hash of the scope) held on the store's own connection for the whole run. It ends with the
session: a SIGKILLed worker's connection closes and the server frees the lock at once; a
worker whose machine vanished is dropped by the server's TCP keepalives (see
`_pg_common.KEEPALIVE`). Every row is written through that same session, so a run whose
session died cannot record "in flight", and so sends nothing more. A table of holders
(pid, host, start, run) names the holder in `JournalBusyError`. Readable by people:

    psql "$URL" -c "SELECT run, operation, state, outcome, result FROM homebase_journal_items"
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

from .._errors import JournalBusyError, JournalError
from ._pg_common import _driver, advisory_key, connect, ensure_schema, hide, parse_url
from ._store import COLUMNS, Holder, Row, State, writes

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresStore"]

#: How often a run given `wait=` tries the lease again.
POLL = 0.2

# psycopg's marks are %s (no % appears in these statements otherwise).
_START, _FINISH = (s.replace("?", "%s") for s in writes("homebase_journal_items", ("scope", "run")))
_T = TypeVar("_T")


class PostgresStore:
    """A run's rows in PostgreSQL and its business's lease (see the module docstring)."""

    def __init__(self, url: str, *, scope: str) -> None:
        _driver()  # ImportError naming the extra now, before any request
        self._url = parse_url(url)
        self.name = self._url.name
        self.run = self._url.run
        self.scope = scope
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._broken: JournalError | None = None
        self._lock_key = advisory_key("lease", scope)

    def __repr__(self) -> str:
        return f"PostgresStore({self.name!r})"

    async def acquire(self, holder: Holder, *, wait: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        conn = await connect(self._url, "journal")
        self._conn = conn
        try:
            await ensure_schema(conn, self._url)
            while not await self._try_lock(conn, holder):
                if loop.time() >= deadline:
                    raise JournalBusyError(self.name, await self._holder(conn))
                await asyncio.sleep(POLL)
        except BaseException:
            await self.close()
            raise

    async def _try_lock(self, conn: psycopg.AsyncConnection[Any], holder: Holder) -> bool:
        taken = await self._fetch(
            conn.execute("SELECT pg_try_advisory_lock(%s)", (self._lock_key,)), "cannot be locked"
        )
        if not taken or not taken[0][0]:
            return False
        await self._fetch(
            conn.execute(
                "INSERT INTO homebase_journal_holders AS h"
                " VALUES (%s, %s, %s, %s, %s, pg_backend_pid()) ON CONFLICT (scope) DO UPDATE"
                " SET pid = excluded.pid, host = excluded.host, started = excluded.started,"
                " run = excluded.run, backend_pid = excluded.backend_pid",
                (self.scope, holder.pid, holder.host, holder.started, holder.run or self.run),
            ),
            "cannot be locked",
        )
        return True

    async def _holder(self, conn: psycopg.AsyncConnection[Any]) -> Holder | None:
        found = await self._fetch(
            conn.execute(
                "SELECT pid, host, started, run FROM homebase_journal_holders WHERE scope = %s",
                (self.scope,),
            ),
            "cannot be read",
        )
        if not found:
            return None
        pid, host, started, run = found[0]
        return Holder(pid=int(pid), host=str(host), started=str(started), run=str(run))

    async def _fetch(self, running: Awaitable[Any], what: str) -> list[tuple[Any, ...]]:
        """Rows of a statement (none for a write); JournalError naming the store otherwise.

        Shielded: a task cancelled mid-statement leaves the statement to finish, so the
        session stays usable and a committed "in flight" is never half-known."""
        psycopg = _driver()

        async def run() -> list[tuple[Any, ...]]:
            cursor = await running
            return list(await cursor.fetchall()) if cursor.description else []

        try:
            return await asyncio.shield(run())
        except psycopg.Error as exc:
            raise JournalError(
                f"journal {self.name!r} {what}: {hide(str(exc), self._url.conninfo)}"
            ) from None

    def _open(self) -> psycopg.AsyncConnection[Any]:
        if self._conn is None or self._conn.closed:
            raise JournalError(f"journal {self.name!r} is not open")
        return self._conn

    async def read(self, operation: str) -> dict[str, Row]:
        return {row.key: row for row in await self._select("AND operation = %s", operation)}

    async def rows(self) -> list[Row]:
        return await self._select("ORDER BY operation, updated")

    async def _select(self, rest: str, *values: str) -> list[Row]:
        sql = f"SELECT {COLUMNS} FROM homebase_journal_items WHERE scope = %s AND run = %s {rest}"
        running = self._open().execute(sql, (self.scope, self.run, *values))
        found = await self._fetch(running, "cannot be read")
        try:
            return list(map(Row.from_values, found))
        except ValueError as exc:  # a damaged row (as SqliteStore): typed, never raw
            raise JournalError(f"journal {self.name!r} cannot be read: {exc}") from None

    async def start(self, row: Row) -> None:
        if self._broken is not None:  # once failed, fail the rest at once (as SqliteStore)
            raise self._broken
        try:
            await self._write(_START, row.start_values(), "cannot record an item in flight")
        except JournalError as exc:
            self._broken = exc
            raise

    async def finish(self, row: Row) -> None:
        await self._write(_FINISH, row.outcome_values(), "missed an outcome")

    async def _write(self, sql: str, values: tuple[str | None, ...], what: str) -> None:
        conn = self._open()
        await self._fetch(conn.execute(sql, (self.scope, self.run, *values)), what)

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
        found = await self._fetch(
            self._open().execute(
                "UPDATE homebase_journal_items SET state = %s, outcome = %s, result = %s,"
                " error = %s WHERE scope = %s AND run = %s AND operation = %s AND key = %s"
                " AND state IN ('in_flight', 'outcome_unknown') RETURNING 1",
                (str(state), outcome, result, note, self.scope, self.run, operation, key),
            ),
            "cannot be resolved",
        )
        return len(found) == 1

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None or conn.closed:
            return
        psycopg = _driver()
        try:
            await conn.execute(
                "DELETE FROM homebase_journal_holders WHERE scope = %s"
                " AND backend_pid = pg_backend_pid()",
                (self.scope,),
            )
            await conn.execute("SELECT pg_advisory_unlock_all()")
        except psycopg.Error:
            pass  # closing the session below releases the lock all the same
        finally:
            await conn.close()

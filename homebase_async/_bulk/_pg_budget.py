"""A business's SMS reservations shared by every worker, in the journal's PostgreSQL database.

`/messages/stats` stays the source of truth for what was sent; the database holds only what
is in flight: each worker, before a send, takes a reservation under an advisory transaction
lock on the business, and only while the highest `used` any worker saw today plus the live
reservations stay under the limit. So all workers of a business together never reserve more
than the server says remains.

A reservation belongs to its worker's database session (backend pid and start time): when a
worker is killed its session ends, and the next `reserve` drops the reservations of sessions
no longer in `pg_stat_activity`. The message such a reservation was for may have gone out;
the server's `used` (read again by the next run's `/messages/stats`) counts it then.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from .._errors import JournalError
from ._pg_common import _driver, advisory_key, connect, ensure_schema, hide, parse_url

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresReservations"]

_DROP_DEAD = """
DELETE FROM homebase_sms_reservations r WHERE r.scope = %(scope)s AND NOT EXISTS (
    SELECT 1 FROM pg_stat_activity a WHERE a.pid = r.backend_pid
    AND (a.backend_start IS NULL OR a.backend_start = r.backend_start))
"""
_RECORD_USED = """
INSERT INTO homebase_sms_days AS d (scope, day, used, day_limit)
VALUES (%(scope)s, (now() AT TIME ZONE 'UTC')::date, %(used)s, %(limit)s)
ON CONFLICT (scope, day) DO UPDATE
SET used = GREATEST(d.used, excluded.used), day_limit = excluded.day_limit
RETURNING used
"""
_TAKE = """
INSERT INTO homebase_sms_reservations (token, scope, backend_pid, backend_start)
SELECT %(token)s, %(scope)s, pg_backend_pid(), backend_start
FROM pg_stat_activity WHERE pid = pg_backend_pid()
"""


class PostgresReservations:
    """The shared in-flight SMS reservations of one business (`scope`)."""

    def __init__(self, url: str, *, scope: str) -> None:
        _driver()  # ImportError naming the extra now
        self._url = parse_url(url, need_run=False)
        self.name = self._url.name
        self.scope = scope
        self._conn: psycopg.AsyncConnection[Any] | None = None
        # One transaction at a time on the one session (psycopg locks statements, not
        # transactions).
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"PostgresReservations({self.name!r})"

    async def _session(self) -> psycopg.AsyncConnection[Any]:
        if self._conn is None or self._conn.closed:
            conn = await connect(self._url, "sms budget")
            try:
                await ensure_schema(conn, self._url)
            except BaseException:
                await conn.close()
                raise
            self._conn = conn
        return self._conn

    async def reserve(self, *, limit: int, used: int) -> str | None:
        """Take one reservation if today's highest known `used` (this worker's or another's)
        plus the live reservations stay under `limit`: its token, or None (used up)."""
        # Shielded (as is release): a cancelled caller leaves the transaction to end, so the
        # session stays usable; a reservation it took is dropped by `close`.
        return await asyncio.shield(self._reserve(limit, used))

    @contextlib.asynccontextmanager
    async def _transaction(self, what: str) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        """One transaction on the session, one at a time; JournalError saying what failed."""
        async with self._lock:
            pg = _driver()
            conn = await self._session()
            try:
                async with conn.transaction():
                    yield conn
            except pg.Error as exc:
                raise JournalError(
                    f"journal {self.name!r} {what}: {hide(str(exc), self._url.conninfo)}"
                ) from None

    async def _reserve(self, limit: int, used: int) -> str | None:
        token = uuid.uuid4().hex
        names = {"scope": self.scope, "used": used, "limit": limit, "token": token}
        async with self._transaction("cannot reserve an SMS") as conn:
            await conn.execute(
                "SELECT pg_advisory_xact_lock(%s)", (advisory_key("sms", self.scope),)
            )
            await conn.execute(_DROP_DEAD, names)
            highest = await _one(await conn.execute(_RECORD_USED, names))
            live = await _one(
                await conn.execute(
                    "SELECT count(*) FROM homebase_sms_reservations WHERE scope = %s",
                    (self.scope,),
                )
            )
            if max(highest, used) + live >= limit:
                return None
            await conn.execute(_TAKE, names)
        return token

    async def release(self, token: str, *, used: int | None) -> None:
        """Drop the reservation `token`; record `used`, the server's count after the send,
        if given."""
        await asyncio.shield(self._release(token, used))

    async def _release(self, token: str, used: int | None) -> None:
        async with self._transaction("cannot release an SMS reservation") as conn:
            await conn.execute("DELETE FROM homebase_sms_reservations WHERE token = %s", (token,))
            if used is not None:
                await conn.execute(
                    "UPDATE homebase_sms_days SET used = GREATEST(used, %s)"
                    " WHERE scope = %s AND day = (now() AT TIME ZONE 'UTC')::date",
                    (used, self.scope),
                )

    async def close(self) -> None:
        """Drop this worker's reservations and close its session (safe to call twice)."""
        conn, self._conn = self._conn, None
        if conn is None or conn.closed:
            return
        pg = _driver()
        try:
            await conn.execute(
                "DELETE FROM homebase_sms_reservations WHERE backend_pid = pg_backend_pid()"
            )
        except pg.Error:
            pass  # the session ends below; the next reserve drops them all the same
        finally:
            await conn.close()

    async def __aenter__(self) -> PostgresReservations:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


async def _one(cursor: psycopg.AsyncCursor[Any]) -> int:
    row = await cursor.fetchone()
    return int(row[0]) if row else 0

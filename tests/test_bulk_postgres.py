"""What only the PostgreSQL journal store does: a lease per business that dies with the
worker's session, rows per run, a schema made once by racing workers, no password shown."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import textwrap
import urllib.parse
from collections.abc import AsyncIterator

import psycopg
import pytest
from _postgres import unique

from homebase_async import JournalBusyError, JournalError, ValidationError
from homebase_async._bulk._journal import Journal, open_store
from homebase_async._bulk._store import SCHEMA_VERSION, Holder, JournalStore, Row, State


def _row(key: str) -> Row:
    return Row(
        operation="customers.create",
        key=key,
        digest="d1",
        state=State.IN_FLIGHT,
        action="create",
        item="{}",
        updated="2026-12-06T00:00:00+00:00",
    )


def _journal(url: str, run: str) -> Journal:
    return Journal(f"{url}{'&' if '?' in url else '?'}run={run}")


@pytest.fixture
async def schema_url(postgres_url: str) -> AsyncIterator[str]:
    """The database seen through a schema of its own (a fresh, empty journal)."""
    name = unique("s").replace("-", "_")
    async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as conn:
        await conn.execute(f"CREATE SCHEMA {name}")
        options = urllib.parse.quote(f"-c search_path={name}")
        yield f"{postgres_url}?options={options}"
        await conn.execute(f"DROP SCHEMA {name} CASCADE")


async def test_two_businesses_do_not_block_each_other(postgres_url: str) -> None:
    run = unique("nightly")
    first = open_store(_journal(postgres_url, run), scope=unique("a"))
    second = open_store(_journal(postgres_url, run), scope=unique("b"))
    await first.acquire(Holder.here(), wait=0)
    await second.acquire(Holder.here(), wait=0)
    try:
        await first.start(_row("k"))
        assert await second.read("customers.create") == {}  # rows are per business too
    finally:
        await first.close()
        await second.close()


async def test_two_runs_of_one_business_block_each_other(postgres_url: str) -> None:
    scope = unique("a")
    first = open_store(_journal(postgres_url, unique("nightly")), scope=scope)
    second = open_store(_journal(postgres_url, unique("catch-up")), scope=scope)
    await first.acquire(Holder.here(run="nightly"), wait=0)
    try:
        with pytest.raises(JournalBusyError, match="nightly") as caught:
            await second.acquire(Holder.here(), wait=0)
        assert caught.value.holder is not None
        await first.start(_row("k"))
    finally:
        await first.close()
    await second.acquire(Holder.here(), wait=0)
    try:
        assert await second.read("customers.create") == {}  # another run's rows
    finally:
        await second.close()


_HOLD = textwrap.dedent(
    """
    import asyncio, sys
    from homebase_async._bulk._journal import Journal, open_store
    from homebase_async._bulk._store import Holder

    async def main() -> None:
        store = open_store(Journal(sys.argv[1]), scope=sys.argv[2])
        await store.acquire(Holder.here(run="killed"), wait=0)
        print("held", flush=True)
        await asyncio.sleep(60)

    asyncio.run(main())
    """
)


async def _take_and_release(store: JournalStore) -> None:
    await store.acquire(Holder.here(), wait=10)
    await store.close()


def test_the_lease_dies_with_a_sigkilled_holder(postgres_url: str) -> None:
    journal, scope = _journal(postgres_url, unique("run")), unique("a")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, journal.location, scope], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        store = open_store(journal, scope=scope)
        with pytest.raises(JournalBusyError) as caught:
            asyncio.run(store.acquire(Holder.here(), wait=0))
        assert caught.value.holder.pid == holder.pid
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        # The server sees the connection close and ends the session: no stale lease.
        asyncio.run(_take_and_release(store))
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()


async def test_a_run_whose_session_died_records_nothing_more(postgres_url: str) -> None:
    """A lease lost with its session cannot be written through: the item is never sent."""
    store = open_store(_journal(postgres_url, unique("run")), scope=unique("a"))
    await store.acquire(Holder.here(), wait=0)
    try:
        async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as admin:
            await admin.execute(
                "SELECT pg_terminate_backend(backend_pid) FROM homebase_journal_holders"
                " WHERE scope = %s",
                (store.scope,),  # type: ignore[attr-defined]
            )
        with pytest.raises(JournalError, match="in flight"):
            await store.start(_row("k"))
    finally:
        await store.close()


async def test_racing_workers_create_the_schema_once(schema_url: str) -> None:
    stores = [open_store(_journal(schema_url, "r"), scope=unique("b")) for _ in range(6)]
    await asyncio.gather(*(store.acquire(Holder.here(), wait=0) for store in stores))
    for store in stores:
        await store.close()
    async with await psycopg.AsyncConnection.connect(schema_url, autocommit=True) as conn:
        found = await conn.execute("SELECT value FROM homebase_journal_meta")
        assert await found.fetchall() == [(str(SCHEMA_VERSION),)]


async def test_a_newer_schema_is_refused(schema_url: str) -> None:
    store = open_store(_journal(schema_url, "r"), scope="b")
    await store.acquire(Holder.here(), wait=0)
    await store.close()
    async with await psycopg.AsyncConnection.connect(schema_url, autocommit=True) as conn:
        await conn.execute("UPDATE homebase_journal_meta SET value = '99'")
    with pytest.raises(JournalError, match="schema 99, newer"):
        await open_store(_journal(schema_url, "r"), scope="b").acquire(Holder.here(), wait=0)


def test_a_url_without_a_run_names_the_journal_without_its_password() -> None:
    with pytest.raises(ValidationError, match=r"\?run=NAME") as caught:
        open_store(Journal("postgresql://sync:s3cret@db.example/homebase"), scope="b")
    assert "s3cret" not in str(caught.value)
    assert "sync:***@db.example" in str(caught.value)


async def test_a_wrong_password_is_a_journal_error_without_it(postgres_url: str) -> None:
    parts = urllib.parse.urlsplit(postgres_url)
    wrong = parts._replace(netloc=f"homebase:n0t-th3-pw@{parts.hostname}:{parts.port}")
    store = open_store(Journal(f"{urllib.parse.urlunsplit(wrong)}?run=r"), scope="b")
    with pytest.raises(JournalError, match="cannot be opened") as caught:
        await store.acquire(Holder.here(), wait=0)
    assert "n0t-th3-pw" not in str(caught.value)
    assert "n0t-th3-pw" not in repr(store)


async def test_an_unreachable_server_is_a_journal_error() -> None:
    store = open_store(Journal("postgresql://u:pw@127.0.0.1:1/db?run=r"), scope="b")
    with pytest.raises(JournalError, match="cannot be opened"):
        await store.acquire(Holder.here(), wait=0)


async def test_the_session_is_set_to_end_when_its_worker_vanishes(postgres_url: str) -> None:
    """Keepalives on the server's side: a machine gone without a FIN loses its lease within
    about half a minute; commits are durable whatever the database's default."""
    store = open_store(_journal(postgres_url, unique("run")), scope=unique("a"))
    await store.acquire(Holder.here(), wait=0)
    try:
        conn = store._conn  # type: ignore[attr-defined]
        settings = {}
        for name in ("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count",
                     "tcp_user_timeout", "synchronous_commit", "idle_session_timeout"):  # fmt: skip
            found = await (await conn.execute(f"SHOW {name}")).fetchone()
            settings[name] = found[0]
    finally:
        await store.close()
    assert settings == {
        "tcp_keepalives_idle": "10",
        "tcp_keepalives_interval": "5",
        "tcp_keepalives_count": "3",
        "tcp_user_timeout": "30000",
        "synchronous_commit": "on",
        "idle_session_timeout": "0",  # a run idle behind a rate limit keeps its lease
    }

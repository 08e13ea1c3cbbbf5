"""The journal stores: the same rows and the same lease on every store (SQLite, PostgreSQL)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from _postgres import unique

from homebase_async import JournalBusyError, JournalError, ValidationError
from homebase_async._bulk._journal import Journal, as_journal, open_store
from homebase_async._bulk._postgres import PostgresStore
from homebase_async._bulk._sqlite import SqliteStore
from homebase_async._bulk._store import Holder, JournalStore, Row, State

StoreFactory = Callable[[], JournalStore]


@pytest.fixture(params=["sqlite", "postgres"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    """Stores that all open one journal, as separate runs would."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        journal = Journal(f"{url}?run={unique('run')}")
        scope = unique("business")
        return lambda: open_store(journal, scope=scope)
    journal = Journal(str(tmp_path / "run.journal"))
    return lambda: open_store(journal, scope="business-a")


def _row(key: str, state: State = State.IN_FLIGHT, **fields: object) -> Row:
    values: dict[str, object] = {
        "operation": "customers.create",
        "key": key,
        "digest": "d1",
        "state": state,
        "action": "create",
        "item": '{"first_name": "Ada"}',
        "updated": "2026-12-06T00:00:00+00:00",
    }
    values.update(fields)
    return Row(**values)  # type: ignore[arg-type]


async def test_rows_round_trip(stores: StoreFactory) -> None:
    store = stores()
    await store.acquire(Holder.here(), wait=0)
    try:
        await store.start(_row("a"))
        await store.start(_row("b"))
        await store.finish(
            _row("a", State.DONE, action=None, outcome="created", result='"C1"', digest="d2")
        )
        rows = await store.read("customers.create")
    finally:
        await store.close()
    assert set(rows) == {"a", "b"}
    assert rows["a"].state is State.DONE
    assert (rows["a"].outcome, rows["a"].result, rows["a"].digest) == ("created", '"C1"', "d2")
    assert rows["a"].action == "create"  # kept from the in-flight row
    assert rows["b"].state is State.IN_FLIGHT
    assert rows["b"].attempts == 1


async def test_rows_survive_a_new_run_and_count_attempts(stores: StoreFactory) -> None:
    for _ in range(2):
        store = stores()
        await store.acquire(Holder.here(), wait=0)
        await store.start(_row("a"))
        await store.close()
    store = stores()
    await store.acquire(Holder.here(), wait=0)
    try:
        rows = await store.read("customers.create")
        assert rows["a"].attempts == 2
        assert await store.read("jobs.create") == {}
    finally:
        await store.close()


async def test_second_run_is_refused_naming_the_holder(stores: StoreFactory) -> None:
    first, second = stores(), stores()
    await first.acquire(Holder.here(run="nightly"), wait=0)
    try:
        with pytest.raises(JournalBusyError) as caught:
            await second.acquire(Holder.here(), wait=0)
        assert caught.value.holder is not None
        assert caught.value.holder.pid == os.getpid()
        assert f"pid {os.getpid()}" in str(caught.value)
    finally:
        await first.close()
    await second.acquire(Holder.here(), wait=0)  # released by close
    await second.close()


async def test_wait_takes_the_lease_once_released(stores: StoreFactory) -> None:
    first, second = stores(), stores()
    await first.acquire(Holder.here(), wait=0)

    async def release_soon() -> None:
        await asyncio.sleep(0.3)
        await first.close()

    releasing = asyncio.create_task(release_soon())
    await second.acquire(Holder.here(), wait=5)
    await releasing
    await second.close()


async def test_resolve_marks_an_unknown_row(stores: StoreFactory) -> None:
    store = stores()
    await store.acquire(Holder.here(), wait=0)
    try:
        await store.start(_row("a"))
        await store.finish(_row("b", State.DONE, outcome="created", result='"C2"'))
        assert await store.resolve(
            "customers.create",
            "a",
            state=State.DONE,
            outcome="created",
            result='"C1"',
            note="seen in the app",
        )
        assert not await store.resolve(
            "customers.create", "b", state=State.FAILED, outcome=None, result=None, note="done"
        )
        rows = {row.key: row for row in await store.rows()}
    finally:
        await store.close()
    assert rows["a"].state is State.DONE
    assert (rows["a"].outcome, rows["a"].result) == ("created", '"C1"')
    assert rows["a"].action == "create"  # what was in flight stays readable
    assert rows["a"].error == "seen in the app"
    assert rows["b"].state is State.DONE


_HOLD = textwrap.dedent(
    """
    import asyncio, sys
    from homebase_async._bulk._journal import Journal, open_store
    from homebase_async._bulk._store import Holder

    async def main() -> None:
        store = open_store(Journal(sys.argv[1]), scope="business-a")
        await store.acquire(Holder.here(), wait=0)
        print("held", flush=True)
        await asyncio.sleep(60)

    asyncio.run(main())
    """
)


def test_a_killed_holder_leaves_no_stale_lease(tmp_path: Path) -> None:
    path = str(tmp_path / "run.journal")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, path], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        store = open_store(Journal(path), scope="business-a")
        with pytest.raises(JournalBusyError) as caught:
            asyncio.run(store.acquire(Holder.here(), wait=0))
        assert caught.value.holder.pid == holder.pid
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        asyncio.run(store.acquire(Holder.here(), wait=0))
        asyncio.run(store.close())
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()


async def test_a_journal_of_version_0_2_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.journal"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE items (operation TEXT, key TEXT)")
    store = open_store(Journal(str(path)), scope="b")
    with pytest.raises(JournalError, match=r"0\.2"):
        await store.acquire(Holder.here(), wait=0)
    # The failed open released the lease.
    again = open_store(Journal(str(path)), scope="b")
    with pytest.raises(JournalError, match=r"0\.2"):
        await again.acquire(Holder.here(), wait=0)


async def test_a_file_that_is_not_sqlite_is_a_journal_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 100)
    store = open_store(Journal(str(path)), scope="b")
    with pytest.raises(JournalError, match="cannot be opened"):
        await store.acquire(Holder.here(), wait=0)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("run\x00.journal", "NUL"),
        ("", "expected a file path"),
        (42, "expected a file path"),
    ],
)
def test_bad_journal_arguments_are_validation_errors(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        as_journal(value)


def test_journal_wait_must_be_seconds() -> None:
    with pytest.raises(ValidationError, match="wait"):
        Journal("run.journal", wait=-1)


def test_journal_repr_hides_a_url_password() -> None:
    journal = Journal("postgresql://sync:s3cret@db.example/homebase?run=nightly")
    assert "s3cret" not in repr(journal)
    assert journal.is_postgres


async def test_a_row_of_an_unknown_state_is_a_journal_error_on_every_store(
    stores: StoreFactory,
) -> None:
    # Review: both stores now select through `Row.from_values`, but only the SQLite store's
    # `_select` turns a damaged row into a JournalError; PostgreSQL's lets ValueError out raw.
    store = stores()
    await store.acquire(Holder.here(), wait=0)
    try:
        await store.start(_row("a"))
        damage = "UPDATE {} SET state = 'no-such-state'"
        if isinstance(store, SqliteStore):
            store._conn().execute(damage.format("items"))
        else:
            assert isinstance(store, PostgresStore)
            running = store._open().execute(damage.format("homebase_journal_items"))
            await store._fetch(running, "damages a row")
        with pytest.raises(JournalError, match="cannot be read"):
            await store.read("customers.create")
        with pytest.raises(JournalError, match="cannot be read"):
            await store.rows()
    finally:
        await store.close()

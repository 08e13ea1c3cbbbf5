"""A newcomer's review of the bulk engine (this round): each test failed on the merged code
before its fix and shows one way a promise broke."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from homebase_async import HomebaseClient, JournalError, RetryPolicy
from homebase_async.testing import FakeHomebase

PATIENT = RetryPolicy(max_attempts=8, budget_tokens=1_000, initial_backoff=0, jitter=0)


class _Slow(httpx.AsyncBaseTransport):
    """The fake, each request taking a little while (so two calls overlap)."""

    def __init__(self, fake: FakeHomebase, delay: float = 0.05) -> None:
        self.inner = fake.transport()
        self.delay = delay
        #: The chunk tags (first letter of a first name) of creates in flight, and whether
        #: creates of two chunks were ever in flight together.
        self.live: list[str] = []
        self.overlapped = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        tag = json.loads(request.content)["firstName"][0] if request.method == "POST" else ""
        if tag:
            self.live.append(tag)
            self.overlapped |= len(set(self.live)) > 1
        try:
            await asyncio.sleep(self.delay)
            return await self.inner.handle_async_request(request)
        finally:
            if tag:
                self.live.remove(tag)


def _client(fake: FakeHomebase, **kwargs: Any) -> HomebaseClient:
    kwargs.setdefault("transport", fake.transport())
    return HomebaseClient(fake.api_key, base_url=fake.base_url, retry=PATIENT, **kwargs)


async def test_the_calls_of_a_held_journal_run_one_at_a_time(tmp_path: Path) -> None:
    # hold_journal promises its calls run as one run; two calls at once (asyncio.gather over
    # two chunks) shared the held store with no lease between them and interleaved. Now the
    # second waits for the first: one call's creates all come before the other's.
    fake = FakeHomebase(seed=3)
    chunks = [
        [{"first_name": f"{tag}{i}", "email": f"{tag}{i}@example.com"} for i in range(5)]
        for tag in ("a", "b")
    ]
    slow = _Slow(fake)
    async with (
        _client(fake, transport=slow) as hb,
        hb.hold_journal(str(tmp_path / "run.journal")) as held,
    ):
        reports = await asyncio.gather(
            *(hb.customers.create_many(chunk, journal=held, settle_delay=0) for chunk in chunks)
        )
    assert [len(r.created) for r in reports] == [5, 5]
    assert not slow.overlapped


async def test_one_journal_reached_by_two_paths_is_leased_once(tmp_path: Path) -> None:
    # The lease is a flock on PATH + ".lock", so a journal reached through a symlink (or a
    # hard link, or a bind mount) has a second lock file: two runs hold "the" lease at once.
    real = tmp_path / "nightly.journal"
    link = tmp_path / "current.journal"
    link.symlink_to(real)
    fake = FakeHomebase(seed=4)
    items = [{"first_name": f"C{i}", "email": f"c{i}@example.com"} for i in range(5)]
    async with _client(fake, transport=_Slow(fake)) as hb:
        results = await asyncio.gather(
            hb.customers.create_many(items, journal=str(real), settle_delay=0),
            hb.customers.create_many(items, journal=str(link), settle_delay=0),
            return_exceptions=True,
        )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert refused, "neither run was refused (JournalBusyError)"
    assert len(fake.customers) == 5, f"{len(fake.customers)} customers for 5 items"


async def test_a_journal_of_one_business_never_reports_another_business_done(
    tmp_path: Path,
) -> None:
    # `scope` (a digest of the API key) reaches open_store but the SQLite store ignores it:
    # business B, run with business A's journal, is told its customers were created
    # "by an earlier run" and nothing is sent to B.
    journal = str(tmp_path / "sync.journal")
    items = [{"first_name": "Ada", "email": "ada@example.com"}]
    fake_a, fake_b = FakeHomebase("key-a", seed=5), FakeHomebase("key-b", seed=6)
    async with _client(fake_a) as hb:
        await hb.customers.create_many(items, journal=journal, settle_delay=0)
    async with _client(fake_b) as hb:
        with pytest.raises(JournalError, match="another business"):
            await hb.customers.create_many(items, journal=journal, settle_delay=0)
    assert len(fake_a.customers) == 1
    assert len(fake_b.customers) == 0  # refused before any request


async def test_identical_messages_in_two_calls_of_one_held_journal_are_both_sent(
    tmp_path: Path,
) -> None:
    # In one call, two identical messages are numbered (#2) and both sent ("a list may hold
    # the same message twice on purpose"). hold_journal makes several calls "one run", yet
    # numbering restarts per call: the second call's message is reported sent (from the
    # journal) and never sent. Chunking a list therefore changes what is sent.
    fake = FakeHomebase(seed=7)
    fake.add_customer(first_name="Jo", phone="+13035550100")
    message = {"mobile_phone": "+13035550100", "message": "Your visit is tomorrow"}
    async with _client(fake) as hb:
        whole = await hb.messages.send_many([message, message])
        assert len(whole.sent) == 2
        assert len(fake.sms_sent) == 2
        async with hb.hold_journal(str(tmp_path / "c.journal")) as held:
            first = await hb.messages.send_many([message], journal=held)
            second = await hb.messages.send_many([message], journal=held)
    assert len(first.sent) == 1
    assert len(fake.sms_sent) == 4 or not second.sent, (
        f"second chunk reported {dict(second.sent)} (from_journal={set(second.from_journal)}), "
        f"server sent {len(fake.sms_sent) - 2} in chunks"
    )


async def test_an_update_resolved_as_written_is_reported_done_on_the_next_run(
    tmp_path: Path,
) -> None:
    # `homebase journal resolve --as written` stores result "{}" for a row whose action is not
    # "create" (no --id needed). For customers.upsert an "update" row then cannot be decoded
    # (`_record_id({})` -> TypeError): every later run reports the item outcome_unknown as
    # "damaged", the very state the command exists to clear.
    import sys

    from _journal_support import keys_of

    from homebase_async._bulk._journal import Journal, open_store
    from homebase_async._bulk._store import Holder, Row, State

    fake = FakeHomebase(seed=8)
    ada = fake.add_customer(first_name="Ada", email="ada@example.com")
    item = {"first_name": "Ada", "last_name": "L", "email": "ada@example.com"}
    path = tmp_path / "sync.journal"
    (key,) = keys_of("customers.upsert", [item])
    store = open_store(Journal(str(path)), scope="")
    await store.acquire(Holder.here(), wait=0)
    from homebase_async._bulk._items import prepare
    from homebase_async._resources._customer_fields import identity, item_fields

    (prepared,) = prepare([item], item_fields, identity, None)
    await store.start(
        Row(
            operation="customers.upsert",
            key=key,
            digest=prepared.digest,
            state=State.IN_FLIGHT,
            action="update",
            item=prepared.text,
            updated="x",
        )
    )
    await store.close()
    homebase = Path(sys.executable).with_name("homebase")
    resolve = [str(homebase), "journal", "resolve", str(path), key]
    resolve += ["--operation", "customers.upsert", "--as", "written"]
    # A customer's row needs the id a person found, whatever was in flight.
    refused = await asyncio.to_thread(_run, resolve)
    assert refused.returncode == 2, refused.stderr
    done = await asyncio.to_thread(_run, [*resolve, "--id", ada])
    assert done.returncode == 0, done.stderr
    async with _client(fake) as hb:
        report = await hb.customers.upsert_many([item], journal=str(path), settle_delay=0)
    assert not report.outcome_unknown, (
        f"resolved row reads back as {[str(e) for e in report.outcome_unknown.values()]}"
    )


async def test_a_raising_progress_callback_never_kills_a_lookup() -> None:
    # Review finding: bulk writes logged a raising on_progress once and went on, while lookups
    # and listings called it unguarded (a raw ExceptionGroup, no result). Now `Tally.add`
    # guards it for all.
    fake = FakeHomebase(seed=9)
    fake.add_customer(first_name="A", email="a@example.com")

    def boom(done: int, total: int | None) -> None:
        raise RuntimeError("the caller's progress bar broke")

    async with _client(fake) as hb:
        result = await hb.customers.lookup(["a@example.com"], on_progress=boom)
    assert list(result.matches) == ["a@example.com"]


class _LoseFirstPost(httpx.AsyncBaseTransport):
    """The first create is lost on its way (the server never sees it; the client cannot tell)."""

    def __init__(self, fake: FakeHomebase) -> None:
        self.inner = fake.transport()
        self.posts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.posts += 1
            if self.posts == 1:
                raise httpx.ReadError("connection reset after the request was sent")
        return await self.inner.handle_async_request(request)


async def test_a_lost_create_is_not_settled_onto_a_customer_that_existed_before_the_run() -> None:
    # Settling takes any unclaimed record with the item's key and values as proof. A customer
    # that existed before the run (entered by hand yesterday) is such a record: the lost
    # create is reported `created` with that old id, and nothing new exists on the server.
    fake = FakeHomebase(seed=10)
    fake.set_now(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))  # entered an hour ago
    old = fake.add_customer(first_name="Ada", email="ada@example.com")
    fake.set_now(None)
    item = {"first_name": "Ada", "email": "ada@example.com"}
    async with _client(fake, transport=_LoseFirstPost(fake)) as hb:
        report = await hb.customers.create_many([item], settle_delay=0)
    assert report.created.get(0) != old, (
        f"reported created as {old}, which existed before the run; "
        f"{len(fake.customers)} customer(s) on the server"
    )


def test_the_sdk_imports_where_fcntl_does_not_exist() -> None:
    # 0.2 imported on Windows; now `import homebase_async` imports _bulk._sqlite, which
    # imports fcntl at module level, so the whole SDK fails to import there, journal or not.
    import subprocess
    import sys

    code = "import sys; sys.modules['fcntl'] = None; import homebase_async"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1]


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)

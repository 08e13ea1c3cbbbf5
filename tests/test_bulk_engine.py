"""The bulk-write engine with no HTTP at all: scripted send and locate callables.

Every outcome, settling on proof (capped searches, sibling records, contested records),
earlier runs' rows (done, changed, damaged, in flight), cancellation, a journal that fails,
and user callbacks that raise.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from homebase_async import (
    DailyLimitExceededError,
    JournalBusyError,
    JournalError,
    ServerError,
    ValidationError,
    WriteOutcomeUnknownError,
)
from homebase_async._bulk import _engine as engine
from homebase_async._bulk._engine import Options, Sending, Writer
from homebase_async._bulk._items import Item, prepare
from homebase_async._bulk._journal import Journal, hold_journal, open_store
from homebase_async._bulk._runs import create_many, send_many
from homebase_async._bulk._settle import Found
from homebase_async._bulk._store import Holder, Row, State
from homebase_async._errors import HomebaseError
from homebase_async._ratelimit import Throttle

Answer = str | HomebaseError
Look = Found | HomebaseError


def _lost(performed: bool | None = None) -> WriteOutcomeUnknownError:
    return WriteOutcomeUnknownError(
        "createThing", ServerError("down", status_code=503), performed=performed
    )


class Script:
    """Scripted answers per item name: what each send returns and each search finds."""

    def __init__(
        self,
        answers: Mapping[str, list[Answer]],
        looks: Mapping[str, list[Look]] | None = None,
    ) -> None:
        self.answers = {k: list(v) for k, v in answers.items()}
        self.looks = {k: list(v) for k, v in (looks or {}).items()}
        self.sends: list[str] = []
        self.searches: list[str] = []

    async def send(self, body: dict[str, Any], sending: Sending) -> str:
        await sending()
        name = body["name"]
        self.sends.append(name)
        answer = self.answers[name].pop(0)
        if isinstance(answer, HomebaseError):
            raise answer
        return answer

    async def locate(self, todo: Sequence[Item[dict[str, Any]]]) -> dict[int, Look]:
        found: dict[int, Look] = {}
        for item in todo:
            assert item.body is not None
            self.searches.append(item.body["name"])
            found[item.index] = self.looks[item.body["name"]].pop(0)
        return found

    def writer(self, *, locate: bool = True) -> Writer[dict[str, Any], str]:
        return Writer(
            operation="things.create",
            request="createThing",
            noun="things",
            validate=_validate,
            identity=lambda body: str(body["name"]),
            send=self.send,
            locate=self.locate if locate else None,
        )


def _validate(item: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(item.get("name"), str):
        raise ValidationError("name", "is required")
    return {"name": item["name"], "size": float(item.get("size", 1))}


def _options(**kwargs: Any) -> Options:
    kwargs.setdefault("concurrency", 4)
    kwargs.setdefault("settle_delay", 0)
    return Options(**kwargs)


async def _create(script: Script, items: Sequence[Mapping[str, Any]], **kwargs: Any) -> Any:
    return await create_many(script.writer(), items, _options(**kwargs), Throttle())


# -- outcomes ---------------------------------------------------------------------------------


async def test_every_item_ends_in_exactly_one_outcome() -> None:
    script = Script(
        {"a": ["A"], "b": [ServerError("no", status_code=500)], "c": [_lost()]},
        {"c": [Found(complete=False)]},
    )
    report = await _create(script, [{"name": "a"}, {"name": "b"}, {"size": 2}, {"name": "c"}])
    assert report.created == {0: "A"}
    assert sorted(report.failed) == [1, 2]
    assert isinstance(report.failed[2], ValidationError)
    assert list(report.outcome_unknown) == [3]
    assert script.sends == ["a", "b", "c"]


async def test_settle_found_once_is_created_with_that_id() -> None:
    script = Script({"a": ["A"], "b": [_lost()]}, {"b": [Found(same=("B",))]})
    report = await _create(script, [{"name": "a"}, {"name": "b"}])
    assert report.created == {0: "A", 1: "B"}
    assert script.sends == ["a", "b"]  # never sent again


async def test_settle_found_nowhere_is_sent_once_more() -> None:
    script = Script({"a": [_lost(), "A2"]}, {"a": [Found()]})
    report = await _create(script, [{"name": "a"}])
    assert report.created == {0: "A2"}
    assert script.sends == ["a", "a"]


async def test_settle_found_nowhere_twice_is_failed_not_created() -> None:
    script = Script({"a": [_lost(), _lost()]}, {"a": [Found(), Found()]})
    report = await _create(script, [{"name": "a"}])
    assert isinstance(report.failed[0], ServerError)  # the cause, not "unknown"
    assert report.outcome_unknown == {}
    assert (script.sends, script.searches) == (["a", "a"], ["a", "a"])


async def test_settle_found_twice_or_a_failed_search_stays_unknown() -> None:
    script = Script(
        {"a": [_lost()], "b": [_lost()]},
        {"a": [Found(same=("A1", "A2"))], "b": [ServerError("x", status_code=500)]},
    )
    report = await _create(script, [{"name": "a"}, {"name": "b"}])
    assert sorted(report.outcome_unknown) == [0, 1]
    assert script.sends == ["a", "b"]


async def test_a_write_proved_performed_is_never_sent_again() -> None:
    script = Script({"a": [_lost(performed=True)]}, {"a": [Found()]})
    report = await _create(script, [{"name": "a"}])
    assert list(report.outcome_unknown) == [0]
    assert report.outcome_unknown[0].performed is True
    assert script.sends == ["a"]


async def test_settle_off_never_searches_or_resends() -> None:
    script = Script({"a": [_lost()]})
    report = await _create(script, [{"name": "a"}], settle=False)
    assert list(report.outcome_unknown) == [0]
    assert (script.sends, script.searches) == (["a"], [])


# -- proof --------------------------------------------------------------------------------------


async def test_a_capped_search_proves_nothing() -> None:
    # 100 records at that instant: "not among them" is not "not there".
    script = Script({"a": [_lost()]}, {"a": [Found(complete=False)]})
    report = await _create(script, [{"name": "a"}])
    assert list(report.outcome_unknown) == [0]
    assert "capped" in " ".join(report.outcome_unknown[0].__notes__)
    assert script.sends == ["a"]


async def test_a_siblings_record_is_never_claimed_twice() -> None:
    # Two identical items; the first landed (answer "A"), the second was lost before the
    # server saw it. Its search finds "A", which the first item owns: not proof, so it is
    # sent again, and each item ends with its own record.
    script = Script(
        {"same": ["A", _lost(), "B"]},
        {"same": [Found(same=("A",))]},
    )
    report = await create_many(
        script.writer(), [{"name": "same"}, {"name": "same"}], _options(concurrency=1), Throttle()
    )
    assert report.created == {0: "A", 1: "B"}
    assert script.sends == ["same", "same", "same"]


async def test_identical_lost_items_share_the_records_found_one_to_one() -> None:
    script = Script(
        {"same": [_lost(), _lost(), _lost(), "C"]},
        {"same": [Found(same=("A", "B"))] * 3},
    )
    items = [{"name": "same"}] * 3
    report = await create_many(script.writer(), items, _options(concurrency=1), Throttle())
    # Two records for three items: two created, the third found nowhere and sent again.
    assert sorted(report.created.values()) == ["A", "B", "C"]
    assert script.sends.count("same") == 4


async def test_more_records_than_identical_items_proves_nothing() -> None:
    script = Script({"a": [_lost()]}, {"a": [Found(same=("A1", "A2"))]})
    report = await _create(script, [{"name": "a"}])
    assert list(report.outcome_unknown) == [0]


async def test_a_record_two_different_items_could_claim_proves_neither() -> None:
    script = Script(
        {"a": [_lost()], "b": [_lost()]},
        {"a": [Found(same=("X",))], "b": [Found(same=("X",))]},
    )
    report = await _create(script, [{"name": "a"}, {"name": "b", "size": 2}])
    assert sorted(report.outcome_unknown) == [0, 1]
    assert "could belong to another item" in " ".join(report.outcome_unknown[0].__notes__)
    assert script.sends == ["a", "b"]


async def test_records_with_the_key_but_other_values_stay_unknown() -> None:
    script = Script({"a": [_lost()]}, {"a": [Found(other=("Z",))]})
    report = await _create(script, [{"name": "a"}])
    assert list(report.outcome_unknown) == [0]
    assert script.sends == ["a"]


# -- bad input ------------------------------------------------------------------------------------


async def test_input_our_checks_did_not_foresee_fails_that_item_only() -> None:
    script = Script({"a": ["A"]})
    report = await _create(script, [{"name": "a"}, {"name": "b", "size": 10**400}])
    assert report.created == {0: "A"}
    assert isinstance(report.failed[1], ValidationError)
    assert "OverflowError" in str(report.failed[1])


def test_a_key_function_that_raises_is_bad_input_for_the_call() -> None:
    with pytest.raises(ValidationError, match=r"item 1: key\(item\) raised KeyError"):
        prepare([{"id": "x"}, {"name": "y"}], dict, None, lambda i: i["id"])
    with pytest.raises(ValidationError, match="not unique"):
        prepare([{"id": "x"}, {"id": "x"}], dict, None, lambda i: i["id"])


def test_identities_number_repeats_and_digests_ignore_key_order() -> None:
    items = prepare([{"a": 1, "b": 2}, {"b": 2, "a": 1}, {"a": 2}], dict, None, None)
    assert items[1].key == items[0].key + "#2"
    assert items[1].digest == items[0].digest
    assert items[2].key != items[0].key


# -- user callbacks -------------------------------------------------------------------------------


async def test_an_on_progress_that_raises_changes_no_outcome(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []

    def progress(done: int, total: int | None) -> None:
        calls.append(done)
        raise RuntimeError("the caller's bug")

    script = Script({n: [n.upper()] for n in "abcd"})
    with caplog.at_level(logging.ERROR, logger="homebase_async"):
        report = await _create(script, [{"name": n} for n in "abcd"], on_progress=progress)
    assert sorted(report.created) == [0, 1, 2, 3]
    assert calls == [1]  # logged once, not called again
    assert sum("on_progress raised" in r.message for r in caplog.records) == 1


# -- journals -------------------------------------------------------------------------------------


async def test_a_second_run_on_a_held_journal_sends_nothing(tmp_path: Path) -> None:
    journal = Journal(str(tmp_path / "j"))
    holder = open_store(journal, scope="s")
    await holder.acquire(Holder.here(), wait=0)
    script = Script({"a": ["A"]})
    try:
        with pytest.raises(JournalBusyError):
            await _create(script, [{"name": "a"}], journal=journal)
    finally:
        await holder.close()
    assert script.sends == []


async def test_done_items_are_replayed_and_labelled(tmp_path: Path) -> None:
    journal = Journal(str(tmp_path / "j"))
    first = await _create(
        Script({"a": ["A"], "b": ["B"]}), [{"name": "a"}, {"name": "b"}], journal=journal
    )
    assert first.from_journal == frozenset()
    script = Script({"c": ["C"]})
    again = await _create(script, [{"name": "a"}, {"name": "b"}, {"name": "c"}], journal=journal)
    assert again.created == {0: "A", 1: "B", 2: "C"}
    assert again.from_journal == {0, 1}
    assert script.sends == ["c"]


async def test_an_item_changed_since_it_was_created_is_refused(tmp_path: Path) -> None:
    journal = Journal(str(tmp_path / "j"))
    await _create(Script({"a": ["A"]}), [{"name": "a", "size": 1}], journal=journal)
    script = Script({"a": ["A2"]})
    report = await _create(script, [{"name": "a", "size": 2}], journal=journal)
    assert list(report.failed) == [0]
    assert "size" in str(report.failed[0])
    assert script.sends == []


async def test_an_item_changed_while_in_flight_stays_unknown(tmp_path: Path) -> None:
    journal = Journal(str(tmp_path / "j"))
    await _create(Script({"a": [_lost()]}), [{"name": "a"}], journal=journal, settle=False)
    script = Script({"a": ["A"]})
    report = await _create(script, [{"name": "a", "size": 5}], journal=journal)
    assert list(report.outcome_unknown) == [0]
    assert script.sends == []


async def test_an_earlier_in_flight_item_is_searched_before_any_send(tmp_path: Path) -> None:
    journal = Journal(str(tmp_path / "j"))
    await _create(Script({"a": [_lost()]}), [{"name": "a"}], journal=journal, settle=False)
    script = Script({"b": ["B"]}, {"a": [Found(same=("OLD",))]})
    report = await _create(script, [{"name": "a"}, {"name": "b"}], journal=journal)
    assert report.created == {0: "OLD", 1: "B"}
    assert script.sends == ["b"]


async def test_a_damaged_row_is_unknown_never_a_raw_error(tmp_path: Path) -> None:
    path = tmp_path / "j"
    journal = Journal(str(path))
    await _create(Script({"a": ["A"]}), [{"name": "a"}], journal=journal)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE items SET result = '{not json'")
    script = Script({"a": ["A2"]})
    report = await _create(script, [{"name": "a"}], journal=journal)
    assert list(report.outcome_unknown) == [0]
    assert "damaged" in str(report.outcome_unknown[0])
    assert script.sends == []


async def test_a_journal_that_fails_mid_run_fails_items_unsent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(str(tmp_path / "j"))

    class Failing:
        def __init__(self) -> None:
            self.inner = open_store(journal, scope="s")
            self.name = "failing"
            self.starts = 0

        async def acquire(self, holder: Holder, *, wait: float) -> None:
            await self.inner.acquire(holder, wait=wait)

        async def read(self, operation: str) -> dict[str, Row]:
            return await self.inner.read(operation)

        async def start(self, row: Row) -> None:
            self.starts += 1
            if self.starts > 1:
                raise JournalError("disk full")
            await self.inner.start(row)

        async def finish(self, row: Row) -> None:
            raise JournalError("disk full")

        async def close(self) -> None:
            await self.inner.close()

    failing = Failing()
    monkeypatch.setattr(engine, "open_store", lambda journal, scope: failing)
    script = Script({n: [n.upper()] for n in "abc"})
    items = [{"name": n} for n in "abc"]
    options = _options(concurrency=1, journal=journal)
    report = await create_many(script.writer(), items, options, Throttle())
    monkeypatch.undo()
    assert report.created == {0: "A"}
    assert sorted(report.failed) == [1, 2]
    assert all(isinstance(e, JournalError) for e in report.failed.values())
    assert script.sends == ["a"]  # nothing sent without its "in flight" row
    # The first item's outcome could not be recorded: its row stays in flight for a re-run.
    store = open_store(journal, scope="s")
    await store.acquire(Holder.here(), wait=0)
    rows = await store.read("things.create")
    await store.close()
    assert rows[next(iter(rows))].state is State.IN_FLIGHT


# -- cancellation ---------------------------------------------------------------------------------


async def test_cancelling_a_run_releases_its_lease_and_keeps_rows_in_flight(tmp_path: Path) -> None:
    journal = Journal(str(tmp_path / "j"))
    started = asyncio.Event()

    async def hang(body: dict[str, Any], sending: Sending) -> str:
        await sending()
        started.set()
        await asyncio.sleep(60)
        return "never"

    writer: Writer[dict[str, Any], str] = Writer(
        operation="things.create",
        request="createThing",
        noun="things",
        validate=_validate,
        identity=lambda body: str(body["name"]),
        send=hang,
        locate=None,
    )
    run = asyncio.create_task(
        create_many(writer, [{"name": "a"}], _options(journal=journal), Throttle())
    )
    await started.wait()
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    # The lease is free again, and the item is in flight: a re-run settles it, never trusts it.
    script = Script({}, {"a": [Found(same=("A",))]})
    report = await _create(script, [{"name": "a"}], journal=journal)
    assert report.created == {0: "A"}
    assert script.sends == []


# -- sends ----------------------------------------------------------------------------------------


async def test_sends_are_never_resent_and_quota_ends_in_not_sent(tmp_path: Path) -> None:
    journal = Journal(str(tmp_path / "j"))
    quota = DailyLimitExceededError("daily quota", body=None)
    script = Script({"a": ["A"], "b": [_lost()], "c": [quota]})
    writer = script.writer(locate=False)
    items = [{"name": n} for n in "abc"]
    report = await send_many(writer, items, _options(journal=journal), Throttle())
    assert (list(report.sent), list(report.outcome_unknown), list(report.not_sent)) == (
        [0],
        [1],
        [2],
    )
    again_script = Script({"c": ["C"]})
    again = await send_many(
        again_script.writer(locate=False), items, _options(journal=journal), Throttle()
    )
    sent: dict[int, object] = dict(again.sent)  # this writer's results are plain ids
    assert sent == {0: "A", 2: "C"}
    assert list(again.outcome_unknown) == [1]
    assert again_script.sends == ["c"]


async def test_a_held_journal_keeps_its_lease_across_calls(tmp_path: Path) -> None:
    journal = Journal(str(tmp_path / "j"))
    script = Script({n: [n.upper()] for n in "abcd"})
    async with hold_journal(journal, scope="s") as held:
        first = await _create(script, [{"name": "a"}, {"name": "b"}], journal=held)
        # Between two calls of the held run, another run is still refused.
        with pytest.raises(JournalBusyError):
            await _create(Script({"c": ["X"]}), [{"name": "c"}], journal=journal)
        second = await _create(script, [{"name": "c"}, {"name": "d"}], journal=held)
    assert (first.created, second.created) == ({0: "A", 1: "B"}, {0: "C", 1: "D"})
    again = await _create(Script({}), [{"name": n} for n in "abcd"], journal=journal)
    assert again.from_journal == {0, 1, 2, 3}  # released at the end of the block, rows kept

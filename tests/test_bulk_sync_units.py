"""The pure parts of bulk sync: journal keys and rows, the settle decisions, field diffs, the
bulk pool's progress and cancellation."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest
from homebase_api.models import Customer, Phone

from homebase_async import ServerError, ValidationError, WriteOutcomeUnknownError
from homebase_async._bulk import Tally, pool, run_bulk
from homebase_async._customer_fields import differing, identifiers
from homebase_async._journal import DONE, IN_FLIGHT, Journal, item_keys
from homebase_async._ratelimit import Throttle
from homebase_async._settle import Located, SettledCreates, create_settled

# -- journal ---------------------------------------------------------------------------------


def test_item_keys_digest_content_and_number_repeats() -> None:
    items = [{"a": 1, "b": 2}, {"b": 2, "a": 1}, {"a": 2}]
    keys = item_keys(items)
    assert keys[1] == keys[0] + "#2"  # same content (key order aside): a repeat, numbered
    assert keys[2] != keys[0]
    assert item_keys(items) == keys  # stable across runs


def test_item_keys_from_the_caller_must_be_unique_strings() -> None:
    assert item_keys([{"id": "x"}, {"id": "y"}], key=lambda i: i["id"]) == ["x", "y"]
    with pytest.raises(ValidationError, match="not unique"):
        item_keys([{"id": "x"}, {"id": "x"}], key=lambda i: i["id"])
    with pytest.raises(ValidationError, match="key"):
        item_keys([{"id": 1}], key=lambda i: i["id"])
    # A key function that fails (a missing field) is bad input, not a raw KeyError.
    with pytest.raises(ValidationError, match=r"item 1: key\(item\) raised KeyError"):
        item_keys([{"id": "x"}, {"name": "y"}], key=lambda i: i["id"])


def test_journal_rows_survive_reopening_and_read_as_plain_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    book = Journal(path, "customers.create")
    book.start("k1", {"email": "a@example.com"}, action="create")
    book.start("k2", {"email": "b@example.com"}, action="create")
    book.finish("k1", DONE, outcome="created", result="C1")
    book.start("k2", {"email": "b@example.com"}, action="create")  # sent again
    book.close()
    other = Journal(path, "messages.send")  # another operation in the same file
    assert other.read(["k1", "k2"]) == {}
    other.close()
    again = Journal(path, "customers.create")
    rows = again.read(["k1", "k2", "k3"])
    again.close()
    assert (rows["k1"].state, rows["k1"].outcome, rows["k1"].result) == (DONE, "created", "C1")
    assert (rows["k2"].state, rows["k2"].outcome, rows["k2"].attempts) == (IN_FLIGHT, "create", 2)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT count(*) FROM items").fetchone() == (2,)


# -- settling --------------------------------------------------------------------------------


def _lost() -> WriteOutcomeUnknownError:
    return WriteOutcomeUnknownError("createCustomer", ServerError("down", status_code=503))


async def _settle(
    answers: dict[int, list[str | Exception]],
    looks: dict[int, list[list[str] | Exception]],
    *,
    settle: bool = True,
    in_flight: Sequence[int] = (),
) -> tuple[SettledCreates, dict[int, int], dict[int, int]]:
    """create_settled with scripted sends and look-ups; how often each was sent and looked."""
    sends: dict[int, int] = {}
    seen: dict[int, int] = {}

    async def send(index: int) -> str:
        sends[index] = sends.get(index, 0) + 1
        answer = answers[index].pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def locate(indexes: list[int]) -> Located:
        found: Located = {}
        for index in indexes:
            seen[index] = seen.get(index, 0) + 1
            look = looks[index].pop(0)
            found[index] = look if isinstance(look, list) else ServerError("x", status_code=500)
        return found

    result = await create_settled(
        sorted(answers),
        send,
        locate,
        operation="createCustomer",
        settle=settle,
        delay=0,
        concurrency=4,
        throttle=Throttle(),
        tally=Tally(None, len(answers)),
        in_flight=in_flight,
    )
    return result, sends, seen


async def test_settle_found_once_is_created_with_that_id() -> None:
    result, sends, _ = await _settle({0: ["A"], 1: [_lost()]}, {1: [["B"]]})
    assert result.created == {0: "A", 1: "B"}
    assert sends == {0: 1, 1: 1}  # never sent again


async def test_settle_found_nowhere_is_sent_once_more() -> None:
    result, sends, _ = await _settle({0: [_lost(), "A2"]}, {0: [[]]})
    assert result.created == {0: "A2"}
    assert sends == {0: 2}


async def test_settle_found_nowhere_twice_is_failed_not_created() -> None:
    result, sends, seen = await _settle({0: [_lost(), _lost()]}, {0: [[], []]})
    assert isinstance(result.failed[0], ServerError)  # the cause, not "unknown"
    assert result.unknown == {}
    assert (sends, seen) == ({0: 2}, {0: 2})  # at most once more


async def test_settle_found_twice_or_a_failed_look_stays_unknown() -> None:
    result, sends, _ = await _settle(
        {0: [_lost()], 1: [_lost()]}, {0: [["A", "B"]], 1: [RuntimeError()]}
    )
    assert sorted(result.unknown) == [0, 1]
    assert sends == {0: 1, 1: 1}


async def test_a_write_proved_performed_is_never_sent_again() -> None:
    proved = WriteOutcomeUnknownError(
        "createCustomer", ServerError("unreadable", status_code=500), performed=True
    )
    result, sends, _ = await _settle({0: [proved]}, {0: [[]]})
    assert list(result.unknown) == [0]
    assert sends == {0: 1}


async def test_settle_off_never_looks_or_resends() -> None:
    result, sends, seen = await _settle({0: [_lost()]}, {}, settle=False)
    assert list(result.unknown) == [0]
    assert (sends, seen) == ({0: 1}, {})


async def test_items_in_flight_from_a_journal_are_looked_up_before_any_send() -> None:
    result, sends, _ = await _settle({0: [], 1: ["N"]}, {0: [["OLD"]], 1: []}, in_flight=[0])
    assert result.created == {0: "OLD", 1: "N"}
    assert sends == {1: 1}


async def test_definite_failures_are_failed_without_settling() -> None:
    result, _, seen = await _settle({0: [ValidationError("email", "bad")]}, {})
    assert isinstance(result.failed[0], ValidationError)
    assert seen == {}


# -- field diffs -----------------------------------------------------------------------------


def _customer(**fields: object) -> Customer:
    base = {
        "customerId": "C1",
        "firstName": "Ada",
        "lastName": "",
        "phone": {"mobile": "+13035550100", "home": ""},
        "email": ["Ada@Example.com"],
        "tags": ["vip"],
        "notes": "",
    }
    return Customer.from_dict({**base, **fields})


def test_differing_compares_only_the_given_fields_emails_without_case() -> None:
    stored = _customer()
    same = {"first_name": "Ada", "email": ["ada@example.com"]}
    assert differing(same, stored) == {}
    phone_kind = {"phone": Phone.from_dict({"mobile": "+13035550100", "work": ""})}
    assert differing(phone_kind, stored) == {}  # an empty kind is not a change
    changed = {"first_name": "Ada", "tags": ["vip", "new"], "notes": "x"}
    assert set(differing(changed, stored)) == {"tags", "notes"}
    assert set(differing({"phone": Phone.from_dict({"home": "+13035550199"})}, stored)) == {"phone"}


def test_identifiers_follow_match_on() -> None:
    fields = {"email": ["a@example.com"], "phone": Phone.from_dict({"mobile": "+13035550100"})}
    assert identifiers(fields) == ["a@example.com", "+13035550100"]
    assert identifiers(fields, ("phone",)) == ["+13035550100"]
    assert identifiers(fields, ("email",)) == ["a@example.com"]


# -- the pool ----------------------------------------------------------------------------------


async def test_run_bulk_reports_progress_once_per_item_and_keeps_order() -> None:
    seen: list[tuple[int, int | None]] = []

    async def work(value: int) -> int:
        await asyncio.sleep(0.001 * (5 - value))
        if value == 3:
            raise ValidationError("v", "three")
        return value * 10

    outcomes = await run_bulk(
        [0, 1, 2, 3, 4],
        work,
        concurrency=3,
        throttle=Throttle(),
        on_progress=lambda d, t: seen.append((d, t)),
    )
    assert [o.value for o in outcomes] == [0, 10, 20, None, 40]
    assert isinstance(outcomes[3].error, ValidationError)
    assert seen == [(n, 5) for n in range(1, 6)]


async def test_pool_keeps_to_its_width_and_cancels_with_its_caller() -> None:
    running = 0
    widest = 0
    started = asyncio.Event()
    units = iter(range(100))

    async def work(_: int) -> None:
        nonlocal running, widest
        running += 1
        widest = max(widest, running)
        started.set()
        try:
            await asyncio.sleep(10)
        finally:
            running -= 1

    task = asyncio.create_task(
        pool(lambda: next(units, None), work, concurrency=4, throttle=Throttle())
    )
    await started.wait()
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert widest == 4
    assert running == 0

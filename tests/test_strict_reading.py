"""Strict reading of answers (issue 18): a field of the wrong type is an error naming the field.

The servers here are raw asyncio servers on 127.0.0.1 that answer like the API except for one
field of the wrong type. Before strict reading, each of these was accepted: a customer whose
`email` was a string was "missing" to every lookup (so every upsert run created it again), SMS
counters of the wrong type raised a raw TypeError after the message went out, and a timestamp
without an offset was read as local time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from _support import API_KEY, ok
from homebase_api.types import WrongShape

from homebase_async import (
    HomebaseClient,
    UnexpectedResponseError,
    ValidationError,
    WriteOutcomeUnknownError,
)
from homebase_async.models import Customer, Job, RateLimits, SentMessage

BACKENDS = ["aiohttp", "httpx"]
ADA = {
    "customerId": "c1",
    "firstName": "Ada",
    "phone": {"mobile": "+13038284444"},
    "email": ["ada@example.com"],
    "dateAdded": "2025-01-02T10:00:00Z",
}
SENT = {
    "mobilePhone": "+13038284444",
    "customerId": "c1",
    "timestamp": "2025-01-02T10:00:00Z",
    "rateLimits": {"dailyUsed": 1, "dailyLimit": 500},
}
STATS = {"limits": {"perDay": 500}, "usage": {"dailyUsed": 0, "dailyRemaining": 500}}


class Api:
    """A loopback server answering by method and path with the JSON bodies it is given."""

    def __init__(self, answers: dict[tuple[str, str], tuple[int, Any]]) -> None:
        self.answers = answers
        self.requests: list[tuple[str, str]] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/api/v1"

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p in self.requests if m == method and p == path)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._answer(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client hung up, or the test ended
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            method, target, _ = head[0].split(" ", 2)
            length = 0
            for line in head[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            path = target.split("?")[0].removeprefix("/api/v1")
            self.requests.append((method, path))
            status, data = self.answers.get((method, path), (404, None))
            body = json.dumps(ok(data) if status < 300 else {"success": False}).encode()
            writer.write(
                f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n"
                f"content-length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()

    async def __aenter__(self) -> Api:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()


@contextlib.asynccontextmanager
async def client(api: Api, backend: str) -> AsyncIterator[HomebaseClient]:
    async with HomebaseClient(
        API_KEY, base_url=api.base_url, http_backend=backend, retry=None, timeout=5.0
    ) as hb:
        yield hb


# -- the models ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "ada@example.com"}, "customer.email: expected a list, got a string"),
        ({"email": ["a@example.com", 3]}, "customer.email: expected a list of strings"),
        ({"firstName": None}, "customer.firstName: expected a string, got null"),
        ({"notifications": "yes"}, "customer.notifications: expected a boolean"),
        ({"phone": "+13038284444"}, "customer.phone: expected an object, got a string"),
        ({"phone": {"mobile": 3038284444}}, "phone.mobile: expected a string, got a number"),
        ({"phone": {"pager": None}}, "phone.pager: expected a string, got null"),
        ({"dateAdded": "2025-01-02T10:00:00"}, "customer.dateAdded: expected a timestamp with"),
        ({"dateAdded": "yesterday"}, "customer.dateAdded: expected an ISO 8601 timestamp"),
        ({"lastJob": 5}, "customer.lastJob: expected a timestamp or null, got a number"),
        ({"customerId": None}, "customer.customerId: expected a string, got null"),
    ],
)
def test_a_customer_field_of_the_wrong_type_is_refused_by_name(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(WrongShape) as info:
        Customer.from_dict({**ADA, **change})
    assert isinstance(info.value, TypeError)
    assert str(info.value).startswith(message), str(info.value)


def test_what_the_spec_allows_is_read() -> None:
    customer = Customer.from_dict({**ADA, "lastJob": None, "geo": {"lat": 1}})
    assert customer.last_job is None
    assert customer.additional_properties == {"geo": {"lat": 1}}
    assert customer.phone.mobile == "+13038284444"
    # An absent phone reads as an empty one, so `customer.phone.mobile` needs no check.
    bare = Customer.from_dict({"customerId": "c2"})
    assert bare.phone.to_dict() == {}
    assert bare.to_dict() == {"customerId": "c2"}


def test_a_missing_required_field_and_a_nested_place_are_named() -> None:
    with pytest.raises(WrongShape, match=r"^customer.customerId: expected a value \(required\)"):
        Customer.from_dict({"firstName": "Ada"})
    job = {"jobId": "j1", "customer": {**ADA, "email": "x"}, "start": "2025-01-02T10:00:00Z"}
    with pytest.raises(WrongShape, match=r"customer.email: .* \(at customer.email\)$"):
        Job.from_dict(job)
    items = {"jobId": "j1", "lineItems": [{"name": "x", "quantity": "1", "unitPrice": "1"}]}
    with pytest.raises(WrongShape, match=r"lineItem.quantity: .* \(at lineItems\[0\].quantity\)"):
        Job.from_dict(items)


@pytest.mark.parametrize("counter", ["7", None, 7.5, True])
def test_sms_counters_must_be_integers(counter: object) -> None:
    with pytest.raises(WrongShape, match=r"rateLimits\.dailyUsed: expected an integer"):
        RateLimits.from_dict({"dailyUsed": counter, "dailyLimit": 500})
    with pytest.raises(WrongShape, match=r"sentMessage\.rateLimits: expected an object, got null"):
        SentMessage.from_dict({**SENT, "rateLimits": None})


# -- through the client ----------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_customer_email_as_a_string_is_an_error_not_a_missing_customer(
    backend: str,
) -> None:
    strange = {**ADA, "email": "ada@example.com"}
    answers = {
        ("GET", "/customers"): (200, [strange]),
        ("POST", "/customers"): (201, {"customerId": "new"}),
    }
    async with Api(answers) as api, client(api, backend) as hb:
        with pytest.raises(UnexpectedResponseError, match=r"customer\.email: expected a list"):
            await hb.customers.search(email="ada@example.com")
        result = await hb.customers.lookup(["ada@example.com"])
        assert not result.missing
        assert list(result.failed) == ["ada@example.com"]
        assert "customer.email" in str(result.failed["ada@example.com"])
        item = {"first_name": "Ada", "email": "ada@example.com"}
        for _ in range(3):
            report = await hb.customers.upsert_many([item])
            assert not report.created
            assert list(report.failed) == [0]
        assert api.count("POST", "/customers") == 0  # Ada was never created again


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("counter", ["7", None])
async def test_sms_counters_of_the_wrong_type_after_a_send(backend: str, counter: object) -> None:
    sent = {**SENT, "rateLimits": {"dailyUsed": counter, "dailyLimit": 500}}
    answers = {("GET", "/messages/stats"): (200, STATS), ("POST", "/messages/send"): (200, sent)}
    async with Api(answers) as api, client(api, backend) as hb:
        with pytest.raises(WriteOutcomeUnknownError) as info:
            await hb.messages.send(mobile_phone="+13038284444", message="hi")
        assert info.value.performed is True
        assert "rateLimits.dailyUsed: expected an integer" in str(info.value)
        budget = hb.messages.budget
        assert budget is not None
        assert budget.used == 1  # the message counts
        items = [{"mobile_phone": "+13038284444", "message": f"m{i}"} for i in range(3)]
        report = await hb.messages.send_many(items, concurrency=2)
        assert sorted(report.outcome_unknown) == [0, 1, 2]
        assert not report.sent
        assert api.count("POST", "/messages/send") == 4  # each sent once, none again


async def test_a_job_timestamp_without_an_offset_is_an_error() -> None:
    job = {"jobId": "j1", "customerId": "c1", "start": "2025-01-02T10:00:00"}
    async with Api({("GET", "/jobs"): (200, [job])}) as api, client(api, "httpx") as hb:
        with pytest.raises(UnexpectedResponseError, match=r"job\.start: expected a timestamp"):
            await hb.jobs.get("j1")


@pytest.mark.parametrize("bad", [["a@example.com", ["nested"]], [{"a": 1}], [{"x"}]])
async def test_unhashable_identifiers_in_lookup_send_nothing(bad: list[Any]) -> None:
    async with Api({("GET", "/customers"): (200, [])}) as api, client(api, "httpx") as hb:
        with pytest.raises(ValidationError) as info:
            await hb.customers.lookup(bad)
        assert info.value.field == "identifiers"
        assert "unhashable" in str(info.value)
        assert api.requests == []
        # Other identifiers that cannot be sent are still reported one by one, as before.
        result = await hb.customers.lookup([b"bytes", "a@example.com"])  # type: ignore[list-item]
        assert list(result.failed) == ["b'bytes'"]
        assert result.missing == ["a@example.com"]

"""customers.lookup against the fake: exact against a brute-force expectation."""

from __future__ import annotations

import random
import warnings

import pytest
from _sdk_support import DownFor

from homebase_async import HomebaseClient, TruncatedResultWarning, ValidationError
from homebase_async.testing import FakeHomebase


def _keys(record: dict[str, object]) -> set[str]:
    phones = record.get("phone") or {}
    assert isinstance(phones, dict)
    emails = record.get("email") or []
    assert isinstance(emails, list)
    return (
        {str(record["customerId"])}
        | {v for v in phones.values() if v}
        | {e.casefold() for e in emails}
    )


def _expected(fake: FakeHomebase, identifiers: list[str]) -> dict[str, set[str]]:
    """Brute force over every stored customer: identifier -> customer ids."""
    expected: dict[str, set[str]] = {}
    records = [(_keys(dict(c)), str(c["customerId"])) for c in fake.customers.values()]
    for ident in identifiers:
        key = ident.casefold() if "@" in ident else ident
        ids = {cid for keys, cid in records if key in keys}
        if ids:
            expected[ident] = ids
    return expected


async def test_lookup_of_10000_mixed_identifiers_is_exact(
    fake: FakeHomebase, client: HomebaseClient
) -> None:
    fake.populate(customers=10_000, seed=3)
    rng = random.Random(5)
    identifiers: list[str] = []
    for record in fake.customers.values():
        pick = rng.random()
        mobile = record["phone"].get("mobile")
        if pick < 0.3:
            identifiers.append(record["customerId"])
        elif pick < 0.6 and mobile:
            identifiers.append(mobile)
        elif record["email"]:
            identifiers.append(record["email"][0].upper())  # e-mails match case-insensitively
        else:
            identifiers.append(record["customerId"])
    identifiers = identifiers[:9_500] + [f"nobody{i}@example.com" for i in range(400)]
    identifiers += ["+13030000000"] * 100  # duplicates, and a phone nobody has
    progress: list[tuple[int, int | None]] = []

    result = await client.customers.lookup(
        identifiers, concurrency=8, on_progress=lambda d, t: progress.append((d, t))
    )

    expected = _expected(fake, list(dict.fromkeys(identifiers)))
    got = {k: {c.customer_id for c in v} for k, v in result.matches.items()}
    assert got == expected
    assert set(result.missing) == set(dict.fromkeys(identifiers)) - set(expected)
    assert result.failed == {}
    assert len({c.customer_id for c in result.customers}) == len(result.customers)
    assert {c.customer_id for c in result.customers} == set().union(*expected.values())
    assert progress[-1] == (9_901, 9_901)
    # Close to the ideal of one request per 100 identifiers.
    assert result.requests <= 2 * -(-9_901 // 100)


async def test_every_identifier_lands_in_exactly_one_place(
    fake: FakeHomebase, client: HomebaseClient
) -> None:
    cid = fake.add_customer(first_name="Ada", phone="+13035550100", email="ada@example.com")
    result = await client.customers.lookup(
        [cid, "", "a,b", "ADA@example.com", "+13035550199", "  "]
    )
    assert set(result.matches) == {cid, "ADA@example.com"}
    assert result.missing == ["+13035550199"]
    assert set(result.failed) == {"", "a,b", "  "}
    assert all(isinstance(e, ValidationError) for e in result.failed.values())


async def test_a_response_at_the_cap_is_split_until_complete(
    fake: FakeHomebase, client: HomebaseClient
) -> None:
    # 60 phones, each shared by two customers: one request for all 60 would match 120
    # customers, come back cut at 100, and must be split.
    phones = [f"+1303555{i:04d}" for i in range(60)]
    for phone in phones:
        fake.add_customer(first_name="A", phone=phone)
        fake.add_customer(first_name="B", phone={"home": phone})
    result = await client.customers.lookup(phones)
    assert {p: len(c) for p, c in result.matches.items()} == dict.fromkeys(phones, 2)
    assert len(result.customers) == 120
    assert result.requests == 3  # the full one, then its two halves


async def test_one_identifier_matching_100_customers_warns_and_stops(
    fake: FakeHomebase, client: HomebaseClient
) -> None:
    for i in range(120):
        fake.add_customer(first_name=f"Twin{i}", phone="+13035550123")
    with pytest.warns(TruncatedResultWarning):
        result = await client.customers.lookup(["+13035550123"])
    assert result.truncated == ["+13035550123"]
    assert len(result.matches["+13035550123"]) == 100


async def test_lookup_reports_failed_requests_per_identifier(fake: FakeHomebase) -> None:
    from homebase_async import RetryPolicy, ServerError
    from homebase_async.testing import Faults

    fake.add_customer(first_name="Ada", phone="+13035550100")
    fake.set_faults(Faults(error_rates={500: 1.0}))
    async with HomebaseClient(
        "test-key",
        base_url="http://127.0.0.1/api/v1",
        transport=fake.transport(),
        retry=RetryPolicy(max_attempts=2),
    ) as hb:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = await hb.customers.lookup(["+13035550100", "x@example.com"])
    assert set(result.failed) == {"+13035550100", "x@example.com"}
    assert all(isinstance(e, ServerError) for e in result.failed.values())
    # Two attempts per call, and the chunk was asked again twice before it was given up.
    assert fake.stats.total == 2 * 3


async def test_a_chunk_that_fails_after_retries_is_asked_again(fake: FakeHomebase) -> None:
    from homebase_async import RetryPolicy

    ada = fake.add_customer(first_name="Ada", phone="+13035550100")
    async with HomebaseClient(
        "test-key",
        base_url="http://127.0.0.1/api/v1",
        transport=DownFor(fake.transport(), count=4, status=503),
        retry=RetryPolicy(max_attempts=2),
    ) as hb:
        result = await hb.customers.lookup(["+13035550100", "x@example.com"])
    assert result.failed == {}
    assert [c.customer_id for c in result.matches["+13035550100"]] == [ada]
    assert result.missing == ["x@example.com"]
    assert hb.stats["attempts"] == 5  # 2 + 2 failed, then the third round succeeded


@pytest.mark.parametrize(("status", "retry"), [(400, True), (503, False)])
async def test_no_new_round_for_a_permanent_error_or_without_retries(
    fake: FakeHomebase, status: int, retry: bool
) -> None:
    from homebase_async import RetryPolicy

    async with HomebaseClient(
        "test-key",
        base_url="http://127.0.0.1/api/v1",
        transport=DownFor(fake.transport(), count=100, status=status),
        retry=RetryPolicy(max_attempts=2) if retry else None,
    ) as hb:
        result = await hb.customers.lookup(["+13035550100"])
    assert set(result.failed) == {"+13035550100"}
    assert hb.stats["attempts"] == 1

"""The bench's lean server (scripts/bench/lean_server.py) answers searches as the fake does.

The lookup's latency target is measured against it, so it must be a faithful server: the
same customers in the fake's shape (strict reading passes), matched the fake's way.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from homebase_api.models import Customer

from homebase_async import AuthenticationError, HomebaseClient
from homebase_async.testing import FakeHomebase

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench" / "lean_server.py"


@pytest.fixture
async def lean() -> AsyncIterator[dict[str, Any]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SCRIPT),
        "--customers",
        "300",
        "--latency",
        "0",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=1 << 24,
    )
    assert proc.stdout is not None
    assert proc.stdin is not None
    try:
        yield json.loads(await proc.stdout.readline())
    finally:
        proc.stdin.close()
        await asyncio.wait_for(proc.wait(), 10)


async def test_lookup_against_the_lean_server_is_exact(lean: dict[str, Any]) -> None:
    customers = lean["customers"]
    identifiers = [row[index % 3] for index, row in enumerate(customers)]
    identifiers[2] = identifiers[2].upper()  # an e-mail: matched without case, as by the fake
    identifiers += ["NOBODY00000000000000", "nobody@example.com", "+13030000000"]
    async with HomebaseClient(lean["api_key"], base_url=lean["base_url"]) as hb:
        result = await hb.customers.lookup(identifiers, concurrency=4)
        one = await hb.customers.get(customers[0][0])
    assert result.failed == {}
    assert result.missing == identifiers[-3:]
    for ident, (cid, _, _) in zip(identifiers, customers, strict=False):
        assert cid in {c.customer_id for c in result.matches[ident]}
    # The same records as a fake of the same seed serves (times are those of each start).
    fake = FakeHomebase(seed=0)
    fake.populate(customers=300)
    served = Customer.from_dict(dict(fake.customers[customers[0][0]])).to_dict()
    timeless = {"dateAdded", "lastUpdated"}
    assert {k: v for k, v in one.to_dict().items() if k not in timeless} == {
        k: v for k, v in served.items() if k not in timeless
    }


async def test_a_wrong_key_is_refused(lean: dict[str, Any]) -> None:
    async with HomebaseClient("not-the-key", base_url=lean["base_url"]) as hb:
        result = await hb.customers.lookup(["x@example.com"])
        with pytest.raises(AuthenticationError):
            await hb.customers.get("C1")
    assert isinstance(result.failed["x@example.com"], AuthenticationError)

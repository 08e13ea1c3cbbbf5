"""Authentication, the error envelope, ping, and the generic request rules."""

from __future__ import annotations

import httpx
import pytest
from _testing_support import data, error

from homebase_async import HomebaseClient
from homebase_async.testing import ConnectionDropped, FakeHomebase, Faults

OPERATIONS = [
    ("GET", "/ping"),
    ("GET", "/customers"),
    ("POST", "/customers"),
    ("PUT", "/customers/abc"),
    ("GET", "/jobs"),
    ("POST", "/jobs"),
    ("PUT", "/jobs/abc"),
    ("GET", "/leads"),
    ("POST", "/leads"),
    ("PUT", "/leads/abc"),
    ("POST", "/messages/send"),
    ("GET", "/messages/stats"),
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
@pytest.mark.parametrize("key", [None, "wrong-key"])
async def test_every_operation_needs_the_right_key(
    fake: FakeHomebase, method: str, path: str, key: str | None
) -> None:
    headers = {} if key is None else {"x-api-key": key}
    transport = fake.transport()
    async with httpx.AsyncClient(transport=transport, base_url=fake.base_url) as client:
        response = await client.request(method, path, headers=headers, json={})
    message = error(response, 401)
    assert ("Missing" in message) is (key is None)
    assert fake.customers == {}


async def test_ping_names_the_business(client: httpx.AsyncClient) -> None:
    response = await client.get("/ping")
    assert response.status_code == 200
    assert data(response) == {
        "message": "API authentication successful",
        "email": "owner@example.com",
        "timestamp": "2024-01-15T14:30:00.000Z",
    }


async def test_the_sdk_client_accepts_the_base_url(fake: FakeHomebase) -> None:
    # HomebaseClient refuses plain http except to a loopback host: base_url must be one.
    assert fake.base_url == "http://127.0.0.1/api/v1"
    transport = fake.transport()
    async with HomebaseClient(fake.api_key, base_url=fake.base_url, transport=transport) as hb:
        ping = await hb.ping()
    assert ping.email == "owner@example.com"
    assert [(r.method, r.route, r.status) for r in fake.requests] == [("GET", "/ping", 200)]


@pytest.mark.parametrize("path", ["/nothing", "/customers/a/b", "/customers/"])
async def test_unknown_paths_are_404_envelopes(client: httpx.AsyncClient, path: str) -> None:
    error(await client.get(path), 404)


async def test_unknown_methods_are_405_envelopes(client: httpx.AsyncClient) -> None:
    error(await client.delete("/customers/abc"), 405)


@pytest.mark.parametrize("body", [b"{", b"[1, 2]", b'"text"', b"", b'{"quantity": NaN}'])
async def test_write_bodies_must_be_json_objects(client: httpx.AsyncClient, body: bytes) -> None:
    message = error(await client.post("/customers", content=body), 400)
    assert "body" in message


@pytest.mark.parametrize("path", ["/customers", "/jobs", "/leads"])
@pytest.mark.parametrize("limit", ["0", "101", "ten", "-1", "2.5"])
async def test_limit_must_be_1_to_100(client: httpx.AsyncClient, path: str, limit: str) -> None:
    response = await client.get(path, params={"limit": limit, "customerId": "x"})
    assert "limit" in error(response, 400)


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
async def test_updates_accept_put_and_patch(
    fake: FakeHomebase, client: httpx.AsyncClient, customer_id: str, method: str
) -> None:
    response = await client.request(method, f"/customers/{customer_id}", json={"notes": method})
    assert data(response) == {"message": "Customer updated"}
    assert fake.customers[customer_id]["notes"] == method


async def test_the_fake_has_a_stable_business_identity() -> None:
    first, second = FakeHomebase(seed=3), FakeHomebase(seed=3)
    assert first.business_id == second.business_id
    assert len(first.business_id) == 28
    assert first.business_id.isalnum()
    assert FakeHomebase(seed=4).business_id != first.business_id


async def test_the_bare_asgi_app_serves_and_injects_faults(fake: FakeHomebase) -> None:
    transport = httpx.ASGITransport(app=fake.app)
    headers = {"x-api-key": fake.api_key}
    async with httpx.AsyncClient(transport=transport, base_url=fake.base_url, headers=headers) as c:
        assert (await c.get("/ping")).status_code == 200
        fake.faults = Faults(error_rates={503: 1.0})
        assert (await c.get("/ping")).status_code == 503
        # Without a server socket to close, a drop is an exception the server must handle.
        fake.faults = Faults(drop_before=1.0)
        with pytest.raises(ConnectionDropped):
            await c.get("/ping")
    assert [record.fault for record in fake.requests] == [None, "error_503", "drop_before"]

"""openapi.yaml ↔ the fake: its routes, and the effect of every query parameter and body property.

Every query parameter of the spec has a check in QUERY_EFFECTS (a filter filters), every enum
query parameter refuses a value outside the enum, and every request-body property is sent to
the fake, through HTTP and through the facade, and read back (a field round-trips). Response
shapes are checked strictly in tests/testing/test_testing_contract.py.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from _spec_support import SpecOperation, enum_schemas, operations, resolve, snake, spec
from test_spec_coverage import ALLOWLIST, FACADE

from homebase_async import HomebaseClient
from homebase_async.testing import FakeHomebase
from homebase_async.testing._app import ROUTES
from homebase_async.testing._common import API_PREFIX
from homebase_async.testing._log import route_of
from homebase_async.testing._validate import LEAD_STATUSES

NOW = datetime(2024, 1, 15, 14, 30, tzinfo=UTC)
MOBILE = "+13038284444"
OTHER_MOBILE = "+13035550000"
ITEM: dict[str, Any] = {
    "name": "Window Cleaning",
    "description": "Cleaning all windows",
    "quantity": 1,
    "unitPrice": "150.00",
    "taxRate": {"name": "Standard", "rate": "7.00"},
}
SPEC_OPS = {op.operation_id: op for op in operations()}
FAKE_PLACE = "homebase_async/testing/ (handler in _app.py, checks in _validate.py, records in _{})"


# -- routes ------------------------------------------------------------------------------------


def test_fake_routes_are_the_spec_operations() -> None:
    fake = {(m, path) for path, _, methods in ROUTES for m in methods if m != "PATCH"}
    documented = {(op.method, op.path): op.operation_id for op in SPEC_OPS.values()}
    missing = {op_id: route for route, op_id in documented.items() if route not in fake}
    assert missing == {}, (
        f"spec operations the fake does not serve: {missing}; add a row to ROUTES and a handler "
        f"in homebase_async/testing/_app.py"
    )
    extra = sorted(fake - set(documented))
    assert extra == [], f"the fake serves routes the spec does not have: {extra}"


@pytest.mark.parametrize("op", SPEC_OPS.values(), ids=lambda op: op.operation_id)
def test_request_log_names_every_spec_route(op: SpecOperation) -> None:
    concrete = re.sub(r"\{\w+\}", "some-id", op.path)
    assert route_of(API_PREFIX + concrete) == op.path, (
        f"{op.operation_id}: the request log does not name {op.path} "
        f"(homebase_async/testing/_log.py derives its routes from _app.ROUTES)"
    )


def test_fake_enums_are_the_spec_enums() -> None:
    # Kept by hand in the spec's order (seeded example data draws from it); checked here.
    assert list(LEAD_STATUSES) == enum_schemas()["LeadStatus"], (
        "LeadStatus changed in openapi.yaml: update LEAD_STATUSES in "
        "homebase_async/testing/_validate.py"
    )


# -- a world with two of everything ------------------------------------------------------------


@dataclass
class World:
    fake: FakeHomebase
    http: httpx.AsyncClient
    ids: dict[str, str] = field(default_factory=dict)

    async def get(self, path: str, **params: str) -> list[dict[str, Any]]:
        response = await self.http.get(path, params=params)
        assert response.status_code == 200, response.text
        data: list[dict[str, Any]] = response.json()["data"]
        return data

    async def ids_of(self, path: str, key: str, **params: str) -> set[str]:
        return {record[key] for record in await self.get(path, **params)}


@pytest.fixture
async def world() -> Any:
    fake = FakeHomebase(order="stable", now=NOW)
    first = fake.add_customer(
        first_name="John", last_name="Smith", phone=MOBILE, email="john@example.com"
    )
    second = fake.add_customer(first_name="Ann", phone=OTHER_MOBILE, email="ann@example.com")
    ids = {
        "customer": first,
        "other_customer": second,
        "job": fake.add_job(first, start=NOW),
        "other_job": fake.add_job(second, start=datetime(2024, 3, 1, 9, tzinfo=UTC)),
        "lead": fake.add_lead(first, status="new"),
        "other_lead": fake.add_lead(second, status="on_hold"),
    }
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers={"x-api-key": fake.api_key}
    ) as http:
        yield World(fake, http, ids)


# -- query parameters: a filter filters ----------------------------------------------------------

Effect = Callable[[World], Awaitable[None]]


async def _customers_by_id(w: World) -> None:
    assert await w.ids_of("/customers", "customerId", customerId=w.ids["other_customer"]) == {
        w.ids["other_customer"]
    }


async def _customers_by_phone(w: World) -> None:
    found = await w.ids_of("/customers", "customerId", phone=OTHER_MOBILE)
    assert found == {w.ids["other_customer"]}


async def _customers_by_email(w: World) -> None:
    found = await w.ids_of("/customers", "customerId", email="john@example.com")
    assert found == {w.ids["customer"]}


async def _customers_by_identifiers(w: World) -> None:
    both = f"{w.ids['customer']},ann@example.com"
    found = await w.ids_of("/customers", "customerId", identifiers=both)
    assert found == {w.ids["customer"], w.ids["other_customer"]}


async def _customers_limit(w: World) -> None:
    both = f"{w.ids['customer']},{w.ids['other_customer']}"
    assert len(await w.get("/customers", identifiers=both, limit="1")) == 1


WINDOW = {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-12-31T00:00:00Z"}


async def _jobs_by_id(w: World) -> None:
    assert await w.ids_of("/jobs", "jobId", jobId=w.ids["other_job"]) == {w.ids["other_job"]}


async def _jobs_start(w: World) -> None:
    everything = await w.ids_of("/jobs", "jobId", **WINDOW)
    assert everything == {w.ids["job"], w.ids["other_job"]}
    later = await w.ids_of("/jobs", "jobId", **{**WINDOW, "startDate": "2024-02-01T00:00:00Z"})
    assert later == {w.ids["other_job"]}


async def _jobs_end(w: World) -> None:
    earlier = await w.ids_of("/jobs", "jobId", **{**WINDOW, "endDate": "2024-02-01T00:00:00Z"})
    assert earlier == {w.ids["job"]}


async def _jobs_limit(w: World) -> None:
    assert len(await w.get("/jobs", **WINDOW, limit="1")) == 1


async def _leads_by_id(w: World) -> None:
    assert await w.ids_of("/leads", "leadId", leadId=w.ids["other_lead"]) == {w.ids["other_lead"]}


async def _leads_by_customer(w: World) -> None:
    found = await w.ids_of("/leads", "leadId", customerId=w.ids["customer"])
    assert found == {w.ids["lead"]}


async def _leads_by_status(w: World) -> None:
    assert await w.ids_of("/leads", "leadId", status="on_hold") == {w.ids["other_lead"]}


async def _leads_limit(w: World) -> None:
    assert len(await w.get("/leads")) == 2
    assert len(await w.get("/leads", limit="1")) == 1


QUERY_EFFECTS: dict[tuple[str, str], Effect] = {
    ("getCustomers", "customerId"): _customers_by_id,
    ("getCustomers", "phone"): _customers_by_phone,
    ("getCustomers", "email"): _customers_by_email,
    ("getCustomers", "identifiers"): _customers_by_identifiers,
    ("getCustomers", "limit"): _customers_limit,
    ("getJobs", "jobId"): _jobs_by_id,
    ("getJobs", "startDate"): _jobs_start,
    ("getJobs", "endDate"): _jobs_end,
    ("getJobs", "limit"): _jobs_limit,
    ("getLeads", "leadId"): _leads_by_id,
    ("getLeads", "customerId"): _leads_by_customer,
    ("getLeads", "status"): _leads_by_status,
    ("getLeads", "limit"): _leads_limit,
}
SPEC_QUERY = [(op.operation_id, name) for op in SPEC_OPS.values() for name in op.query]


def test_every_query_parameter_has_an_effect_check() -> None:
    missing = [
        f"{op_id}: query parameter `{name}` is not exercised against the fake; add a check to "
        f"QUERY_EFFECTS in tests/test_spec_fake.py and make the fake honour it "
        f"({FAKE_PLACE.format(SPEC_OPS[op_id].tag + '.py')})"
        for op_id, name in SPEC_QUERY
        if (op_id, name) not in QUERY_EFFECTS
    ]
    assert missing == [], "\n".join(missing)
    stale = sorted(set(QUERY_EFFECTS) - set(SPEC_QUERY))
    assert stale == [], f"QUERY_EFFECTS checks parameters the spec no longer has: {stale}"


@pytest.mark.parametrize("key", sorted(QUERY_EFFECTS), ids=lambda key: "-".join(key))
async def test_query_parameter_effect(world: World, key: tuple[str, str]) -> None:
    await QUERY_EFFECTS[key](world)


def _query_schema(op: SpecOperation, name: str) -> dict[str, Any]:
    item = spec()["paths"][op.path]
    params = item.get("parameters", []) + item[op.method.lower()].get("parameters", [])
    for param in map(resolve, params):
        if param["name"] == name:
            schema: dict[str, Any] = resolve(param["schema"])
            return schema
    raise AssertionError(name)


ENUM_QUERY = [key for key in SPEC_QUERY if "enum" in _query_schema(SPEC_OPS[key[0]], key[1])]


@pytest.mark.parametrize("key", ENUM_QUERY, ids=lambda key: "-".join(key))
async def test_enum_query_parameter_refuses_other_values(
    world: World, key: tuple[str, str]
) -> None:
    op_id, name = key
    response = await world.http.get(SPEC_OPS[op_id].path, params={name: "not-a-value"})
    assert response.status_code == 400, (
        f"{op_id}: the fake answered {response.status_code} to {name}=not-a-value; the spec "
        f"allows only {_query_schema(SPEC_OPS[op_id], name)['enum']}: make the fake check it "
        f"({FAKE_PLACE.format(SPEC_OPS[op_id].tag + '.py')})"
    )


# -- body properties: a field round-trips -----------------------------------------------------

LATER_START, LATER_END = "2024-01-15T13:00:00Z", "2024-01-15T18:00:00Z"
# Values with a meaning the schema cannot give; every other sample comes from the schema.
SAMPLES: dict[str, Any] = {
    "phone": {"mobile": "+13035550123", "home": "+13035550124"},
    "mobilePhone": MOBILE,
    "customerId": "{customer}",
    "email": ["sample@example.com"],
    "lineItems": [ITEM],
    "start": LATER_START,
    "end": LATER_END,
    "mediaUrl": "https://example.com/a.png",
    "leadSource": "Referral",
}
# The smallest valid body each create needs, before the property under test is added.
BASE_BODIES: dict[str, dict[str, Any]] = {
    "createCustomer": {"firstName": "Base", "email": ["base@example.com"]},
    "createJob": {
        "customerId": "{customer}",
        "start": "2024-01-15T14:00:00Z",
        "end": "2024-01-15T17:00:00Z",
        "lineItems": [ITEM],
    },
    "createLead": {"lastName": "Base", "email": ["lead@example.com"]},
    "sendMessage": {"mobilePhone": MOBILE, "message": "base"},
}
# Properties the API takes but never reads back: checked on the fake's stored record.
STORED_ONLY = {
    # The docs show no leadSource on job reads; the fake keeps what it was sent.
    ("createJob", "leadSource"),
}


def sample(name: str, schema: Any) -> Any:
    """A value of `schema` unlike any default, for the property `name`."""
    if name in SAMPLES:
        return SAMPLES[name]
    schema = resolve(schema)
    if "oneOf" in schema:
        arrays = [s for s in map(resolve, schema["oneOf"]) if s.get("type") == "array"]
        return sample(name, arrays[0] if arrays else schema["oneOf"][0])
    if "allOf" in schema:
        rest = {key: value for key, value in schema.items() if key != "allOf"}
        return sample(name, {**resolve(schema["allOf"][0]), **rest})
    if "enum" in schema:
        return schema["enum"][-1]
    kind = schema.get("type")
    if kind == "boolean":
        return not schema.get("default", False)
    if kind == "integer":
        return 7
    if kind == "number":
        return 2.5
    if kind == "array":
        return [sample(f"{name}-item", schema.get("items", {}))]
    return f"{name}-sample"


def fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return re.sub(r"^\{(\w+)\}$", lambda match: ids[match[1]], value)
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return value


def same(sent: Any, got: Any) -> bool:
    """Whether the read-back value is what was sent (objects may carry more keys)."""
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(same(v, got.get(k)) for k, v in sent.items())
    if isinstance(sent, list):
        return isinstance(got, list) and len(sent) == len(got) and all(map(same, sent, got))
    if isinstance(sent, str) and isinstance(got, str) and re.match(r"\d{4}-\d\d-\d\dT", sent):
        return datetime.fromisoformat(sent) == datetime.fromisoformat(got)
    if hasattr(got, "value"):  # an enum from a model
        got = got.value
    return bool(sent == got)


def read_value(op_id: str, name: str, record: dict[str, Any]) -> Any:
    """Where a body property shows on the record read back (a lead's customer details too)."""
    if name in record:
        return record[name]
    customer = record.get("customer")
    if isinstance(customer, dict) and op_id == "createLead" and name in customer:
        return customer[name]
    return None


def body_cases() -> list[tuple[str, str]]:
    return [(op.operation_id, name) for op in SPEC_OPS.values() for name in op.body_properties]


def _tag_path(op: SpecOperation) -> str:
    return "/" + op.path.strip("/").split("/")[0]


async def http_read_back(w: World, op: SpecOperation, record_id: str | None) -> dict[str, Any]:
    if op.operation_id == "sendMessage":
        return w.fake.sms_sent[-1]
    assert record_id is not None
    id_key = {"/customers": "customerId", "/jobs": "jobId", "/leads": "leadId"}[_tag_path(op)]
    (record,) = await w.get(_tag_path(op), **{id_key: record_id})
    return record


def stored(w: World, op: SpecOperation, record_id: str) -> dict[str, Any]:
    views = {"/customers": w.fake.customers, "/jobs": w.fake.jobs, "/leads": w.fake.leads}
    return dict(views[_tag_path(op)][record_id])


def _property_schema(op: SpecOperation, name: str) -> Any:
    assert op.body_schema is not None
    return spec()["components"]["schemas"][op.body_schema]["properties"][name]


def _target(w: World, op: SpecOperation) -> str | None:
    """The id an update changes (the world's first record of the resource)."""
    if op.method != "PUT":
        return None
    return w.ids[{"/customers": "customer", "/jobs": "job", "/leads": "lead"}[_tag_path(op)]]


def _failure(op: SpecOperation, name: str, value: Any, got: Any, via: str) -> str:
    return (
        f"{op.operation_id}: body property `{name}` sent as {value!r} {via} did not come back "
        f"(read back {got!r}); make the fake keep and return it "
        f"({FAKE_PLACE.format(op.tag + '.py')}), and the facade pass it on "
        f"({FACADE[op.operation_id].place if op.operation_id in FACADE else op.tag})"
    )


@pytest.mark.parametrize("case", body_cases(), ids=lambda case: "-".join(case))
async def test_body_property_round_trips_through_the_fake(
    world: World, case: tuple[str, str]
) -> None:
    op_id, name = case
    op = SPEC_OPS[op_id]
    value = fill(sample(name, _property_schema(op, name)), world.ids)
    body = {**fill(BASE_BODIES.get(op_id, {}), world.ids), name: value}
    target = _target(world, op)
    path = op.path if target is None else re.sub(r"\{\w+\}", target, op.path)
    response = await world.http.request(op.method, path, json=body)
    assert response.status_code in (200, 201), (op_id, body, response.text)
    data = response.json()["data"]
    record_id = target or data.get(
        {"/customers": "customerId", "/jobs": "jobId"}.get(_tag_path(op), "leadId")
    )
    if case in STORED_ONLY:
        record = stored(world, op, record_id)
    else:
        record = await http_read_back(world, op, record_id)
    got = read_value(op_id, name, record)
    assert same(value, got), _failure(op, name, value, got, "over HTTP")


def facade_value(name: str, value: Any) -> Any:
    return value


@pytest.mark.parametrize("case", body_cases(), ids=lambda case: "-".join(case))
async def test_body_property_round_trips_through_the_facade(
    world: World, case: tuple[str, str]
) -> None:
    op_id, name = case
    op = SPEC_OPS[op_id]
    keyword = ALLOWLIST.get(case, snake(name))
    if keyword is None or op_id not in FACADE:
        pytest.skip("deliberately not in the facade, or no facade operation (test_spec_coverage)")
    value = fill(sample(name, _property_schema(op, name)), world.ids)
    base = {snake(k): v for k, v in fill(BASE_BODIES.get(op_id, {}), world.ids).items()}
    target = _target(world, op)
    hb = HomebaseClient(
        world.fake.api_key,
        base_url=world.fake.base_url,
        transport=world.fake.transport(),
        retry=None,
    )
    async with hb:
        resource = getattr(hb, op.tag)
        method = getattr(resource, FACADE[op_id].method.__name__)
        if keyword not in inspect.signature(method).parameters:
            pytest.fail(
                f"{op_id}: body property `{name}` has no keyword `{keyword}` on "
                f"{FACADE[op_id].place}; add it and pass it on to the generated model"
            )
        kwargs = {**base, keyword: value}
        result = await (method(target, **kwargs) if target else method(**kwargs))
        record_id = target or (
            result if isinstance(result, str) else getattr(result, "lead_id", None)
        )
        if op_id == "sendMessage":
            record = world.fake.sms_sent[-1]
        elif case in STORED_ONLY:
            record = stored(world, op, str(record_id))
        else:
            record = (await resource.get(record_id)).to_dict()
    got = read_value(op_id, name, record)
    assert same(value, got), _failure(op, name, value, got, f"as {keyword}= through the facade")

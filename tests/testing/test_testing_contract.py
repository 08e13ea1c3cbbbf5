"""Every response of every operation, success and error, conforms to openapi.yaml."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from _testing_support import ITEM, MOBILE, NOW, client_for
from openapi_schema_validator import OAS30Validator, oas30_format_checker

import homebase_async
from homebase_async.testing import FakeHomebase, Faults

SPEC_PATH = Path(homebase_async.__file__).resolve().parents[1] / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
OTHER_MOBILE = "+13035550000"


@dataclass
class World:
    """A fake with one of each record, and their ids."""

    fake: FakeHomebase
    ids: dict[str, str] = field(default_factory=dict)


def make_world(**options: Any) -> World:
    fake = FakeHomebase(order="stable", now=NOW, **options)
    customer = fake.add_customer(first_name="John", last_name="Smith", phone=MOBILE)
    bare = fake.add_customer(first_name="No", last_name="Mobile", email="no@example.com")
    ids = {
        "customer": customer,
        "bare": bare,
        "job": fake.add_job(customer, start=NOW),
        "lead": fake.add_lead(customer, line_items=[ITEM]),
        "archived": fake.add_lead(customer, archived=True),
    }
    return World(fake, ids)


@dataclass(frozen=True)
class Call:
    """One request: method, path (ids as {customer} etc.), JSON body, query, expected status."""

    method: str
    path: str
    status: int
    body: Any = None
    params: dict[str, str] | None = None
    key: str | None = "test-key"
    world: Callable[[], World] = make_world


WINDOW = {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-02-01T00:00:00Z"}
NEW_JOB = {
    "customerId": "{customer}",
    "start": "2024-02-01T10:00:00Z",
    "end": "2024-02-01T12:00:00Z",
}
CALLS = {
    "ping": Call("GET", "/ping", 200),
    "ping no key": Call("GET", "/ping", 401, key=None),
    "ping bad key": Call("GET", "/ping", 401, key="wrong"),
    "customers by phone": Call("GET", "/customers", 200, params={"phone": MOBILE}),
    "customers by identifiers": Call(
        "GET", "/customers", 200, params={"identifiers": "{customer},{bare}"}
    ),
    "customers none": Call("GET", "/customers", 200),
    "customers bad limit": Call("GET", "/customers", 400, params={"limit": "0", "email": "x"}),
    "customers too many": Call(
        "GET", "/customers", 400, params={"identifiers": ",".join("x" * 101)}
    ),
    "create customer": Call(
        "POST", "/customers", 201, {"firstName": "A", "email": "a@x.com;b@x.com", "tags": "a*b"}
    ),
    "create customer invalid": Call("POST", "/customers", 400, {"firstName": "A"}),
    "update customer": Call("PUT", "/customers/{customer}", 200, {"notes": "n", "email": []}),
    "patch customer": Call("PATCH", "/customers/{customer}", 200, {"phone": {"home": ""}}),
    "update customer invalid": Call(
        "PUT", "/customers/{customer}", 400, {"email": ["a", "b", "c"]}
    ),
    "update customer unknown": Call("PUT", "/customers/unknown", 404, {"notes": "n"}),
    "jobs today": Call("GET", "/jobs", 200),
    "jobs window": Call("GET", "/jobs", 200, params=WINDOW),
    "jobs by id": Call("GET", "/jobs", 200, params={"jobId": "{job}"}),
    "jobs bad date": Call("GET", "/jobs", 400, params={"startDate": "yesterday"}),
    "create job": Call(
        "POST", "/jobs", 201, {**NEW_JOB, "lineItems": [ITEM], "leadSource": "Direct"}
    ),
    "create job legacy source": Call(
        "POST", "/jobs", 201, {**NEW_JOB, "lineItems": [ITEM], "leadSource": {"online": True}}
    ),
    "create job invalid": Call("POST", "/jobs", 400, {**NEW_JOB, "lineItems": []}),
    "create job unknown customer": Call(
        "POST", "/jobs", 404, {**NEW_JOB, "customerId": "unknown", "lineItems": [ITEM]}
    ),
    "update job": Call("PUT", "/jobs/{job}", 200, {"note": "later"}),
    "update job invalid": Call("PUT", "/jobs/{job}", 400, {"end": "2000-01-01T00:00:00Z"}),
    "update job unknown": Call("PUT", "/jobs/unknown", 404, {"note": "n"}),
    "leads": Call("GET", "/leads", 200),
    "leads filtered": Call(
        "GET", "/leads", 200, params={"customerId": "{customer}", "status": "new"}
    ),
    "leads bad status": Call("GET", "/leads", 400, params={"status": "won"}),
    "create lead by id": Call(
        "POST", "/leads", 201, {"customerId": "{customer}", "leadSource": "X"}
    ),
    "create lead by mobile": Call(
        "POST", "/leads", 201, {"firstName": "J", "phone": {"mobile": MOBILE}, "lineItems": [ITEM]}
    ),
    "create lead new customer": Call(
        "POST", "/leads", 201, {"lastName": "Doe", "email": ["d@example.com"], "status": "on_hold"}
    ),
    "create lead invalid": Call("POST", "/leads", 400, {"lastName": "Doe"}),
    "create lead unknown customer": Call("POST", "/leads", 404, {"customerId": "unknown"}),
    "update lead": Call("PUT", "/leads/{lead}", 200, {"status": "first_contact", "assignedTo": []}),
    "update lead invalid": Call("PUT", "/leads/{lead}", 400, {"lineItems": [{"name": "x"}]}),
    "update archived lead": Call("PUT", "/leads/{archived}", 404, {"note": "n"}),
    "send sms": Call("POST", "/messages/send", 200, {"mobilePhone": MOBILE, "message": "hi"}),
    "send mms": Call(
        "POST",
        "/messages/send",
        200,
        {"customerId": "{customer}", "mediaUrl": "https://x.io/a.png"},
    ),
    "send invalid": Call("POST", "/messages/send", 400, {"customerId": "{customer}"}),
    "send no mobile": Call("POST", "/messages/send", 400, {"customerId": "{bare}", "message": "m"}),
    "send unknown": Call(
        "POST", "/messages/send", 404, {"mobilePhone": OTHER_MOBILE, "message": "m"}
    ),
    "send not enterprise": Call(
        "POST",
        "/messages/send",
        403,
        {"mobilePhone": MOBILE, "message": "m"},
        world=lambda: make_world(enterprise=False),
    ),
    "send over the cap": Call(
        "POST",
        "/messages/send",
        429,
        {"mobilePhone": MOBILE, "message": "m"},
        world=lambda: make_world(sms_daily_limit=0),
    ),
    "stats": Call("GET", "/messages/stats", 200),
    "stats not enterprise": Call(
        "GET", "/messages/stats", 403, world=lambda: make_world(enterprise=False)
    ),
}

# One successful call per operation, replayed without the key and with injected faults.
OPERATION_CALLS = [
    "ping",
    "customers by phone",
    "create customer",
    "update customer",
    "jobs window",
    "create job",
    "update job",
    "leads",
    "create lead by id",
    "update lead",
    "send sms",
    "stats",
]
CALLS.update(
    {f"{name} without key": dataclasses.replace(CALLS[name], key=None, status=401)
     for name in OPERATION_CALLS}
)  # fmt: skip


def fill(value: Any, ids: dict[str, str]) -> Any:
    """Replace {name} placeholders with the world's ids."""
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda match: ids[match[1]], value)
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return value


def operation(method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The spec's operation for a concrete path (PATCH is checked against PUT)."""
    for template, item in SPEC["paths"].items():
        if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), path):
            return template, item["put" if method == "PATCH" else method.lower()]
    raise AssertionError(f"{method} {path} is not in openapi.yaml")


def node_ref(ref: str) -> list[str]:
    return ref.removeprefix("#/").split("/")


def documented_response(spec_operation: dict[str, Any], status: int) -> dict[str, Any]:
    responses = spec_operation["responses"]
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            response: dict[str, Any] = responses[key]
            while "$ref" in response:
                target: Any = SPEC
                for part in node_ref(response["$ref"]):
                    target = target[part]
                response = target
            return response
    raise AssertionError(f"status {status} is not documented; documented: {sorted(responses)}")


# Declared properties a response may leave out (strict reading: every other one is present).
OPTIONAL_IN_RESPONSES = {
    # Set by the first job of the customer; a customer without jobs has none.
    ("Customer", "lastJob"),
}


def strict(node: Any, name: str | None = None) -> Any:
    """The schema read strictly: no undeclared properties, every declared one required.

    Objects that declare `additionalProperties` (Phone) keep it; OPTIONAL_IN_RESPONSES lists
    the declared properties that may be absent.
    """
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: strict(value) for key, value in node.items()}
    if "properties" in node and node.get("type", "object") == "object":
        result.setdefault("additionalProperties", False)
        result["required"] = [
            prop for prop in node["properties"] if (name, prop) not in OPTIONAL_IN_RESPONSES
        ]
    return result


STRICT_COMPONENTS = {
    **SPEC["components"],
    "schemas": {
        name: strict(schema, name) for name, schema in SPEC["components"]["schemas"].items()
    },
}


def assert_conforms(method: str, path: str, response: httpx.Response) -> None:
    template, spec_operation = operation(method, path)
    documented = documented_response(spec_operation, response.status_code)
    content_type = response.headers["content-type"].split(";")[0]
    assert content_type in documented["content"], (template, response.status_code, content_type)
    schema = documented["content"][content_type]["schema"]
    validator = OAS30Validator(
        {**schema, "components": STRICT_COMPONENTS}, format_checker=oas30_format_checker
    )
    # JSON bodies are validated decoded; any other documented type (text/html) as the text.
    body = response.json() if content_type == "application/json" else response.text
    errors = [error.message for error in validator.iter_errors(body)]
    assert errors == [], (method, template, response.status_code, errors, response.text[:500])
    for header in documented.get("headers", {}):
        assert isinstance(response.headers.get(header, ""), str)


async def send(world: World, call: Call) -> tuple[str, httpx.Response]:
    path = fill(call.path, world.ids)
    headers = {} if call.key is None else {"x-api-key": call.key}
    async with client_for(world.fake) as client:
        client.headers.pop("x-api-key")
        response = await client.request(
            call.method,
            path,
            json=fill(call.body, world.ids),
            params=fill(call.params, world.ids),
            headers=headers,
        )
    return path, response


@pytest.mark.parametrize("name", list(CALLS))
async def test_response_conforms(name: str) -> None:
    call = CALLS[name]
    world = call.world()
    path, response = await send(world, call)
    assert response.status_code == call.status, response.text
    assert_conforms(call.method, path, response)


def test_every_operation_and_documented_status_is_exercised() -> None:
    exercised = set()
    for call in CALLS.values():
        template, _ = operation(call.method, call.path.replace("{", "").replace("}", ""))
        exercised.add(
            (template, "put" if call.method == "PATCH" else call.method.lower(), call.status)
        )
    for template, item in SPEC["paths"].items():
        for method, spec_operation in item.items():
            if method == "parameters":
                continue
            codes = set(spec_operation["responses"])
            statuses = {int(code) for code in codes if code.isdigit()}
            # The only range is 5XX, which comes from faults (test_injected_gateway_errors_conform).
            assert codes - {str(code) for code in statuses} == {"5XX"}, (method, template)
            # 429 and 500 come from faults (below); 200 and 201 are alternatives for creates.
            done = {code for code in statuses if (template, method, code) in exercised}
            missing = statuses - done - {429, 500}
            if {200, 201} <= statuses and done & {200, 201}:
                missing -= {200, 201}
            assert missing == set(), (method, template)


@pytest.mark.parametrize("status", [429, 500])
@pytest.mark.parametrize("name", OPERATION_CALLS)
async def test_injected_errors_conform(name: str, status: int) -> None:
    call = CALLS[name]
    world = call.world()
    world.fake.faults = Faults(error_rates={status: 1.0}, retry_after="http-date")
    path, response = await send(world, call)
    assert response.status_code == status
    assert_conforms(call.method, path, response)
    assert world.fake.requests[-1].fault == f"error_{status}"


# Front-end answers: 502/503/504 as the envelope or an HTML page, and HTML 500s.
GATEWAY_ERRORS = [(status, html) for status in (502, 503, 504) for html in (False, True)]
GATEWAY_ERRORS.append((500, True))


@pytest.mark.parametrize(("status", "html"), GATEWAY_ERRORS)
@pytest.mark.parametrize("name", OPERATION_CALLS)
async def test_injected_gateway_errors_conform(name: str, status: int, html: bool) -> None:
    call = CALLS[name]
    world = call.world()
    world.fake.faults = Faults(error_rates={status: 1.0}, html_errors=html)
    path, response = await send(world, call)
    assert response.status_code == status
    content_type = response.headers["content-type"]
    assert content_type.startswith("text/html" if html else "application/json")
    assert_conforms(call.method, path, response)
    assert world.fake.requests[-1].fault == f"error_{status}"

"""The spec and the generated models: every example round-trips, the spec validates, and
update models send only what was set."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from homebase_api import models
from homebase_api.types import UNSET
from openapi_spec_validator import validate

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_REF = "#/components/schemas/"


def _schema_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref", "")
    return ref.removeprefix(_REF) if ref.startswith(_REF) else None


def _content_examples(where: str, holder: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    for media_type, media in holder.get("content", {}).items():
        name = _schema_name(media.get("schema", {}))
        if "example" in media and name is not None:
            yield f"{where} {media_type}", name, media["example"]
        for key, example in media.get("examples", {}).items():
            if name is not None:
                yield f"{where} {media_type} {key}", name, example["value"]


def collect_examples() -> list[tuple[str, str, Any]]:
    """(where, schema name, example) for every example whose schema is a generated model."""
    found: list[tuple[str, str, Any]] = []
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            where = f"{method.upper()} {path}"
            if "requestBody" in operation:
                found += _content_examples(f"{where} request", operation["requestBody"])
            for status, response in operation["responses"].items():
                # Shared responses ($ref) are collected once, from components below.
                if "$ref" not in response:
                    found += _content_examples(f"{where} {status}", response)
    for name, response in SPEC["components"]["responses"].items():
        found += _content_examples(f"responses.{name}", response)
    for name, schema in SPEC["components"]["schemas"].items():
        if "example" in schema and hasattr(models, name):
            found.append((f"schemas.{name}", name, schema["example"]))
    return found


EXAMPLES = collect_examples()


def normalized(value: Any) -> Any:
    """The value with date-time strings parsed, as the generator writes `+00:00` for `Z`."""
    if isinstance(value, dict):
        return {key: normalized(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalized(item) for item in value]
    if isinstance(value, str) and _DATE_TIME.match(value):
        return dt.datetime.fromisoformat(value)
    return value


def test_the_spec_is_valid_openapi() -> None:
    validate(SPEC)


def test_examples_were_found() -> None:
    # Every operation has a documented response example; bodies have request examples.
    where = {w.split(" ")[0] + " " + w.split(" ")[1] for w, _, _ in EXAMPLES if " /" in w}
    assert len(where) == 12
    names = {name for _, name, _ in EXAMPLES}
    assert {"NewCustomer", "CustomerUpdate", "NewJob", "JobUpdate", "NewLead"} <= names
    assert {"LeadUpdate", "SendMessageRequest", "ErrorResponse", "LineItem", "Phone"} <= names


@pytest.mark.parametrize(("where", "name", "example"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_round_trips(where: str, name: str, example: Any) -> None:
    cls = getattr(models, name)
    original = copy.deepcopy(example)
    model = cls.from_dict(example)
    assert example == original, "from_dict must not change its input"
    assert normalized(model.to_dict()) == normalized(example)


def test_unknown_keys_are_kept() -> None:
    customer = {
        "customerId": "c1",
        "firstName": "Ada",
        "geocodedAddresses": [{"address": "1 Main St", "lat": 39.7, "lng": -104.9}],
        "phone": {"mobile": "+13038284444", "pager": "+13038280000"},
    }
    job = {"jobId": "j1", "customer": customer, "futureField": {"x": 1}}
    model = models.Job.from_dict(job)
    assert model.additional_properties == {"futureField": {"x": 1}}
    assert isinstance(model.customer, models.Customer)
    assert model.customer.additional_properties["geocodedAddresses"][0]["lat"] == 39.7
    assert model.customer.phone
    assert model.customer.phone.additional_properties == {"pager": "+13038280000"}
    assert model.to_dict() == job


def test_a_null_last_job() -> None:
    customer = models.Customer.from_dict({"customerId": "c1", "lastJob": None})
    assert customer.last_job is None
    assert customer.to_dict() == {"customerId": "c1", "lastJob": None}


def test_lead_source_in_both_forms() -> None:
    base = {
        "customerId": "c1",
        "start": "2023-05-15T14:30:00Z",
        "end": "2023-05-15T16:30:00Z",
        "lineItems": [{"name": "x", "quantity": 1, "unitPrice": "1.00"}],
    }
    for source in ("Online", {"online": True, "referral": False, "salesPerson": None}):
        body = {**base, "leadSource": source}
        assert normalized(models.NewJob.from_dict(body).to_dict()) == normalized(body)


UPDATE_MODELS = [models.CustomerUpdate, models.JobUpdate, models.LeadUpdate]


@pytest.mark.parametrize("cls", UPDATE_MODELS)
def test_update_models_have_no_defaults(cls: type[Any]) -> None:
    assert cls().to_dict() == {}
    assert cls.from_dict({}).to_dict() == {}
    for field in attrs.fields(cls):
        if field.name != "additional_properties":
            assert field.default is UNSET, f"{cls.__name__}.{field.name}"


def test_update_models_send_only_what_was_set() -> None:
    assert models.CustomerUpdate(notes="x").to_dict() == {"notes": "x"}
    assert models.CustomerUpdate(notifications=False).to_dict() == {"notifications": False}
    assert models.CustomerUpdate(email=[]).to_dict() == {"email": []}
    start = dt.datetime(2023, 5, 15, 15, tzinfo=dt.UTC)
    assert normalized(models.JobUpdate(start=start).to_dict()) == {"start": start}
    assert models.JobUpdate(note="").to_dict() == {"note": ""}
    assert models.LeadUpdate(status=models.LeadStatus.ON_HOLD).to_dict() == {"status": "on_hold"}
    assert models.LeadUpdate(assigned_to=[]).to_dict() == {"assignedTo": []}


def test_lead_status_enum() -> None:
    spec_values = SPEC["components"]["schemas"]["LeadStatus"]["enum"]
    assert sorted(s.value for s in models.LeadStatus) == sorted(spec_values)


MODELS_DIR = Path(__file__).resolve().parents[1] / "generated" / "homebase_api" / "models"


@pytest.mark.parametrize("path", sorted(MODELS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_models_come_from_the_fast_strict_template(path: Path) -> None:
    # templates/model.py.jinja: no copy of the input, no import inside a function, and every
    # model reads strictly (make check-generated proves generated/ is this template's output).
    text = path.read_text(encoding="utf-8")
    if "def from_dict" not in text:
        return  # enums and __init__
    assert "dict(src_dict)" not in text
    assert "noqa: PLC0415" not in text
    assert "WrongShape" in text


def test_reading_never_changes_its_input_and_keeps_unknown_keys_typed() -> None:
    phone = {"mobile": "+13038284444", "pager": "+13038280000"}
    original = copy.deepcopy(phone)
    model = models.Phone.from_dict(phone)
    assert phone == original
    assert model.additional_properties == {"pager": "+13038280000"}
    assert models.Phone.from_dict({}).to_dict() == {}

"""scripts/spec_diff.py: surface extraction, diff classification and facade names."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from _spec_support import spec

_PATH = Path(__file__).resolve().parents[1] / "scripts" / "spec_diff.py"
_SPEC = importlib.util.spec_from_file_location("spec_diff", _PATH)
assert _SPEC is not None
assert _SPEC.loader is not None
spec_diff = importlib.util.module_from_spec(_SPEC)
sys.modules["spec_diff"] = spec_diff
_SPEC.loader.exec_module(spec_diff)


def changed(edit: Any) -> list[str]:
    """The report lines after applying `edit` to a copy of openapi.yaml."""
    new = copy.deepcopy(spec())
    edit(new)
    return spec_diff.report(spec(), new)


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def test_no_change_reports_nothing() -> None:
    assert changed(lambda new: None) == []


def test_rename_is_breaking_and_names_the_facade_attribute() -> None:
    def rename(new: dict[str, Any]) -> None:
        props = schemas(new)["Job"]["properties"]
        props["total"] = props.pop("jobTotal")

    (line,) = changed(rename)
    assert line.startswith("BREAKING")
    assert "renamed: Job.jobTotal" in line
    assert "Job.job_total -> Job.total" in line


def test_optional_property_is_additive_with_its_keywords() -> None:
    def add(new: dict[str, Any]) -> None:
        for name in ("Customer", "NewCustomer", "CustomerUpdate"):
            schemas(new)[name]["properties"]["companyName"] = {"type": "string"}

    lines = changed(add)
    assert len(lines) == 3
    assert all(line.startswith("additive") for line in lines)
    create = next(line for line in lines if "NewCustomer.companyName" in line)
    assert "hb.customers.create(company_name=)" in create


def test_required_request_property_is_breaking() -> None:
    def add(new: dict[str, Any]) -> None:
        schemas(new)["NewJob"]["properties"]["crew"] = {"type": "string"}
        schemas(new)["NewJob"]["required"].append("crew")

    (line,) = changed(add)
    assert line.startswith("BREAKING")
    assert "NewJob.crew" in line


def test_required_response_property_is_additive() -> None:
    def add(new: dict[str, Any]) -> None:
        schemas(new)["Job"]["properties"]["crew"] = {"type": "string"}
        schemas(new)["Job"]["required"].append("crew")

    (line,) = changed(add)
    assert line.startswith("additive")


def test_query_parameter_and_enum() -> None:
    def add(new: dict[str, Any]) -> None:
        new["paths"]["/jobs"]["get"]["parameters"].append(
            {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/JobStatus"}}
        )
        schemas(new)["JobStatus"] = {"type": "string", "enum": ["scheduled", "done"]}
        schemas(new)["LeadStatus"]["enum"].remove("on_hold")

    lines = changed(add)
    assert any(
        line.startswith("additive  parameter added: getJobs.status")
        and "hb.jobs.list(status=)" in line
        for line in lines
    ), lines
    assert any(line.startswith("additive  schema added: JobStatus") for line in lines), lines
    assert any(
        line.startswith("BREAKING  enum value removed: LeadStatus.'on_hold'") for line in lines
    ), lines


def test_removed_operation_and_changed_type_are_breaking() -> None:
    def edit(new: dict[str, Any]) -> None:
        del new["paths"]["/messages/stats"]
        schemas(new)["Lead"]["properties"]["leadNumber"] = {"type": "string"}

    lines = changed(edit)
    assert any("operation removed: getMessageStats" in line for line in lines), lines
    assert any("Lead.leadNumber (integer -> string)" in line for line in lines), lines
    assert all(line.startswith("BREAKING") for line in lines), lines


def test_new_operation_says_no_facade_yet() -> None:
    def add(new: dict[str, Any]) -> None:
        new["paths"]["/invoices"] = {"get": {"operationId": "getInvoices", "responses": {}}}

    (line,) = changed(add)
    assert line.startswith("additive")
    assert "no facade method yet for getInvoices" in line


@pytest.mark.parametrize(
    ("node", "shape"),
    [
        ({"type": "string", "format": "date-time"}, "string(date-time)"),
        ({"type": "array", "items": {"$ref": "#/components/schemas/LineItem"}}, "array[LineItem]"),
        ({"oneOf": [{"type": "string"}, {"type": "boolean"}]}, "string | boolean"),
        ({"type": "string", "nullable": True}, "string?"),
    ],
)
def test_type_of(node: dict[str, Any], shape: str) -> None:
    assert spec_diff.type_of(node) == shape

"""openapi.yaml ↔ facade: every operation, parameter, body property, model and enum is reachable.

A spec change that the facade does not follow fails here, naming the operation, the spec name
and the place in the facade to change. Deliberate differences live in ALLOWLIST only.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import homebase_api.models
import httpx
import pytest
from _spec_support import SpecOperation, operations, snake, spec

import homebase_async.models
from homebase_async import HomebaseClient, _resources
from homebase_async._request import Operation
from homebase_async._resources._base import Resource

# Where the facade deliberately differs from the spec: (operationId, spec name) -> the keyword
# that carries it, or None when the facade leaves it out on purpose (say why).
ALLOWLIST: dict[tuple[str, str], str | None] = {
    # Jobs take `start`/`end` (datetimes, any timezone) for the window, as `iterate` does.
    ("getJobs", "startDate"): "start",
    ("getJobs", "endDate"): "end",
}
ALLOWLIST_PLACE = "ALLOWLIST in tests/test_spec_coverage.py"


@dataclass(frozen=True)
class FacadeOperation:
    """A facade method that sends one spec operation."""

    operation: Operation
    module: types.ModuleType
    owner: str  # "Customers" for a resource, "HomebaseClient" for ping
    method: Callable[..., Any]

    @property
    def place(self) -> str:
        return f"{self.owner}.{self.method.__name__} in {self.module.__name__.replace('.', '/')}.py"


def resource_modules() -> Iterator[types.ModuleType]:
    for info in pkgutil.iter_modules(_resources.__path__):
        yield importlib.import_module(f"{_resources.__name__}.{info.name}")


def _public_users(
    candidates: list[tuple[str, Callable[..., Any]]], name: str
) -> list[tuple[str, Callable[..., Any]]]:
    """The public functions naming `name`, directly or through private helpers (`_send`)."""
    named = [
        (owner, f)
        for owner, f in candidates
        if inspect.isfunction(f) and name in f.__code__.co_names
    ]
    found: list[tuple[str, Callable[..., Any]]] = [
        (owner, f) for owner, f in named if not f.__name__.startswith("_")
    ]
    for _, helper in named:
        if helper.__name__.startswith("_") and helper.__name__ != name:
            found += _public_users(candidates, helper.__name__)
    return found


def facade_operations() -> dict[str, FacadeOperation]:
    """operationId -> the facade method that sends it (the method naming its Operation)."""
    found: dict[str, FacadeOperation] = {}
    for module in resource_modules():
        constants = {
            name: value for name, value in vars(module).items() if isinstance(value, Operation)
        }
        candidates: list[tuple[str, Callable[..., Any]]] = []
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, Resource) and value is not Resource:
                if value.__module__ == module.__name__:
                    candidates += [(value.__name__, f) for f in vars(value).values()]
            elif inspect.isfunction(value) and value.__module__ == module.__name__:
                # A module-level operation (ping) is offered by HomebaseClient under its name.
                method = getattr(HomebaseClient, value.__name__, None)
                if method is not None:
                    candidates.append(("HomebaseClient", value))
        for const_name, op in constants.items():
            for owner, function in _public_users(candidates, const_name):
                entry = (
                    getattr(HomebaseClient, function.__name__)
                    if owner == "HomebaseClient"
                    else function
                )
                found.setdefault(op.name, FacadeOperation(op, module, owner, entry))
    return found


FACADE = facade_operations()
SPEC_OPS = operations()


def keywords(method: Callable[..., Any]) -> set[str]:
    return set(inspect.signature(method).parameters) - {"self"}


def expected_keyword(op_id: str, name: str) -> str | None:
    return ALLOWLIST.get((op_id, name), snake(name))


def test_allowlist_entries_are_all_used() -> None:
    names = {(op.operation_id, n) for op in SPEC_OPS for n in (*op.query, *op.body_properties)}
    stale = sorted(set(ALLOWLIST) - names)
    assert stale == [], f"{ALLOWLIST_PLACE} names what the spec no longer has: {stale}"


@pytest.mark.parametrize("spec_op", SPEC_OPS, ids=lambda op: op.operation_id)
def test_every_spec_operation_has_a_facade_operation(spec_op: SpecOperation) -> None:
    module = f"homebase_async/_resources/{spec_op.tag}.py"
    assert spec_op.operation_id in FACADE, (
        f"{spec_op.operation_id} ({spec_op.method} {spec_op.path}) has no facade operation: "
        f"add `Operation({spec_op.operation_id!r}, {spec_op.method!r}, {spec_op.path!r}, ...)` "
        f"and the method that sends it to {module} (a Resource exposed as `hb.{spec_op.tag}` "
        f"in homebase_async/_client.py)"
    )
    facade = FACADE[spec_op.operation_id]
    assert (facade.operation.method, facade.operation.path) == (spec_op.method, spec_op.path), (
        f"{spec_op.operation_id}: the spec says {spec_op.method} {spec_op.path}, "
        f"{facade.module.__name__} says {facade.operation.method} {facade.operation.path}"
    )


def test_every_facade_operation_is_in_the_spec() -> None:
    spec_ids = {op.operation_id for op in SPEC_OPS}
    extra = {name: f.place for name, f in FACADE.items() if name not in spec_ids}
    assert extra == {}, f"facade operations the spec does not have (renamed or removed?): {extra}"


@pytest.mark.parametrize("tag", sorted({op.tag for op in SPEC_OPS} - {"auth"}), ids=lambda tag: tag)
async def test_every_tag_is_a_client_attribute(tag: str) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(500))
    async with HomebaseClient("key", base_url="http://127.0.0.1", transport=transport) as hb:
        resource = getattr(hb, tag, None)
    assert isinstance(resource, Resource), (
        f"spec tag {tag!r}: `hb.{tag}` does not exist; create the resource in "
        f"homebase_async/_resources/{tag}.py and set `self.{tag}` in HomebaseClient._setup "
        f"(homebase_async/_client.py)"
    )


def _spec_names(kind: str) -> list[tuple[SpecOperation, str]]:
    if kind == "query":
        return [(op, name) for op in SPEC_OPS for name in op.query]
    return [(op, name) for op in SPEC_OPS for name in op.body_properties]


@pytest.mark.parametrize("kind", ["query", "body"])
def test_every_parameter_and_body_property_is_a_keyword(kind: str) -> None:
    problems = []
    for op, name in _spec_names(kind):
        if op.operation_id not in FACADE:
            continue  # reported by test_every_spec_operation_has_a_facade_operation
        wanted = expected_keyword(op.operation_id, name)
        facade = FACADE[op.operation_id]
        if wanted is not None and wanted not in keywords(facade.method):
            where = "query parameter" if kind == "query" else f"{op.body_schema} property"
            problems.append(
                f"{op.operation_id}: {where} `{name}` has no keyword `{wanted}` on "
                f"{facade.place}; add it (and pass it on), or list "
                f"({op.operation_id!r}, {name!r}) in {ALLOWLIST_PLACE}"
            )
    assert problems == [], "\n".join(problems)


# -- models and enums ------------------------------------------------------------------------


def _model_classes(annotation: Any) -> Iterator[type]:
    """Generated model and enum classes inside a type annotation."""
    if isinstance(annotation, type):
        if annotation.__module__.startswith("homebase_api.models"):
            yield annotation
        return
    for arg in typing.get_args(annotation):
        yield from _model_classes(arg)


def _hints(obj: Any) -> dict[str, Any]:
    namespace = {**vars(homebase_api.models), **vars(inspect.getmodule(obj) or homebase_api)}
    return typing.get_type_hints(obj, globalns=namespace)


def facade_models() -> dict[type, str]:
    """Every generated model or enum a facade method takes or returns, and what nests in them."""
    found: dict[type, str] = {}
    owners: list[tuple[str, Any]] = [("HomebaseClient", HomebaseClient)]
    for module in resource_modules():
        owners += [
            (name, value)
            for name, value in vars(module).items()
            if inspect.isclass(value) and issubclass(value, Resource) and value is not Resource
        ]
    pending: list[tuple[type, str]] = []
    for owner_name, owner in owners:
        for name, function in inspect.getmembers(owner, inspect.isfunction):
            if name.startswith("_"):
                continue
            for hint in _hints(function).values():
                pending += [(model, f"{owner_name}.{name}") for model in _model_classes(hint)]
    while pending:
        model, used_by = pending.pop()
        if model in found:
            continue
        found[model] = used_by
        if not issubclass(model, enum.Enum):
            for hint in _hints(model).values():
                pending += [(nested, f"{model.__name__}") for nested in _model_classes(hint)]
    return found


def test_every_model_the_facade_uses_is_re_exported() -> None:
    missing = {
        model.__name__: used_by
        for model, used_by in facade_models().items()
        if getattr(homebase_async.models, model.__name__, None) is not model
    }
    assert missing == {}, (
        f"generated models the facade takes or returns (model: where) are not re-exported "
        f"from homebase_async.models; add them to homebase_async/models.py: {missing}"
    )


def test_every_enum_is_re_exported() -> None:
    enums = [
        value
        for value in vars(homebase_api.models).values()
        if inspect.isclass(value) and issubclass(value, enum.Enum)
    ]
    assert enums, "the spec has enums (LeadStatus at least)"
    missing = sorted(e.__name__ for e in enums if e.__name__ not in homebase_async.models.__all__)
    assert missing == [], (
        f"enums of the spec not re-exported: {missing}; add them to homebase_async/models.py"
    )


# -- the CLI's export columns ----------------------------------------------------------------

# CSV columns the CLI computes (from the record's customer), not properties of the schema.
DERIVED_COLUMNS = {"job": {"customerName"}, "lead": {"customerId", "customerName"}}


@pytest.mark.parametrize("kind", ["job", "lead"])
def test_cli_csv_columns_are_spec_properties(kind: str) -> None:
    from homebase_async.cli._output import CSV_FIELDS  # the CLI is an optional extra

    schema = kind.capitalize()
    declared = set(spec()["components"]["schemas"][schema]["properties"])
    unknown = [c for c in CSV_FIELDS[kind] if c not in declared | DERIVED_COLUMNS[kind]]
    assert unknown == [], (
        f"CSV columns {unknown} of `--format csv` for {kind}s are not {schema} properties in "
        f"openapi.yaml (renamed?): change CSV_FIELDS in homebase_async/cli/_output.py"
    )

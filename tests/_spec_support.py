"""openapi.yaml read as the spec tests need it: operations, parameters, body properties."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
METHODS = ("get", "put", "post", "delete", "patch")


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


def resolve(node: Any) -> Any:
    """`node` with any `$ref` chain followed."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def schema_name(node: Any) -> str | None:
    """The component name a schema refers to (through `allOf: [$ref]` too), or None."""
    if isinstance(node, dict) and "$ref" in node:
        return str(node["$ref"]).rsplit("/", 1)[-1]
    if isinstance(node, dict) and len(node.get("allOf", [])) == 1:
        return schema_name(node["allOf"][0])
    return None


def snake(name: str) -> str:
    """The generator's Python name for a JSON name (`startDate` -> `start_date`)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


@dataclass(frozen=True)
class SpecOperation:
    operation_id: str
    method: str
    path: str
    tag: str
    query: tuple[str, ...]
    body_schema: str | None
    body_properties: tuple[str, ...]


def operations() -> list[SpecOperation]:
    found = []
    for path, item in spec()["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            params = [resolve(p) for p in item.get("parameters", []) + op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            body_ref = body.get("schema")
            body_schema = resolve(body_ref) if body_ref else {}
            found.append(
                SpecOperation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    tag=op["tags"][0],
                    query=tuple(p["name"] for p in params if p["in"] == "query"),
                    body_schema=schema_name(body_ref),
                    body_properties=tuple(body_schema.get("properties", {})),
                )
            )
    return found


def enum_schemas() -> dict[str, list[Any]]:
    """Component schemas that are enums, with their values."""
    return {
        name: list(schema["enum"])
        for name, schema in spec()["components"]["schemas"].items()
        if "enum" in schema and schema.get("type") == "string"
    }

"""`make spec-diff`: the public-surface change from a committed openapi.yaml to the working copy.

Usage: scripts/spec_diff.py [REF] [--spec PATH] (REF defaults to HEAD).

Lists operations, parameters, properties, enum values and types added, removed, renamed or
changed, each marked additive or BREAKING, with the facade names a user sees for it. Always
exits 0 unless `--fail-on-breaking` is given; it reports, the tests enforce.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Fact:
    """One element of the public surface, with what a change to it means."""

    kind: str  # operation, parameter, property, enum value, schema
    owner: str  # operationId or schema name
    name: str
    shape: str  # what must stay equal: method+path, type, ...
    required: bool = False
    request: bool = False  # a client sends it (request bodies, parameters)


@dataclass(frozen=True)
class Change:
    verb: str  # added, removed, renamed, changed
    breaking: bool
    fact: Fact
    detail: str = ""
    facade: str = ""
    new_name: str = ""  # of a rename

    def line(self) -> str:
        mark = "BREAKING" if self.breaking else "additive"
        where = f"{self.fact.owner}.{self.fact.name}" if self.fact.owner else self.fact.name
        text = f"{mark:9} {self.fact.kind} {self.verb}: {where}"
        if self.detail:
            text += f" ({self.detail})"
        if self.facade:
            text += f"  [facade: {self.facade}]"
        return text


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _ref_name(node: Any) -> str | None:
    if isinstance(node, dict) and "$ref" in node:
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None


def type_of(node: Any) -> str:
    """A short type signature: `string(date-time)`, `array[Customer]`, `LeadStatus`, ..."""
    if not isinstance(node, dict):
        return "any"
    ref = _ref_name(node)
    if ref:
        return ref
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in node:
            parts = " | ".join(type_of(item) for item in node[combinator])
            return parts if combinator != "allOf" else f"allOf[{parts}]"
    kind = str(node.get("type", "any"))
    if kind == "array":
        return f"array[{type_of(node.get('items', {}))}]"
    if "format" in node:
        kind += f"({node['format']})"
    if node.get("nullable"):
        kind += "?"
    return kind


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _request_schemas(spec: dict[str, Any]) -> set[str]:
    names = set()
    for item in spec.get("paths", {}).values():
        for method in METHODS:
            content = item.get(method, {}).get("requestBody", {}).get("content", {})
            for media in content.values():
                ref = _ref_name(media.get("schema"))
                if ref:
                    names.add(ref)
    return names


def _schema_facts(
    owner: str, schema: dict[str, Any], request: bool, enums: bool = True
) -> Iterator[Fact]:
    required = set(schema.get("required", []))
    if enums and "enum" in schema:
        for value in schema["enum"]:
            yield Fact("enum value", owner, repr(value), "", request=request)
    for name, prop in schema.get("properties", {}).items():
        yield Fact("property", owner, name, type_of(prop), name in required, request)
        if isinstance(prop, dict) and "properties" in prop:  # an inline object
            yield from _schema_facts(f"{owner}.{name}", prop, request)
        elif isinstance(prop, dict) and "enum" in prop:
            for value in prop["enum"]:
                yield Fact("enum value", f"{owner}.{name}", repr(value), "", request=request)


def surface(spec: dict[str, Any]) -> dict[tuple[str, str, str], Fact]:
    """Every operation, parameter, schema, property and enum value of `spec`, keyed."""
    facts: list[Fact] = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            op_id = op.get("operationId", f"{method.upper()} {path}")
            facts.append(Fact("operation", "", op_id, f"{method.upper()} {path}"))
            for param in item.get("parameters", []) + op.get("parameters", []):
                param = _resolve(spec, param)
                schema = param.get("schema", {})
                shape = f"{param['in']} {type_of(schema)}"
                facts.append(
                    Fact(
                        "parameter", op_id, param["name"], shape, param.get("required", False), True
                    )
                )
                resolved = _resolve(spec, schema)
                if "enum" in resolved and not _ref_name(schema):
                    for value in resolved["enum"]:
                        facts.append(
                            Fact(
                                "enum value",
                                f"{op_id}.{param['name']}",
                                repr(value),
                                "",
                                request=True,
                            )
                        )
    requests = _request_schemas(spec)
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        kind = "enum" if "enum" in schema else schema.get("type", "object")
        facts.append(Fact("schema", "", name, kind))
        facts.extend(_schema_facts(name, schema, name in requests))
    return {(fact.kind, fact.owner, fact.name): fact for fact in facts}


def _breaking_addition(fact: Fact) -> bool:
    # A client must now send something it did not: a new required request field or parameter.
    return fact.required and fact.request and fact.kind in ("property", "parameter")


def diff(
    old: dict[tuple[str, str, str], Fact], new: dict[tuple[str, str, str], Fact]
) -> list[Change]:
    """The changes from `old` to `new`; a removal and an addition of the same type in the same
    owner are reported as one rename."""
    removed = [old[key] for key in old if key not in new]
    added = [new[key] for key in new if key not in old]
    changes: list[Change] = []
    for fact in list(removed):
        twins = [
            a
            for a in added
            if a.kind == fact.kind
            and a.owner == fact.owner
            and a.shape == fact.shape
            and fact.kind in ("property", "parameter", "operation")
        ]
        if len(twins) == 1:
            twin = twins[0]
            removed.remove(fact)
            added.remove(twin)
            changes.append(
                Change(
                    "renamed", True, fact, f"now {twin.name!r}, {twin.shape}", new_name=twin.name
                )
            )
    changes += [Change("removed", True, fact, fact.shape) for fact in removed]
    changes += [Change("added", _breaking_addition(fact), fact, fact.shape) for fact in added]
    for key in old.keys() & new.keys():
        before, after = old[key], new[key]
        if before.shape != after.shape:
            changes.append(Change("changed", True, after, f"{before.shape} -> {after.shape}"))
        elif before.required != after.required:
            # Newly required input breaks callers; output no longer guaranteed breaks readers.
            breaking = after.required if after.request else before.required
            word = "now required" if after.required else "now optional"
            changes.append(Change("changed", breaking, after, word))
    order = {"operation": 0, "parameter": 1, "schema": 2, "property": 3, "enum value": 4}
    changes.sort(key=lambda c: (not c.breaking, order[c.fact.kind], c.fact.owner, c.fact.name))
    return changes


def facade_name(change: Change, spec: dict[str, Any], operations: dict[str, str]) -> str:
    """What a facade user sees of the changed element (`Job.job_total`, `jobs.list(status=)`)."""
    fact = change.fact
    if fact.kind == "operation":
        return operations.get(fact.name, f"no facade method yet for {fact.name}")
    if fact.kind == "parameter":
        method = operations.get(fact.owner, fact.owner)
        renamed = f" -> ({snake(change.new_name)}=)" if change.new_name else ""
        return f"{method}({snake(fact.name)}=){renamed}"
    if fact.kind == "property":
        model = fact.owner.split(".")[0]
        names = [f"{fact.owner}.{snake(fact.name)}"]
        if change.new_name:
            names[0] += f" -> {fact.owner}.{snake(change.new_name)}"
        for op_id, schema in _body_schemas(spec).items():
            if schema == model and op_id in operations:
                names.append(f"{operations[op_id]}({snake(fact.name)}=)")
        return ", ".join(names)
    if fact.kind in ("schema", "enum value"):
        return f"homebase_async.models.{fact.owner or fact.name}"
    return ""


def _body_schemas(spec: dict[str, Any]) -> dict[str, str]:
    found = {}
    for item in spec.get("paths", {}).values():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            schema = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = _ref_name(schema.get("schema"))
            if ref:
                found[op["operationId"]] = ref
    return found


def facade_operations() -> dict[str, str]:
    """operationId -> `hb.<resource>.<method>` from the facade's Operation constants."""
    try:
        import importlib
        import inspect
        import pkgutil

        from homebase_async import _resources
        from homebase_async._request import Operation
    except ImportError:
        return {}
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(_resources.__path__):
        module = importlib.import_module(f"{_resources.__name__}.{info.name}")
        constants = {k: v for k, v in vars(module).items() if isinstance(v, Operation)}
        for value in vars(module).values():
            functions = []
            if inspect.isclass(value) and value.__module__ == module.__name__:
                functions = [f for f in vars(value).values() if inspect.isfunction(f)]
                prefix = f"hb.{info.name}."
            elif inspect.isfunction(value) and value.__module__ == module.__name__:
                functions, prefix = [value], "hb."
            for const, op in constants.items():
                names = {const}
                # A private helper (`_send`) naming the operation is reached by public methods.
                for _ in range(3):
                    names |= {
                        f.__name__
                        for f in functions
                        if f.__name__.startswith("_") and names & set(f.__code__.co_names)
                    }
                direct = [f for f in functions if const in f.__code__.co_names]
                for function in direct + functions:
                    public = not function.__name__.startswith("_")
                    if public and names & set(function.__code__.co_names):
                        found.setdefault(op.name, prefix + function.__name__)
    return found


def load_committed(ref: str, path: str = "openapi.yaml") -> dict[str, Any]:
    text = subprocess.run(
        ["git", "show", f"{ref}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def report(old_spec: dict[str, Any], new_spec: dict[str, Any]) -> list[str]:
    changes = diff(surface(old_spec), surface(new_spec))
    operations = facade_operations()
    lines = []
    for change in changes:
        name = facade_name(change, new_spec if change.verb != "removed" else old_spec, operations)
        lines.append(Change(change.verb, change.breaking, change.fact, change.detail, name).line())
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", nargs="?", default="HEAD", help="git ref of the old spec")
    parser.add_argument("--spec", default=str(ROOT / "openapi.yaml"), help="the new spec")
    parser.add_argument("--fail-on-breaking", action="store_true")
    args = parser.parse_args(argv)
    old = load_committed(args.ref)
    new = yaml.safe_load(Path(args.spec).read_text())
    lines = report(old, new)
    print(f"openapi.yaml: {args.ref} -> working copy")
    print("\n".join(lines) if lines else "no change to the public surface")
    breaking = sum(line.startswith("BREAKING") for line in lines)
    if breaking:
        print(
            f"\n{breaking} breaking change(s): bump the version in pyproject.toml and list them "
            "under the new version in CHANGELOG.md"
        )
    return 1 if breaking and args.fail_on_breaking else 0


if __name__ == "__main__":
    sys.exit(main())

"""The figures of one run: a table for the terminal, the same numbers as JSON."""

from __future__ import annotations

import json
import os
import platform
import statistics
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


@attrs.define
class Row:
    section: str
    measure: str
    value: str
    detail: str = ""


@attrs.define
class Target:
    section: str
    claim: str
    measured: str
    met: bool


@attrs.define
class Report:
    rows: list[Row] = attrs.field(factory=list)
    targets: list[Target] = attrs.field(factory=list)
    figures: dict[str, Any] = attrs.field(factory=dict)
    #: Results one section leaves for another (the fault soak's fault-free references).
    cache: dict[str, Any] = attrs.field(factory=dict)

    def row(self, section: str, measure: str, value: str, detail: str = "") -> None:
        self.rows.append(Row(section, measure, value, detail))
        print(f"  {measure:<44} {value:>14}  {detail}", flush=True)

    def target(self, section: str, claim: str, measured: str, met: bool) -> None:
        self.targets.append(Target(section, claim, measured, met))
        print(f"  [{'met' if met else 'MISSED'}] {claim}: {measured}", flush=True)

    def table(self) -> str:
        lines = ["| section | measure | value | detail |", "|---|---|---|---|"]
        rows = sorted(self.rows, key=lambda r: r.section[0])  # stable: run order within one
        lines += [f"| {r.section} | {r.measure} | {r.value} | {r.detail} |" for r in rows]
        lines += ["", "| section | target | measured | result |", "|---|---|---|---|"]
        lines += [
            f"| {t.section} | {t.claim} | {t.measured} | {'met' if t.met else '**missed**'} |"
            for t in sorted(self.targets, key=lambda t: t.section[0])
        ]
        return "\n".join(lines)

    def write_json(self, path: Path, extra: dict[str, Any]) -> None:
        data = {
            **extra,
            "figures": self.figures,
            "rows": [attrs.asdict(r) for r in self.rows],
            "targets": [attrs.asdict(t) for t in self.targets],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, default=str) + "\n")


def machine() -> dict[str, Any]:
    """What the numbers were measured on, the load from other processes included."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages * size / 2**30:.0f} GiB"
    except (ValueError, OSError):
        pass
    versions: dict[str, str | None] = {}
    for name in ("httpx", "httpcore", "aiohttp", "httpx-aiohttp", "uvicorn", "starlette", "h11"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
        "versions": versions,
    }


def describe(info: dict[str, Any]) -> str:
    load = ", ".join(f"{x:.2f}" for x in info["load_average_at_start"])
    return (
        f"{info['cpu']}, {info['cores']} cores, {info['memory']}; {info['os']}; "
        f"Python {info['python']}; httpx {info['versions']['httpx']}, "
        f"aiohttp {info['versions']['aiohttp']}, uvicorn {info['versions']['uvicorn']} (h11); "
        f"load average at start {load}"
    )

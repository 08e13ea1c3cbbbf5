"""Section 6: what OpenTelemetry costs the facade, one `customers.get` at a time.

Three modes run interleaved on one client (every round runs each once, in a rotated order):

* "without the extra": what an install without `opentelemetry-api` runs (the module's
  import-failed branch, switched on by its flag);
* "installed, no provider": the API installed, no tracer or meter provider configured;
* "in-memory exporter": the SDK's TracerProvider with a SimpleSpanProcessor into an
  InMemorySpanExporter (cleared each round) and a MeterProvider with an InMemoryMetricReader.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import opentelemetry.metrics._internal as metrics_internal
from opentelemetry import trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from homebase_async import _telemetry

from .clients import drive, facade
from .report import Report, median
from .server import FakeProcess

SECTION = "6 telemetry"


def _modes() -> dict[str, Callable[[], None]]:
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])

    def without() -> None:
        _telemetry._OTEL = False
        trace._TRACER_PROVIDER = None
        metrics_internal._METER_PROVIDER = None

    def no_provider() -> None:
        _telemetry._OTEL = True
        trace._TRACER_PROVIDER = None
        metrics_internal._METER_PROVIDER = None

    def in_memory() -> None:
        _telemetry._OTEL = True
        exporter.clear()
        trace._TRACER_PROVIDER = tracer_provider
        metrics_internal._METER_PROVIDER = meter_provider

    return {
        "without the extra": without,
        "installed, no provider": no_provider,
        "in-memory exporter": in_memory,
    }


async def run(fake: FakeProcess, report: Report, *, quick: bool) -> None:
    """Sequential gets in many short interleaved rounds, on the aiohttp backend.

    The overhead is judged on the client's CPU time per call (`time.process_time`): an A/A run
    (the same mode twice) showed wall-time medians drifting by 2-7 % between identical modes
    (the server shares the machine's two cores), more than the effect measured; the client's
    CPU time does not depend on the server. Wall time is reported beside it.
    """
    ids = [c[0] for c in fake.info["customers"]]
    total, rounds = (600, 12) if quick else (6000, 60)
    per_round = total // rounds
    modes = _modes()
    names = list(modes)
    walls: dict[str, list[float]] = {name: [] for name in names}
    cpus: dict[str, list[float]] = {name: [] for name in names}
    rng = random.Random(6)
    try:
        async with facade(fake.base_url, fake.api_key, 16, "aiohttp") as get:
            for name in names:  # warm every code path
                modes[name]()
                await drive(get, rng.choices(ids, k=50), 1)
            for number in range(rounds):
                batch = rng.choices(ids, k=per_round)
                for name in names[number % len(names) :] + names[: number % len(names)]:
                    modes[name]()
                    cpu = time.process_time()
                    started = time.perf_counter()
                    await drive(get, batch, 1)
                    walls[name].append(time.perf_counter() - started)
                    cpus[name].append(time.process_time() - cpu)
    finally:
        modes["without the extra"]()
        _telemetry._OTEL = True
    base_cpu, base_wall = median(cpus["without the extra"]), median(walls["without the extra"])
    figures = report.figures.setdefault("telemetry", {})
    ratios = {}
    for name in names:
        ratio = median(cpus[name]) / base_cpu
        ratios[name] = ratio
        figures[name] = {
            "wall_per_round_s": walls[name],
            "cpu_per_round_s": cpus[name],
            "cpu_ratio": ratio,
            "wall_ratio": median(walls[name]) / base_wall,
        }
        report.row(
            SECTION,
            f"sequential: {name}",
            f"{median(cpus[name]) / per_round * 1e6:.0f} µs CPU/call",
            f"{per_round / median(walls[name]):.0f} req/s wall "
            f"({median(walls[name]) / base_wall:.3f}x of without)",
        )
    no_provider, in_memory = ratios["installed, no provider"], ratios["in-memory exporter"]
    report.target(
        SECTION,
        "client CPU per call: extra installed, no provider ≤ 1.02x without it",
        f"{no_provider:.3f}x",
        no_provider <= 1.02,
    )
    report.target(
        SECTION,
        "client CPU per call: in-memory exporter ≤ 1.15x without it",
        f"{in_memory:.3f}x",
        in_memory <= 1.15,
    )

"""`make bench`: the SDK's speed and resilience, measured side by side in one run.

    .venv/bin/python scripts/bench.py [--json PATH] [--quick] [--only SECTION ...]

The fake server runs in a separate process (uvicorn over loopback), so it never shares the
client's event loop or core. Prints a table and writes the same figures as JSON (default:
homebase-bench.json in the system temp directory). Targets are checked here, never in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import bulk, layers, listing_family, otel, overhead, soak, workers
from bench.report import Report, describe, machine
from bench.server import FakeProcess

SECTIONS = {
    "layers": layers.run,
    "overhead": overhead.overhead,
    "throughput": overhead.throughput,
    "lookup": bulk.lookup,
    "pagination": bulk.pagination,
    "listing": listing_family.section,
    "soak": soak.run,
    "telemetry": otel.run,
    "workers": workers.section,  # several worker processes on a queue, SIGKILLed (issue 20)
}
# Job sets, as days from today: 20,000 spread evenly, 20,000 mostly in three busy weeks.
JOB_SETS = ["uniform:20000:uniform:0:60", "bursty:20000:bursty:70:130"]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--json",
        type=Path,
        default=Path(tempfile.gettempdir()) / "homebase-bench.json",
        help="where to write the figures (default: %(default)s)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds and requests")
    parser.add_argument(
        "--only", choices=list(SECTIONS), action="append", help="run only this section (repeatable)"
    )
    return parser.parse_args()


async def _main(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    info = machine()
    print(f"Machine: {describe(info)}", flush=True)
    busy = info["load_average_at_start"][0]
    if busy > 0.5:
        print(
            f"WARNING: other processes kept about {busy:.1f} of {info['cores']} cores busy "
            "just before this run; the figures will be distorted",
            flush=True,
        )
    report = Report()
    chosen = args.only or list(SECTIONS)
    fake_args = ["--customers", "10000"]
    if "pagination" in chosen or "soak" in chosen:
        for job_set in JOB_SETS:
            fake_args += ["--jobs", job_set]
    fake = await FakeProcess.start(*fake_args)
    print(f"Fake server ready at {fake.base_url} in {time.perf_counter() - started:.1f} s")
    async with fake:
        for name in chosen:
            print(f"\n== {name}", flush=True)
            await fake.command("reset")
            await SECTIONS[name](fake, report, quick=args.quick)
    seconds = time.perf_counter() - started
    print(f"\n{report.table()}\n")
    met = sum(t.met for t in report.targets)
    print(f"Targets met: {met} of {len(report.targets)}. Run time {seconds:.0f} s.")
    report.write_json(
        args.json,
        {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": info,
            "quick": args.quick,
            "sections": chosen,
            "seconds": seconds,
        },
    )
    print(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_main(_arguments())))

"""Two runs at once on one journal: a cron job overlapping last night's run.

    python scripts/bench/overlap.py --trials 50 --seed 1     # prints one JSON object

For each of `customers sync` (the CLI), `messages send` (the CLI), `customers.upsert_many`
and `jobs.create_many` (the SDK, each run in its own process), every trial starts two
processes on fresh items and one journal, the second after a random delay (so it lands before,
during or after the first's run), against one fake in its own process with some lost answers.
Counts duplicates on the server (customers, jobs, texts sent twice), how often the second run
was refused before any request (`JournalBusyError`), and runs that neither finished nor were
refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:  # as a module of scripts/bench (make bench), or as a script run from its folder
    from .killrun import _HOMEBASE, Fake, _env
except ImportError:
    from killrun import _HOMEBASE, Fake, _env  # type: ignore[no-redef]

#: A few lost answers, so runs settle and retry while the other one starts.
FAULTS = {"latency": 0.01, "error_rates": {503: 0.03}, "drop_after": 0.02, "seed": 5}
RUN_TIMEOUT = 90.0
#: The CLI's exit code for a journal another run holds.
EXIT_BUSY = 4

_SDK = """
import asyncio, json, sys
from homebase_async import HomebaseClient, JournalBusyError

async def main() -> int:
    kind, items_path, journal = sys.argv[1:4]
    items = json.loads(open(items_path).read())
    async with HomebaseClient() as hb:
        try:
            if kind == "upsert":
                report = await hb.customers.upsert_many(items, journal=journal, settle_delay=0.2)
            else:
                report = await hb.jobs.create_many(items, journal=journal, settle_delay=0.2)
        except JournalBusyError:
            return 4
    statuses = {}
    for status in ("created", "failed", "outcome_unknown"):
        for index in getattr(report, status):
            statuses[index] = status
    print(json.dumps(statuses))
    return 0 if not report.failed and not report.outcome_unknown else 1

sys.exit(asyncio.run(main()))
"""


def _pair(
    commands: list[list[str]], env: dict[str, str], gap: float
) -> tuple[list[int], dict[int, set[str]]]:
    """Start both commands, the second `gap` seconds after the first: their exit codes, and
    each item's statuses as the runs reported them (JSON lines with `index` and `status` in
    `-o` files, or one JSON object on stdout)."""
    procs = []
    for number, command in enumerate(commands):
        if number:
            time.sleep(gap)
        procs.append(
            subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
            )
        )
    codes: list[int] = []
    reported: dict[int, set[str]] = {}
    for proc in procs:
        out, _ = proc.communicate(timeout=RUN_TIMEOUT)
        codes.append(proc.returncode)
        if out.strip():
            for index, status in json.loads(out).items():
                reported.setdefault(int(index), set()).add(status)
    for command in commands:
        if "-o" in command:
            path = Path(command[command.index("-o") + 1])
            for line in path.read_text().splitlines() if path.exists() else []:
                row = json.loads(line)
                reported.setdefault(row["index"], set()).add(row["status"])
    return codes, reported


def _customer_rows(tag: str, count: int) -> list[dict[str, Any]]:
    return [
        {
            "first_name": "Over",
            "last_name": f"Lap {i}",
            "email": f"o{i}.{tag[5:]}@overlap.example",
            "notes": f"{tag}:{i}",
        }
        for i in range(count)
    ]


def customers_sync(fake: Fake, folder: Path, tag: str, count: int, gap: float) -> dict[str, Any]:
    source = folder / "customers.csv"
    rows = ["First Name,Last Name,Email,Notes"]
    rows += [
        f"{r['first_name']},{r['last_name']},{r['email']},{r['notes']}"
        for r in _customer_rows(tag, count)
    ]
    source.write_text("\n".join(rows) + "\n")
    args = [*_HOMEBASE, "customers", "sync", str(source), "--journal", str(folder / "j")]
    runs = [[*args, "-o", str(folder / f"out{n}")] for n in range(2)]
    codes, reported = _pair(runs, _env(fake), gap)
    stored: dict[str, int] = fake.command("notes", prefix=tag + ":")
    return _trial(codes, reported, stored, tag, count)


def messages_send(fake: Fake, folder: Path, tag: str, count: int, gap: float) -> dict[str, Any]:
    ids = fake.command("note_ids", prefix="recipient:")
    source = folder / "campaign.jsonl"
    lines = [
        {"customerId": ids[note][0], "message": f"{tag} #{i}"} for i, note in enumerate(sorted(ids))
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    args = [*_HOMEBASE, "messages", "send", str(source), "--journal", str(folder / "j")]
    runs = [[*args, "-o", str(folder / f"out{n}")] for n in range(2)]
    codes, reported = _pair(runs, _env(fake), gap)
    texts: dict[str, int] = fake.command("sms", prefix=tag)
    stored = {f"{tag}:{text.rsplit('#', 1)[1]}": n for text, n in texts.items()}
    return _trial(codes, reported, stored, tag, len(lines))


def _sdk(kind: str, items: list[dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    def trial(fake: Fake, folder: Path, tag: str, count: int, gap: float) -> dict[str, Any]:
        source = folder / "items.json"
        source.write_text(json.dumps(items))
        args = [sys.executable, "-c", _SDK, kind, str(source), str(folder / "j")]
        codes, reported = _pair([args, args], _env(fake), gap)
        op = "notes" if kind == "upsert" else "job_notes"
        return _trial(codes, reported, fake.command(op, prefix=tag + ":"), tag, count)

    return trial


#: Statuses that tell the caller an item may not be on the server.
_UNRESOLVED = {"failed", "outcome_unknown", "not_sent"}


def _trial(
    codes: list[int],
    reported: dict[int, set[str]],
    stored: dict[str, int],
    tag: str,
    count: int,
) -> dict[str, Any]:
    """A trial's counts: `lost` items are neither on the server nor reported unresolved by
    either run; `misreported` ones were reported done but are not on the server."""
    on_server = {int(note.rsplit(":", 1)[1]) for note in stored}
    done = {"created", "updated", "unchanged", "sent"}
    return {
        "duplicates": sum(1 for n in stored.values() if n > 1),
        "lost": sum(
            1
            for i in range(count)
            if i not in on_server and not reported.get(i, set()) & _UNRESOLVED
        ),
        "misreported": sum(
            1 for i in range(count) if i not in on_server and reported.get(i, set()) & done
        ),
        "refused": sum(1 for c in codes if c == EXIT_BUSY),
        "finished": sum(1 for c in codes if c == 0),
        "other_exit": sum(1 for c in codes if c not in (0, EXIT_BUSY)),
    }


def run(
    trials: int,
    *,
    seed: int = 1,
    count: int = 20,
    max_gap: float = 0.6,
    latency: float = 0.01,
) -> dict[str, Any]:
    rng = random.Random(seed)
    fake = Fake()
    totals: dict[str, dict[str, int]] = {}
    started = time.perf_counter()
    try:
        fake.command("faults", faults={**FAULTS, "latency": latency})
        recipients = [
            {"first_name": "Text", "phone": f"+1720555{i:04d}", "notes": f"recipient:{i}"}
            for i in range(count)
        ]
        customer = fake.command("add_customers", customers=recipients)
        for trial in range(trials):
            for name in ("customers_sync", "messages_send", "upsert_many", "jobs_create_many"):
                tag = f"lap:{name}:{trial}:{time.time_ns()}"
                if name == "upsert_many":
                    work = _sdk("upsert", _customer_rows(tag, count))
                elif name == "jobs_create_many":
                    work = _sdk("jobs", _jobs(customer[0], tag, count, trial))
                else:
                    work = {"customers_sync": customers_sync, "messages_send": messages_send}[name]
                gap = rng.uniform(0.0, max_gap)
                with tempfile.TemporaryDirectory() as folder:
                    result = work(fake, Path(folder), tag, count, gap)
                total = totals.setdefault(name, {"trials": 0})
                total["trials"] += 1
                for key, value in result.items():
                    total[key] = total.get(key, 0) + value
    finally:
        fake.close()
    return {
        "by_operation": totals,
        "items_per_run": count,
        "seconds": time.perf_counter() - started,
    }


def _jobs(customer_id: str, tag: str, count: int, trial: int) -> list[dict[str, Any]]:
    """Each trial's own jobs (its own day of 2031), as a real sync's jobs differ by start."""
    day = dt.date(2031, 1, 1) + dt.timedelta(days=trial)
    return [
        {
            "customer_id": customer_id,
            "start": f"{day}T{6 + i // 4:02d}:{15 * (i % 4):02d}:00Z",
            "end": f"{day}T{6 + i // 4:02d}:{15 * (i % 4) + 10:02d}:00Z",
            "line_items": [{"name": "Visit", "quantity": 1, "unit_price": "80.00"}],
            "note": f"{tag}:{i}",
        }
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=20, help="items per run")
    parser.add_argument(
        "--max-gap",
        type=float,
        default=0.6,
        help="the second run starts 0 to this many seconds later",
    )
    parser.add_argument("--latency", type=float, default=0.01, help="the fake's, in seconds")
    args = parser.parse_args()
    figures = run(
        args.trials, seed=args.seed, count=args.count, max_gap=args.max_gap, latency=args.latency
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

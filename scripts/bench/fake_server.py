"""The benchmark's fake server: `FakeHomebase` over loopback in its own process.

    python scripts/bench/fake_server.py --customers 10000 --jobs uniform:20000:uniform:0:60

Prints one JSON line when it accepts requests: the base URL, the populated customers
(id, mobile, e-mail) and each job set's date range. Then it reads commands from stdin, one
JSON object a line, and answers each with one JSON line on stdout. This is the control channel
the CLI server lacks: switching faults at runtime, reading the request counters, and listing
the customers a benchmark created.

    {"op": "faults", "faults": {...} | null}     keyword arguments of `Faults`
    {"op": "order", "order": "start"}              list in another order from now on
    {"op": "stats"}                                the request counters since the last reset
    {"op": "reset"}                                clear the request log
    {"op": "notes", "prefix": "bench:"}            notes -> number of customers carrying them
    {"op": "sms", "prefix": "kill:"}               message texts -> times sent
    {"op": "note_ids", "prefix": "bench:"}         notes -> ids of the customers carrying them
    {"op": "writes"}                               POST/PUT/PATCH requests since the last reset
    {"op": "job_notes", "prefix": "bench:"}        job notes -> number of jobs carrying them
    {"op": "add_customers", "customers": [{...}]}  add customers (add_customer's keywords) -> ids
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from homebase_async.testing import FakeHomebase, Faults


def _job_set(text: str) -> tuple[str, int, str, float, float]:
    """NAME:COUNT:DISTRIBUTION:FROM_DAY:TO_DAY (days counted from today, UTC midnight)."""
    name, count, distribution, low, high = text.split(":")
    return name, int(count), distribution, float(low), float(high)


def _populate(fake: FakeHomebase, args: argparse.Namespace) -> dict[str, Any]:
    made = fake.populate(customers=args.customers)
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    ranges = {}
    for index, (name, count, distribution, low, high) in enumerate(args.jobs):
        start, end = midnight + timedelta(days=low), midnight + timedelta(days=high)
        fake.populate(
            jobs=count, start=start, end=end, distribution=distribution, seed=args.seed + index
        )
        ranges[name] = [start.isoformat(), end.isoformat(), count]
    customers = [
        [cid, fake.customers[cid]["phone"]["mobile"], fake.customers[cid]["email"][0]]
        for cid in made.customer_ids
    ]
    return {"customers": customers, "jobs": ranges}


def _answer(fake: FakeHomebase, command: dict[str, Any]) -> Any:
    op = command["op"]
    if op == "faults":
        spec = command.get("faults")
        fake.set_faults(None if spec is None else Faults(**spec))
        return {"ok": True}
    if op == "order":
        fake.set_order(command["order"])
        return {"ok": True}
    if op == "stats":
        stats = fake.stats
        return {
            "total": stats.total,
            "by_status": {str(k): v for k, v in stats.by_status.items()},
            "by_fault": stats.by_fault,
        }
    if op == "reset":
        fake.reset_log()
        return {"ok": True}
    if op == "notes":
        prefix = command["prefix"]
        counts: dict[str, int] = {}
        for cid in fake.customers:
            note = fake.customers[cid]["notes"]
            if note.startswith(prefix):
                counts[note] = counts.get(note, 0) + 1
        return counts
    if op == "note_ids":
        ids: dict[str, list[str]] = {}
        for cid, record in fake.customers.items():
            if record["notes"].startswith(command["prefix"]):
                ids.setdefault(record["notes"], []).append(cid)
        return ids
    if op == "add_customers":
        return [fake.add_customer(**fields) for fields in command["customers"]]
    if op == "job_notes":
        jobs: dict[str, int] = {}
        for job in fake.jobs.values():
            note = job.get("note") or ""
            if note.startswith(command["prefix"]):
                jobs[note] = jobs.get(note, 0) + 1
        return jobs
    if op == "writes":
        return sum(1 for r in fake.requests if r.method in ("POST", "PUT", "PATCH"))
    if op == "sms":
        texts: dict[str, int] = {}
        for sent in fake.sms_sent:
            if sent["message"].startswith(command["prefix"]):
                texts[sent["message"]] = texts.get(sent["message"], 0) + 1
        return texts
    raise ValueError(f"unknown op {op!r}")


async def _control(fake: FakeHomebase) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        try:
            reply = _answer(fake, json.loads(line))
        except Exception as exc:  # report, keep serving
            reply = {"error": repr(exc)}
        print(json.dumps(reply), flush=True)


async def _main(args: argparse.Namespace) -> None:
    fake = FakeHomebase(seed=args.seed, sms_daily_limit=args.sms_daily_limit)
    data = _populate(fake, args)
    async with fake.serve(port=0, keep_alive_timeout=args.keep_alive_timeout) as url:
        print(json.dumps({"base_url": url, "api_key": fake.api_key, **data}), flush=True)
        await _control(fake)  # returns when stdin closes: the benchmark is done with us


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=0)
    parser.add_argument("--jobs", type=_job_set, action="append", default=[])
    parser.add_argument("--keep-alive-timeout", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sms-daily-limit", type=int, default=500)
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()

"""Section 5 (bulk writes): create_many and upsert_many under the soak's faults, a second
upsert's write count, and runs killed with SIGKILL then resumed from their journal."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from homebase_async import HomebaseClient

from . import killrun, overlap
from .report import Report
from .server import FakeProcess

SECTION = "5 fault soak"


def _items(count: int, tag: str, area: int) -> list[dict[str, Any]]:
    """Customers unique to this run: e-mails by tag, phones by area code."""
    return [
        {
            "first_name": "Soak",
            "last_name": f"Item {i}",
            "email": f"soak{i}.{tag[6:]}@bench.example",
            "phone": f"+1{area}{i:07d}",
            "notes": f"{tag}:{i}",
        }
        for i in range(count)
    ]


async def _one(
    fake: FakeProcess, report: Report, method: str, count: int, faults: Any, area: int
) -> None:
    tag = f"bench:{time.time_ns()}"
    items = _items(count, tag, area)
    await fake.faults(**faults)
    try:
        async with HomebaseClient(
            fake.api_key, base_url=fake.base_url, max_concurrency=32, timeout=2.0
        ) as hb:
            started = time.perf_counter()
            result = await getattr(hb.customers, method)(items, concurrency=32)
            seconds = time.perf_counter() - started
    finally:
        await fake.faults()
    ids: dict[str, list[str]] = await fake.command("note_ids", prefix=tag + ":")
    on_server = {int(note.rsplit(":", 1)[1]): found for note, found in ids.items()}
    created, failed, unknown = result.created, result.failed, result.outcome_unknown
    buckets = [set(created), set(failed), set(unknown)]
    if method == "upsert_many":
        buckets += [set(result.updated), set(result.unchanged), set(result.ambiguous)]
    accounted = set().union(*buckets) == set(range(count)) and sum(map(len, buckets)) == count
    duplicates = sum(1 for found in on_server.values() if len(found) > 1)
    wrong = [i for i, cid in created.items() if on_server.get(i) != [cid]]
    wrong += [i for i in failed if i in on_server]
    landed = sum(1 for i in unknown if i in on_server)
    share = len(unknown) / count
    report.figures.setdefault("soak", {})[method] = {
        "seconds": seconds,
        "created": len(created),
        "failed": len(failed),
        "outcome_unknown": len(unknown),
        "unknown_that_landed": landed,
        "duplicates": duplicates,
        "misreported": wrong[:20],
    }
    report.row(
        SECTION,
        f"{method} of {count} under faults (settling on)",
        f"{seconds:.1f} s",
        f"created {len(created)}, failed (not created) {len(failed)}, outcome unknown "
        f"{len(unknown)} ({landed} of them landed)",
    )
    report.target(
        SECTION,
        f"{method}: ≤ 1 % outcome unknown, 0 duplicates, every created id verified",
        f"{share:.1%} unknown, {duplicates} duplicates, {len(wrong)} misreported, "
        f"{'all' if accounted else 'NOT all'} accounted",
        share <= 0.01 and duplicates == 0 and not wrong and accounted,
    )


async def _second_upsert(fake: FakeProcess, report: Report, count: int) -> None:
    items = _items(count, f"bench:{time.time_ns()}", 722)
    async with HomebaseClient(fake.api_key, base_url=fake.base_url, max_concurrency=32) as hb:
        await hb.customers.upsert_many(items)
        await fake.command("reset")
        again = await hb.customers.upsert_many(items)
    writes = await fake.command("writes")
    report.target(
        SECTION,
        f"a second upsert_many of the same {count} items sends no write request",
        f"{writes} writes, {len(again.unchanged)} unchanged",
        writes == 0 and len(again.unchanged) == count,
    )


async def bulk_writes(fake: FakeProcess, report: Report, *, quick: bool, faults: Any) -> None:
    count = 200 if quick else 1000
    for method, area in (("create_many", 720), ("upsert_many", 721)):
        await _one(fake, report, method, count, faults, area)
    await _second_upsert(fake, report, count)


async def kills(report: Report, *, quick: bool) -> None:
    trials = 3 if quick else 20
    figures = await asyncio.to_thread(killrun.run, trials, seed=7)
    report.figures.setdefault("soak", {})["kills"] = figures
    synced, sent = figures["customers"], figures["campaign"]
    report.row(
        SECTION,
        f"{trials} syncs and {trials} campaigns of {figures['items_per_trial']}, each killed "
        "(SIGKILL) after a random number of its writes, then resumed from its journal",
        f"{figures['seconds']:.0f} s",
        f"{synced['killed']} + {sent['killed']} runs killed before they ended; campaigns: "
        f"{sent['sent']} sent, {sent['outcome_unknown']} outcome unknown (never resent)",
    )
    lost = synced["lost"] + synced["unreported"] + sent["lost"]
    ok = (
        synced["duplicates"] == 0
        and sent["sent_twice"] == 0
        and lost == 0
        and synced["done"] == trials
        and sent["sent_but_not_on_server"] == 0
        and sent["reported_not_sent_but_on_server"] == 0
    )
    report.target(
        SECTION,
        "killed runs resumed: 0 duplicate customers, 0 messages sent twice, 0 items lost",
        f"{synced['duplicates']} duplicates, {sent['sent_twice']} sent twice, {lost} lost",
        ok,
    )


async def overlaps(report: Report, *, quick: bool) -> None:
    trials = 3 if quick else 50
    figures = await asyncio.to_thread(overlap.run, trials, seed=11)
    report.figures.setdefault("soak", {})["overlaps"] = figures
    ops = figures["by_operation"]
    report.row(
        SECTION,
        f"two runs at once on one journal, {trials} trials per operation of "
        f"{figures['items_per_run']} items (the second 0-0.6 s later)",
        f"{figures['seconds']:.0f} s",
        "; ".join(f"{name}: second refused {o['refused']} times" for name, o in ops.items()),
    )
    bad = {
        name: (o["duplicates"], o["lost"], o["misreported"])
        for name, o in ops.items()
        if o["duplicates"] or o["lost"] or o["misreported"]
    }
    report.target(
        SECTION,
        "overlapping runs (customers sync, messages send, upsert_many, jobs.create_many): "
        "0 duplicates, 0 sent twice, 0 lost",
        f"{sum(o['duplicates'] for o in ops.values())} duplicates, "
        f"{sum(o['lost'] for o in ops.values())} lost over {4 * trials} trials",
        not bad,
    )

"""Sections 3 and 4: bulk lookup against its ideal bound, job pagination's request count."""

from __future__ import annotations

import asyncio
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

from homebase_async import HomebaseClient

from .report import Report, median
from .server import FakeProcess

SECTION_3 = "3 bulk lookup"
SECTION_4 = "4 pagination"
LOOKUP_LATENCY = 0.020
_MEMORY_SCRIPT = Path(__file__).with_name("memory.py")


def identifiers(
    fake: FakeProcess, count: int = 10_000, unknown: int = 100
) -> dict[str, str | None]:
    """`count` identifiers, each naming a different customer (by id, mobile or e-mail in turn)
    except `unknown` made-up ids; maps each to the customer id it must find (None: none)."""
    wanted: dict[str, str | None] = {}
    for index, (cid, mobile, email) in enumerate(fake.info["customers"][: count - unknown]):
        wanted[(cid, mobile, email)[index % 3]] = cid
    rng = random.Random("unknown")
    while len(wanted) < count:
        wanted["".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=20))] = None
    return wanted


def check_lookup(result: Any, wanted: dict[str, str | None]) -> list[str]:
    """What is wrong with a LookupResult (empty: every identifier where it belongs)."""
    problems = []
    if result.failed:
        problems.append(f"{len(result.failed)} failed")
    for ident, cid in wanted.items():
        if cid is None:
            if ident not in result.missing:
                problems.append(f"{ident} not reported missing")
        elif cid not in {c.customer_id for c in result.matches.get(ident, [])}:
            problems.append(f"{ident} did not find {cid}")
    return problems


def lookup_signature(result: Any) -> dict[str, Any]:
    """A comparable digest of a LookupResult: identifier -> sorted customer ids, and misses."""
    return {
        "matches": {i: sorted(c.customer_id for c in cs) for i, cs in result.matches.items()},
        "missing": sorted(result.missing),
        "failed": sorted(result.failed),
    }


async def lookup(fake: FakeProcess, report: Report, *, quick: bool) -> None:
    wanted = identifiers(fake)
    idents = list(wanted)
    rounds = 1 if quick else 3
    walls: dict[int, list[float]] = {8: [], 32: []}
    cpus: dict[int, list[float]] = {8: [], 32: []}
    requests: dict[int, list[int]] = {8: [], 32: []}
    problems: list[str] = []
    await fake.faults(latency=LOOKUP_LATENCY)
    try:
        async with HomebaseClient(fake.api_key, base_url=fake.base_url, max_concurrency=32) as hb:
            await hb.customers.lookup(idents[:200], concurrency=8)  # warm
            for _ in range(rounds):
                for concurrency in (8, 32):
                    before = hb.stats["attempts"]
                    cpu, started = time.process_time(), time.perf_counter()
                    result = await hb.customers.lookup(idents, concurrency=concurrency)
                    walls[concurrency].append(time.perf_counter() - started)
                    cpus[concurrency].append(time.process_time() - cpu)
                    requests[concurrency].append(hb.stats["attempts"] - before)
                    problems += check_lookup(result, wanted)
            report.cache["lookup"] = lookup_signature(result)
            sample = idents[:: len(idents) // (20 if quick else 50)]
            started = time.perf_counter()
            for ident in sample:
                await hb.customers.search(identifiers=[ident], limit=100)
            one_each = (time.perf_counter() - started) / len(sample) * len(idents)
    finally:
        await fake.faults()
    report.figures["lookup"] = {
        "walls": walls,
        "client_cpu": cpus,
        "requests": requests,
        "one_per_request_s": one_each,
        "problems": problems[:20],
    }
    ideal_requests = math.ceil(len(idents) / 100)
    report.row(
        SECTION_3,
        "one identifier per request, sequential",
        f"{one_each:.1f} s",
        f"extrapolated from {len(sample)} requests to {len(idents)}",
    )
    for concurrency in (8, 32):
        wall = median(walls[concurrency])
        ideal = ideal_requests / concurrency * LOOKUP_LATENCY
        report.row(
            SECTION_3,
            f"lookup of {len(idents)} at concurrency {concurrency}",
            f"{wall:.3f} s",
            f"ideal {ideal:.3f} s; {median(requests[concurrency]):.0f} requests (ideal "
            f"{ideal_requests}); client CPU {median(cpus[concurrency]):.3f} s; "
            f"{one_each / wall:.0f}x faster than one per request",
        )
        report.target(
            SECTION_3,
            f"concurrency {concurrency}: ideal ÷ wall ≥ 0.85",
            f"{ideal / wall:.2f}",
            ideal / wall >= 0.85,
        )
    report.target(
        SECTION_3,
        "every identifier matched or missing, as expected",
        "all correct" if not problems else f"{len(problems)} problems: {problems[0]}",
        not problems,
    )


async def iterate_ids(hb: HomebaseClient, start: str, end: str) -> list[str]:
    return [job.job_id async for job in hb.jobs.iterate(start, end)]


# Issue 21's targets, requests ÷ ceil(N/100), per server order. Each job set here is one case,
# so each is held to the order's worst-case target (the family bench, listing_family, holds the
# medians). No full answer is trusted (a sorted server's page is only a preview for an exact
# re-ask), and any sound planner needs at least 1 + ceil(N/99) requests (`lower_bound`): a
# target under that is raised to it. The old 1.15x for sorted servers assumed trusted pages.
ORDER_LIMITS = {
    "random": 2.0,  # the fake's default, first: the soak's reference comes from it
    "start": 1.15,
    "start_desc": 1.15,
    "id": 2.0,
    "newest": 2.0,
    "stable": 2.0,
}


def lower_bound(count: int) -> float:
    """Requests ÷ ceil(N/100) no sound planner beats without prior knowledge: every job must
    be in an answer of at most 99 (a full one proves nothing), and the first request over a
    range of 100 or more is necessarily full."""
    return (1 + math.ceil(count / 99)) / math.ceil(count / 100)


async def _iterate_keys(hb: HomebaseClient, start: str, end: str) -> list[tuple[Any, str]]:
    return [(job.start, job.job_id) async for job in hb.jobs.iterate(start, end)]


async def pagination(fake: FakeProcess, report: Report, *, quick: bool) -> None:
    """jobs.iterate under every list order of the fake, both job sets: requests and order."""
    figures = report.figures.setdefault("pagination", {})
    names = ["uniform", "bursty"]
    async with HomebaseClient(fake.api_key, base_url=fake.base_url) as hb:
        for order, target in ORDER_LIMITS.items():
            await fake.command("order", order=order)
            for name in names:
                start, end, count = fake.info["jobs"][name]
                limit = round(max(target, lower_bound(count)), 2)
                before = hb.stats["attempts"]
                started = time.perf_counter()
                keys = await _iterate_keys(hb, start, end)
                wall = time.perf_counter() - started
                requests = hb.stats["attempts"] - before
                ids = [job_id for _, job_id in keys]
                problems = []
                if len(ids) != count or len(set(ids)) != count:
                    problems.append(f"{len(ids)} jobs ({len(set(ids))} distinct) of {count}")
                if keys != sorted(keys):
                    problems.append("not in (start, jobId) order")
                if order == "random":
                    report.cache.setdefault("jobs", {})[name] = sorted(ids)
                floor = math.ceil(count / 100)
                ratio = requests / floor
                figures[f"{order}:{name}"] = {
                    "wall": wall,
                    "requests": requests,
                    "floor": floor,
                    "ratio": ratio,
                    "problems": problems,
                }
                report.row(
                    SECTION_4,
                    f"jobs.iterate, {count} jobs, {name}, order {order}",
                    f"{wall:.2f} s",
                    f"{requests} requests (ceil(N/100) = {floor}), {count / wall:.0f} jobs/s",
                )
                report.target(
                    SECTION_4,
                    f"order {order}, {name}: requests ≤ {limit}x ceil(N/100), every job once, "
                    "in order",
                    f"{ratio:.2f}x" + (f"; {problems[0]}" if problems else ""),
                    ratio <= limit and not problems,
                )
        await fake.command("order", order="random")


MEMORY_JOBS = 100_000


async def memory(report: Report, *, quick: bool) -> None:
    """Peak RSS growth of a fresh process iterating 100,000 jobs, from a fake of its own."""
    jobs = MEMORY_JOBS // 4 if quick else MEMORY_JOBS
    fake = await FakeProcess.start("--customers", "2000", "--jobs", f"large:{jobs}:uniform:0:200")
    async with fake:
        start, end, count = fake.info["jobs"]["large"]
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(_MEMORY_SCRIPT),
            fake.base_url,
            fake.api_key,
            start,
            end,
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await proc.communicate()
    data = json.loads(out)
    report.figures.setdefault("pagination", {})["memory"] = data
    growth = data["peak_rss_growth_mb"]
    report.row(
        SECTION_4,
        f"jobs.iterate, {count} jobs, separate process",
        f"{growth:.1f} MB",
        f"peak RSS above start ({data['start_rss_mb']:.0f} MB); {data['jobs']} jobs, "
        f"{data['requests']} requests, {data['seconds']:.1f} s (run beside the idle test)",
    )
    report.target(
        SECTION_4,
        f"iterating {count} jobs: peak memory < 50 MB above start",
        f"{growth:.1f} MB" + ("" if data["jobs"] == count else f"; {data['jobs']} jobs"),
        growth < 50 and data["jobs"] == count,
    )

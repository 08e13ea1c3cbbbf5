"""Past one machine: businesses synced as procrastinate tasks by worker processes that are
SIGKILLed at random moments, against `FakeBusinesses` (one API key per business).

    python scripts/bench/workers.py trial --businesses 20 --workers 3 --kills 20   # JSON
    python scripts/bench/workers.py throughput --workers 1,2,4 --latency 0.05       # JSON

A trial runs examples/queue_sync as it is (its app, its tasks, its stalled-job recovery),
with the heartbeat shortened so a killed worker's task is retried on another within seconds.
It also queues a second task for some businesses, so two workers do contend for one
business's lease. Afterwards it checks against the fakes what issue 20 asks: no duplicate
customers or jobs, no SMS sent twice, no item lost, every business's report complete, no
business over its SMS quota, and no two workers holding one business's lease at once.

Leases are logged by each worker (acquired once the lock is taken, released before it is
given back; a killed worker's lease ends at the kill, logged before the signal): each logged
interval lies inside the real one, so two that overlap prove a real overlap.

PostgreSQL: HOMEBASE_TEST_POSTGRES_URL, or the server scripts/postgres.sh starts. Each trial
works in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "queue_sync"
POSTGRES_SH = ROOT / "scripts" / "postgres.sh"
NIGHT = "2026-12-06"
#: Seconds without a heartbeat before a worker's tasks are retried elsewhere (the example's
#: default is procrastinate's 30 s; a trial cannot wait that long per kill).
STALLED_AFTER = 1.5
#: What a trial counts over every business (all but the last three must be 0).
FIGURES = (
    "duplicate_customers",
    "duplicate_jobs",
    "sms_sent_twice",
    "customers_lost",
    "jobs_lost",
    "sms_lost",
    "sms_reported_sent_not_on_server",
    "reports_missing",
    "reports_incomplete",
    "over_quota",
    "customers",
    "sms_sent",
    "sms_not_sent",
)
#: Where an item can end, per report: each item in exactly one (`from_journal` and the like
#: say more about some of them, and are not counted).
OUTCOMES = {
    "UpsertReport": ("created", "updated", "unchanged", "ambiguous", "failed", "outcome_unknown"),
    "CreateReport": ("created", "failed", "outcome_unknown"),
    "SendReport": ("sent", "not_sent", "failed", "outcome_unknown"),
}


# -- the instrumented worker (a child process) ---------------------------------------------


def worker(log_dir: str) -> None:
    """Run the example's worker, logging each lease this process takes and gives back."""
    sys.path.insert(0, str(EXAMPLE))
    from homebase_async._bulk import _postgres

    log = open(Path(log_dir) / f"lease-{os.getpid()}.jsonl", "a", buffering=1)  # noqa: SIM115
    acquire, close = _postgres.PostgresStore.acquire, _postgres.PostgresStore.close

    async def logged_acquire(self: Any, holder: Any, *, wait: float) -> None:
        await acquire(self, holder, wait=wait)
        log.write(json.dumps({"scope": self.scope, "pid": os.getpid(), "acquired": time.time()}))
        log.write("\n")

    async def logged_close(self: Any) -> None:
        if self._conn is not None and not self._conn.closed:
            log.write(
                json.dumps({"scope": self.scope, "pid": os.getpid(), "released": time.time()})
                + "\n"
            )
        await close(self)

    _postgres.PostgresStore.acquire = logged_acquire  # type: ignore[method-assign]
    _postgres.PostgresStore.close = logged_close  # type: ignore[method-assign]
    import worker as example_worker  # examples/queue_sync/worker.py

    asyncio.run(example_worker.main())


# -- the orchestrator ----------------------------------------------------------------------


class Postgres:
    """The test server's URL, starting it (and stopping it after) when nobody else did."""

    def __init__(self) -> None:
        self.url = os.environ.get("HOMEBASE_TEST_POSTGRES_URL", "")
        self.started = False

    def __enter__(self) -> str:
        if not self.url:
            self.started = subprocess.run([POSTGRES_SH, "status"], check=False).returncode != 0
            done = subprocess.run([POSTGRES_SH, "start"], capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"scripts/postgres.sh start failed:\n{done.stderr}")
            self.url = done.stdout.strip().splitlines()[-1]
        return self.url

    def __exit__(self, *exc: object) -> None:
        if self.started:
            subprocess.run([POSTGRES_SH, "stop"], check=False)


class Trial:
    def __init__(self, url: str, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.schema = f"hb_workers_{uuid.uuid4().hex[:10]}"
        self.admin_url = url
        self.db = f"{url}?options=-c%20search_path%3D{self.schema}"
        self.logs = Path(tempfile.mkdtemp(prefix="hb-workers-"))
        self.children_cpu = _children_cpu()
        self.procs: list[asyncio.subprocess.Process] = []
        self.kills: list[dict[str, float]] = []

    def env(self, base_url: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            QUEUE_SYNC_DATABASE=self.db,
            QUEUE_SYNC_SIZES=self.args.sizes,
            QUEUE_SYNC_STALLED_AFTER=str(STALLED_AFTER),
            QUEUE_SYNC_STALLED_CRON="* * * * * *",  # every second (croniter: seconds last)
            QUEUE_SYNC_CONCURRENCY=str(self.args.concurrency),
            HOMEBASE_BASE_URL=base_url,
            PYTHONPATH=os.pathsep.join([str(EXAMPLE), str(ROOT)]),
        )
        return env

    async def spawn(self, env: dict[str, str]) -> None:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "worker",
            str(self.logs),
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=open(self.logs / "workers.err", "ab"),  # noqa: ASYNC230, SIM115
        )
        self.procs.append(proc)

    async def run(self) -> dict[str, Any]:
        import psycopg

        from homebase_async.testing import FakeBusinesses, Faults

        async with await psycopg.AsyncConnection.connect(self.admin_url, autocommit=True) as c:
            await c.execute(f"CREATE SCHEMA {self.schema}")
        try:
            sys.path.insert(0, str(EXAMPLE))
            os.environ.update(QUEUE_SYNC_DATABASE=self.db, QUEUE_SYNC_SIZES=self.args.sizes)
            import source

            names = source.businesses(self.args.businesses)
            fakes = FakeBusinesses([source.api_key(name) for name in names])
            self.limits = {}
            for index, name in enumerate(names):
                fake = fakes[source.api_key(name)]
                # Every other business has fewer SMS left today than its campaign needs.
                fake.sms_daily_limit = source.SIZES[2] - 4 if index % 2 else 500
                self.limits[name] = fake.sms_daily_limit
                if self.args.latency:
                    fake.set_faults(Faults(latency=self.args.latency))
            async with fakes.serve() as base_url:
                started, cpu = time.perf_counter(), time.process_time()
                await self.drive(names, self.env(base_url))
                seconds = time.perf_counter() - started
                # This process serves every fake: a share near 1.0 means the fakes were the
                # bound (one core), not the workers.
                self.fake_cpu = (time.process_time() - cpu) / seconds
            await self.stop_workers()
            figures = await self.check(names, fakes, source, seconds)
            shutil.rmtree(self.logs)  # kept when a trial fails, for a look at workers.err
            return figures
        finally:
            await self.stop_workers()
            async with await psycopg.AsyncConnection.connect(self.admin_url, autocommit=True) as c:
                await c.execute(f"DROP SCHEMA {self.schema} CASCADE")

    async def stop_workers(self) -> None:
        for proc in self.procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()

    async def drive(self, names: list[str], env: dict[str, str]) -> None:
        import enqueue  # examples/queue_sync/enqueue.py (reads QUEUE_SYNC_DATABASE)
        from app import app, sync_business

        await enqueue.enqueue(len(names), NIGHT)
        async with app.open_async():
            for name in names[: self.args.duplicates]:  # a second task: leases contend
                await sync_business.configure(queueing_lock=f"{name}:again").defer_async(
                    business=name, night=NIGHT
                )
        for _ in range(self.args.workers):
            await self.spawn(env)
        deadline = time.monotonic() + self.args.timeout
        next_kill = time.monotonic() + self.rng.uniform(0.5, 2.0)
        while not await self.finished():
            if time.monotonic() > deadline:
                raise SystemExit(f"trial not finished in {self.args.timeout} s: {self.logs}")
            if len(self.kills) < self.args.kills and time.monotonic() >= next_kill:
                # A random moment while the worker runs a sync (holds a business's lease),
                # so every kill interrupts writes; none holding one yet: try again shortly.
                live = {p.pid: p for p in self.procs if p.returncode is None}
                busy = sorted(pid for pid in self.holding() if pid in live)
                if busy:
                    victim = live[self.rng.choice(busy)]
                    self.kills.append({"pid": victim.pid, "at": time.time()})
                    victim.send_signal(signal.SIGKILL)
                    await victim.wait()
                    await self.spawn(env)  # a queue's supervisor restarts lost workers
                    next_kill = time.monotonic() + self.rng.uniform(0.2, self.args.kill_gap)
            await asyncio.sleep(0.1)

    async def finished(self) -> bool:
        import psycopg

        async with await psycopg.AsyncConnection.connect(self.db, autocommit=True) as conn:
            found = await conn.execute(
                "SELECT count(*) FILTER (WHERE status NOT IN ('succeeded', 'failed')),"
                " count(*) FROM procrastinate_jobs WHERE task_name = 'sync_business'"
            )
            row = await found.fetchone()
        return row is not None and row[0] == 0 and row[1] > 0

    async def check(
        self, names: list[str], fakes: Any, source: Any, seconds: float
    ) -> dict[str, Any]:
        import psycopg

        async with await psycopg.AsyncConnection.connect(self.db, autocommit=True) as conn:
            found = await conn.execute(
                "SELECT status, attempts FROM procrastinate_jobs WHERE task_name = 'sync_business'"
            )
            jobs = await found.fetchall()
            found = await conn.execute(
                "SELECT DISTINCT ON (business) business, counts FROM queue_sync_reports"
                " ORDER BY business, finished DESC"
            )
            reports = dict(await found.fetchall())
            found = await conn.execute(
                "SELECT extract(epoch FROM max(finished))::float FROM queue_sync_reports"
            )
            last = await found.fetchone()
        self.last_report = float(last[0]) if last and last[0] is not None else time.time()
        n_customers, n_jobs, n_sms = source.SIZES
        figures: Counter[str] = Counter(dict.fromkeys(FIGURES, 0))
        for name in names:
            fake = fakes[source.api_key(name)]
            people = Counter(c["firstName"] for c in fake.customers.values())
            notes = Counter(j["note"] for j in fake.jobs.values())
            texts = Counter(m["message"] for m in fake.sms_sent)
            figures["customers"] += len(people)
            figures["duplicate_customers"] += sum(people.values()) - len(people)
            figures["customers_lost"] += n_customers - len(people)
            figures["duplicate_jobs"] += sum(notes.values()) - len(notes)
            figures["jobs_lost"] += n_jobs - len(notes)
            figures["sms_sent"] += len(texts)
            figures["sms_sent_twice"] += sum(texts.values()) - len(texts)
            figures["over_quota"] += int(fake.sms_used_today > self.limits[name])
            counts = reports.get(name)
            if counts is None:
                figures["reports_missing"] += 1
                continue
            send_report = counts["SendReport"]
            complete = all(
                sum(counts[report][outcome] for outcome in OUTCOMES[report]) == expected
                for report, expected in (
                    ("UpsertReport", n_customers),
                    ("CreateReport", n_jobs),
                    ("SendReport", n_sms),
                )
            )
            figures["reports_incomplete"] += int(not complete)
            if not complete:
                print(f"incomplete report of {name}: {counts}", file=sys.stderr)
            accounted = len(texts) + send_report["not_sent"] + send_report["failed"]
            # An outcome_unknown message may be on the server: counted once either way.
            figures["sms_lost"] += max(0, n_sms - accounted - send_report["outcome_unknown"])
            figures["sms_reported_sent_not_on_server"] += max(0, send_report["sent"] - len(texts))
            figures["sms_not_sent"] += send_report["not_sent"]
        leases = self.leases()
        # The syncing itself: first lease taken to last report written (not the workers'
        # start-up, which a long-running queue pays once).
        busy = max(0.001, self.last_report - leases.pop("first_acquired"))
        items = len(names) * sum(source.SIZES)
        return {
            "businesses": len(names),
            "workers": self.args.workers,
            "sizes": self.args.sizes,
            "latency": self.args.latency,
            "kills": len(self.kills),
            "tasks": len(jobs),
            "tasks_retried": sum(1 for _, attempts in jobs if attempts > 1),
            "tasks_failed": sum(1 for status, _ in jobs if status != "succeeded"),
            "items": items,
            "seconds": round(seconds, 2),
            "seconds_syncing": round(busy, 2),
            "items_per_second": round(items / busy, 1),
            "fake_cpu_share": round(self.fake_cpu, 2),
            # The workers' CPU (SDK, journal writes, procrastinate), per item synced.
            "worker_cpu_ms_per_item": round(
                1000 * (_children_cpu() - self.children_cpu) / items, 2
            ),
            "sync_seconds_median": leases.pop("sync_seconds_median"),
            **figures,
            **leases,
        }

    def holding(self) -> set[int]:
        """Pids of the workers that hold a lease now, from their logs."""
        held: dict[tuple[str, int], bool] = {}
        for path in self.logs.glob("lease-*.jsonl"):
            for line in path.read_text().splitlines():
                event = json.loads(line)
                held[(event["scope"], event["pid"])] = "acquired" in event
        return {pid for (_scope, pid), now in held.items() if now}

    def leases(self) -> dict[str, Any]:
        """Lease intervals per business from the workers' logs; overlaps counted."""
        killed = {kill["pid"]: kill["at"] for kill in self.kills}
        open_: dict[tuple[str, int], float] = {}
        spans: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
        for path in sorted(self.logs.glob("lease-*.jsonl")):
            for line in path.read_text().splitlines():
                event = json.loads(line)
                key = (event["scope"], event["pid"])
                if "acquired" in event:
                    open_[key] = event["acquired"]
                elif key in open_:
                    spans[event["scope"]].append((open_.pop(key), event["released"], key[1]))
        ended_by_kill = 0
        for (scope, pid), since in open_.items():  # held until its worker was killed
            spans[scope].append((since, killed.get(pid, float("inf")), pid))
            ended_by_kill += int(pid in killed)
        overlaps = 0
        for intervals in spans.values():
            intervals.sort()
            held_until = float("-inf")  # the latest end of the intervals before this one
            for start, end, _pid in intervals:
                overlaps += int(start < held_until)
                held_until = max(held_until, end)
        starts = [start for intervals in spans.values() for start, _, _ in intervals]
        # One business's sync: its first lease taken to its last given back (all its runs).
        syncs = sorted(
            max(end for _, end, _ in intervals) - min(start for start, _, _ in intervals)
            for intervals in spans.values()
        )
        return {
            "first_acquired": min(starts, default=time.time()),
            "sync_seconds_median": round(syncs[len(syncs) // 2], 2) if syncs else 0.0,
            "leases_taken": sum(len(intervals) for intervals in spans.values()),
            "leases_overlapping": overlaps,
            "leases_ended_by_kill": ended_by_kill,
        }


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    trial = commands.add_parser("trial")
    trial.add_argument("--businesses", type=int, default=20)
    trial.add_argument("--workers", type=int, default=3)
    trial.add_argument("--kills", type=int, default=20)
    trial.add_argument("--kill-gap", type=float, default=2.0, help="max seconds between kills")
    trial.add_argument("--duplicates", type=int, default=4)
    trial.add_argument("--sizes", default="20,10,15", help="customers,jobs,sms per business")
    trial.add_argument("--latency", type=float, default=0.0)
    trial.add_argument("--concurrency", type=int, default=4, help="tasks per worker")
    trial.add_argument("--seed", type=int, default=1)
    trial.add_argument("--timeout", type=float, default=240.0)
    speed = commands.add_parser("throughput")
    speed.add_argument("--workers", default="1,2,4")
    speed.add_argument("--businesses", type=int, default=20)
    speed.add_argument("--sizes", default="40,20,20")
    speed.add_argument("--latency", type=float, default=0.05)
    speed.add_argument("--concurrency", type=int, default=4)
    speed.add_argument("--timeout", type=float, default=300.0)
    child = commands.add_parser("worker")
    child.add_argument("log_dir")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any] | None:
    args = _arguments(argv)
    if args.command == "worker":
        worker(args.log_dir)
        return None
    with Postgres() as url:
        if args.command == "trial":
            return asyncio.run(Trial(url, args).run())
        results = {}
        for count in (int(n) for n in args.workers.split(",")):
            # One process per trial: the example's modules read their database at import.
            one = [
                "trial", "--workers", str(count), "--kills", "0", "--duplicates", "0",
                "--businesses", str(args.businesses), "--sizes", args.sizes,
                "--latency", str(args.latency), "--concurrency", str(args.concurrency),
                "--timeout", str(args.timeout),
            ]  # fmt: skip
            done = subprocess.run(
                [sys.executable, __file__, *one],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "HOMEBASE_TEST_POSTGRES_URL": url},
            )
            if done.returncode != 0:
                raise SystemExit(f"throughput trial failed:\n{done.stderr[-3000:]}")
            results[count] = json.loads(done.stdout)
        return {"night": NIGHT, "by_workers": results, "when": dt.datetime.now(dt.UTC).isoformat()}


if __name__ == "__main__":
    figures = main()
    if figures is not None:
        print(json.dumps(figures, indent=2))


SECTION = "workers"


async def section(fake: Any, report: Any, *, quick: bool) -> None:
    """`make bench`: the kill trial (at least twenty kills) and items per second with 1, 2
    and 4 workers against fakes answering in 50 ms (the shared fake process is not used)."""
    kills = 4 if quick else 24
    trial = ["trial", "--kills", str(kills), "--kill-gap", "1.5", "--timeout", "400"]
    figures = await asyncio.to_thread(main, trial)
    assert figures is not None
    report.figures[SECTION] = {"trial": figures}
    report.row(
        SECTION,
        f"{figures['businesses']} businesses on {figures['workers']} workers, "
        f"{figures['kills']} SIGKILLs",
        f"{figures['seconds']:.0f} s",
        f"{figures['tasks_retried']} tasks retried elsewhere, {figures['leases_ended_by_kill']} "
        f"leases ended by a kill, {figures['sms_not_sent']} SMS held back by quotas",
    )
    bad = sum(figures[name] for name in (*FIGURES[:-3], "leases_overlapping", "tasks_failed"))
    report.target(
        SECTION,
        ">= 20 worker kills: 0 duplicates, 0 SMS twice, 0 lost, reports complete, "
        "one lease holder, no quota passed",
        f"{figures['kills']} kills, {bad} faults",
        figures["kills"] >= (4 if quick else 20) and bad == 0,
    )
    speed = await asyncio.to_thread(main, ["throughput", "--workers", "1,2" if quick else "1,2,4"])
    assert speed is not None
    report.figures[SECTION]["throughput"] = speed
    for count, one in speed["by_workers"].items():
        report.row(
            SECTION,
            f"items per second, {count} worker(s), 50 ms API latency",
            f"{one['items_per_second']:.0f}/s",
            f"{one['items']} items of {one['businesses']} businesses in "
            f"{one['seconds_syncing']:.1f} s; one business's sync {one['sync_seconds_median']} s "
            f"(median); workers' CPU {one['worker_cpu_ms_per_item']} ms per item; the fakes' "
            f"process {one['fake_cpu_share']:.0%} of a core",
        )

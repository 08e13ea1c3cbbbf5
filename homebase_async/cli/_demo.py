"""`homebase demo`: a night's bulk sync against the embedded fake server, with faults."""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import secrets
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import click

from .. import HomebaseClient, LookupResult, SendReport
from ..testing import FakeHomebase, Faults
from ._demo_resume import resume_demo
from ._export import truncation_reported
from ._output import open_output, row_writer
from ._progress import progress_bar, wants_progress

__all__ = ["READ_FAULTS", "SEND_FAULTS", "DemoSizes", "run_demo"]

#: A few percent of the reads fail: load shedding, rate limits, dropped connections.
READ_FAULTS = Faults(
    error_rates={503: 0.03, 429: 0.01},
    retry_after="seconds",
    retry_after_value=1.0,
    drop_before=0.01,
    drop_after=0.01,
)
#: Fewer on the sends, where a 5xx or a connection dropped after the request was written
#: leaves the outcome unknown (the SDK never retries those: a retry could send twice).
SEND_FAULTS = Faults(
    error_rates={503: 0.01, 429: 0.01},
    retry_after="seconds",
    retry_after_value=1.0,
    drop_after=0.01,
)
_CAMPAIGN_TEXT = "Spring special: 15% off window cleaning booked this week. Reply STOP to opt out."
_FAULT_NAMES = {"drop_before": "dropped before", "drop_after": "dropped after"}


@attrs.frozen(kw_only=True)
class DemoSizes:
    """How much data the fake holds, and the SMS campaign against its daily quota."""

    customers: int = 3_000
    jobs: int = 20_000
    leads: int = 400
    campaign: int = 250
    sms_limit: int = 200
    seed: int = 2024
    resume: int = 200


class _Lines:
    """The report, printed line by line as it is built; a step line shows its duration."""

    def __init__(self) -> None:
        self._mark = time.perf_counter()

    def add(self, label: str, text: str, *, timed: bool = False) -> None:
        now = time.perf_counter()
        suffix = f"  [{now - self._mark:.1f} s]" if timed else ""
        self._mark = now
        click.echo(f"  {label:<13} {text}{suffix}")

    def restart(self) -> None:
        self._mark = time.perf_counter()


def _n(value: int) -> str:
    return f"{value:,}"


def _fake(sizes: DemoSizes, start: dt.datetime, end: dt.datetime) -> FakeHomebase:
    fake = FakeHomebase(
        f"demo-{secrets.token_urlsafe(12)}", sms_daily_limit=sizes.sms_limit, seed=sizes.seed
    )
    fake.populate(
        customers=sizes.customers, jobs=sizes.jobs, leads=sizes.leads, start=start, end=end
    )
    fake.set_faults(attrs.evolve(READ_FAULTS, seed=sizes.seed))
    return fake


def _identifiers(fake: FakeHomebase, count: int) -> list[str]:
    """Ids, mobiles and e-mails of existing customers, and a few that match nobody."""
    found: list[str] = []
    for index, customer_id in enumerate(list(fake.customers)[:count]):
        customer = fake.customers[customer_id]
        kind = index % 3
        if kind == 0:
            found.append(customer_id)
        elif kind == 1:
            found.append(customer["phone"]["mobile"])
        else:
            found.append(customer["email"][0])
    missing = [f"nobody{index}@example.invalid" for index in range(max(count // 50, 1))]
    return found + missing


def _campaign(fake: FakeHomebase, count: int) -> list[dict[str, Any]]:
    """`count` texts, to the customers' mobiles in turn."""
    ids = list(fake.customers)
    mobiles = [fake.customers[ids[index % len(ids)]]["phone"]["mobile"] for index in range(count)]
    return [{"mobile_phone": mobile, "message": _CAMPAIGN_TEXT} for mobile in mobiles]


@contextlib.contextmanager
def _directory(output_dir: str | None) -> Iterator[Path]:
    if output_dir is not None:
        Path(output_dir).mkdir(parents=True, exist_ok=True)
        yield Path(output_dir)
        return
    with tempfile.TemporaryDirectory(prefix="homebase-demo-") as temp:
        yield Path(temp)


def _describe(faults: Faults) -> str:
    parts = [f"{status} {rate:.0%}" for status, rate in faults.error_rates.items()]
    parts += [
        f"{_FAULT_NAMES[name]} {rate:.0%}"
        for name, rate in (("drop_before", faults.drop_before), ("drop_after", faults.drop_after))
        if rate
    ]
    return " · ".join(parts)


async def run_demo(sizes: DemoSizes, *, output_dir: str | None, progress: bool | None) -> int:
    """Serve the fake on loopback, sync with the SDK, print the report; 0 once reported."""
    started = time.perf_counter()
    show = wants_progress(progress)
    end = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = end - dt.timedelta(days=365)
    fake = _fake(sizes, start, end)
    out = _Lines()
    click.echo("homebase demo: a bulk sync against the embedded fake server, with faults\n")
    with _directory(output_dir) as folder:
        async with fake.serve() as base_url, HomebaseClient(fake.api_key, base_url=base_url) as hb:
            out.add("server", f"{base_url} (the fake made its own API key)")
            out.add(
                "data",
                f"{_n(sizes.customers)} customers, {_n(sizes.jobs)} jobs over a year, "
                f"{_n(sizes.leads)} leads, SMS quota {_n(sizes.sms_limit)} a day",
            )
            out.add("faults", f"reads: {_describe(READ_FAULTS)}; Retry-After 1 s on 429")
            out.add("", f"sends: {_describe(SEND_FAULTS)}")
            click.echo()
            out.restart()
            ping = await hb.ping()
            out.add("ping", f"ok, the key of {ping.email}", timed=True)
            identifiers = _identifiers(fake, min(sizes.customers, 1_000))
            with progress_bar("customers lookup", enabled=show) as on_progress:
                found = await hb.customers.lookup(identifiers, on_progress=on_progress)
            _report_lookup(out, len(identifiers), found)
            truncated = await _export_jobs(hb, out, folder, (start, end), len(fake.jobs), show)
            truncated += await _export_leads(hb, out, folder, sizes.leads, show)
            fake.set_faults(attrs.evolve(SEND_FAULTS, seed=sizes.seed))
            with progress_bar("sms campaign", enabled=show) as on_progress:
                sent = await hb.messages.send_many(
                    _campaign(fake, sizes.campaign), on_progress=on_progress
                )
            _report_campaign(out, sizes, sent, fake.sms_used_today)
            stats = await hb.messages.stats()
            out.add(
                "sms quota",
                f"{_n(stats.usage.daily_used)} of {_n(stats.limits.per_day)} used today, "
                f"{_n(stats.usage.daily_remaining)} left",
            )
            client_stats = hb.stats
        click.echo()
        _report_totals(out, fake, client_stats, found, sent, truncated)
        out.add("duration", f"{time.perf_counter() - started:.1f} s in all")
        if output_dir is not None:
            out.add("files", f"{folder}/jobs.jsonl, {folder}/leads.jsonl")
        crashed: list[str] = []
        if sizes.resume:
            click.echo("\nCrash and resume: `homebase` in a child process, killed halfway\n")
            out.restart()
            with tempfile.TemporaryDirectory(prefix="homebase-demo-crash-") as scratch:
                crashed = await resume_demo(Path(scratch), sizes.resume, out.add)
    _list_problems(found, sent)
    for problem in crashed:
        click.echo(f"  PROBLEM {problem}")
    return 1 if crashed else 0


def _report_lookup(out: _Lines, count: int, found: LookupResult) -> None:
    out.add(
        "customers",
        f"{_n(count)} identifiers looked up: {_n(len(found.matches))} matched, "
        f"{_n(len(found.missing))} missing, {_n(len(found.failed))} failed",
        timed=True,
    )


async def _export_jobs(
    hb: HomebaseClient,
    out: _Lines,
    folder: Path,
    window: tuple[dt.datetime, dt.datetime],
    expected: int,
    show: bool,
) -> int:
    path = folder / "jobs.jsonl"
    count = 0
    with (
        truncation_reported() as truncated,
        progress_bar("jobs export", enabled=show) as on_progress,
        open_output(str(path)) as handle,
    ):
        write = row_writer(handle, "jsonl", "job")
        async for job in hb.jobs.iterate(*window, on_progress=on_progress):
            write(job.to_dict())
            count += 1
    size = path.stat().st_size / 1e6
    out.add(
        "jobs",
        f"{_n(count)} of {_n(expected)} exported, a year from {window[0]:%Y-%m-%d} "
        f"({size:.1f} MB of JSON Lines)",
        timed=True,
    )
    return len(truncated)


async def _export_leads(
    hb: HomebaseClient, out: _Lines, folder: Path, expected: int, show: bool
) -> int:
    by_status: collections.Counter[str] = collections.Counter()
    with (
        truncation_reported() as truncated,
        progress_bar("leads export", enabled=show) as on_progress,
        open_output(str(folder / "leads.jsonl")) as handle,
    ):
        write = row_writer(handle, "jsonl", "lead")
        async for lead in hb.leads.iterate():
            record = lead.to_dict()
            write(record)
            by_status[str(record.get("status"))] += 1
            on_progress(by_status.total(), None)
    parts = ", ".join(f"{status} {_n(n)}" for status, n in by_status.most_common())
    out.add("leads", f"{_n(by_status.total())} of {_n(expected)} by status: {parts}", timed=True)
    return len(truncated)


def _report_campaign(out: _Lines, sizes: DemoSizes, sent: SendReport, counted: int) -> None:
    out.add(
        "sms campaign",
        f"{_n(sizes.campaign)} messages: {_n(len(sent.sent))} sent, "
        f"{_n(len(sent.not_sent))} not sent (daily budget used up), {_n(len(sent.failed))} "
        f"failed, {_n(len(sent.outcome_unknown))} outcome unknown",
        timed=True,
    )
    out.add("", f"the server counted {_n(counted)} sent")


def _report_totals(
    out: _Lines,
    fake: FakeHomebase,
    client: dict[str, int],
    found: LookupResult,
    sent: SendReport,
    truncated: int,
) -> None:
    stats = fake.stats
    injected = sum(stats.by_fault.values())
    surfaced = len(found.failed) + len(sent.failed) + len(sent.outcome_unknown)
    counts = collections.Counter(stats.by_fault)
    kinds = ", ".join(
        f"{_FAULT_NAMES.get(name, name.replace('error_', ''))} x{n}"
        for name, n in counts.most_common()
    )
    out.add(
        "requests",
        f"{_n(stats.total)} received by the server for {_n(client['calls'])} SDK calls "
        f"({_n(client['retries'])} retries)",
    )
    out.add("faults", f"{_n(injected)} injected: {kinds or 'none'}")
    out.add(
        "survived",
        f"{_n(max(injected - surfaced, 0))} of {_n(injected)} through retries; {_n(surfaced)} "
        "reached the report (failed or outcome unknown)",
    )
    if truncated:
        out.add(
            "truncated",
            f"{truncated} queries came back as full as an answer can be: see the warnings",
        )
    else:
        out.add("truncated", "none (no query hit the API's cap of 100)")


def _list_problems(found: LookupResult, sent: SendReport) -> None:
    lines = [f"  lookup {key!r}: {error}" for key, error in found.failed.items()]
    lines += [f"  message #{index}: {error}" for index, error in sorted(sent.failed.items())]
    unknown = sorted(sent.outcome_unknown)
    if unknown:
        numbers = ", ".join(f"#{index}" for index in unknown)
        lines.append(
            f"  messages {numbers}: outcome unknown; the SDK does not retry these, as a "
            "retry could send twice"
        )
    if lines:
        click.echo("\nTo check by hand:")
        click.echo("\n".join(lines))

"""The command line: `python -m homebase_async.testing serve [options]`."""

from __future__ import annotations

import argparse
import asyncio
import errno
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ._common import ORDERS
from ._fake import FakeHomebase
from ._faults import Faults

#: What `--example-data` holds: the records the README's examples name, and bulk around them.
EXAMPLE_CUSTOMERS: tuple[dict[str, Any], ...] = (
    {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone": "+13035550100",
        "email": "ada@example.com",
    },
    {
        "first_name": "Grace",
        "last_name": "Hopper",
        "phone": "+13035550101",
        "email": "grace@example.com",
    },
)
EXAMPLE_COUNTS = {"customers": 200, "jobs": 1_000, "leads": 60}
EXAMPLE_RANGE = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    """Run the CLI; prints the base URL on one line once the server accepts requests.

    `prog` names the command in usage messages (`homebase fake` when run from the CLI).
    """
    parser = _parser(prog or "python -m homebase_async.testing")
    args = parser.parse_args(argv)
    counts = {
        kind: getattr(args, kind)
        if getattr(args, kind) is not None
        else (EXAMPLE_COUNTS[kind] if args.example_data else 0)
        for kind in EXAMPLE_COUNTS
    }
    start, end = _range(args, parser)
    try:
        fake = FakeHomebase(
            args.api_key,
            business_email=args.business_email,
            enterprise=not args.no_enterprise,
            sms_daily_limit=args.sms_daily_limit,
            order=args.order,
            faults=_faults(args),
            seed=args.seed,
            timezone=args.timezone,
        )
        if args.example_data:
            for customer in EXAMPLE_CUSTOMERS:
                fake.add_customer(**customer)
        fake.populate(
            customers=counts["customers"],
            jobs=counts["jobs"],
            leads=counts["leads"],
            start=start,
            end=end,
            distribution=args.distribution,
        )
    except (ValueError, KeyError) as exc:  # KeyError: an unknown time zone
        parser.error(str(exc))
    summary = (
        f"key {args.api_key}; {_count(len(fake.customers), 'customer')}, "
        f"{_count(len(fake.jobs), 'job')}"
        + (f" from {start:%Y-%m-%d} to {end:%Y-%m-%d}" if fake.jobs else "")
        + f", {_count(len(fake.leads), 'lead')}; Ctrl-C stops it"
    )
    try:
        asyncio.run(_serve(fake, args, summary))
    except OSError as exc:
        # One line a person can act on, never uvicorn's traceback.
        if exc.errno == errno.EADDRINUSE:
            reason = f"port {args.port} on {args.host} is in use"
            hint = "; pick another with --port, or --port 0 for a free one"
        else:
            reason = f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
            hint = ""
        print(f"{parser.prog} serve: {reason}{hint}", file=sys.stderr)
        return 1
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _when(text: str) -> datetime:
    """A date (its UTC midnight) or an ISO 8601 date-time (UTC when it has no offset)."""
    try:
        if len(text.strip()) == 10:
            return datetime.combine(date.fromisoformat(text.strip()), time.min, UTC)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date (2025-01-01) or an ISO 8601 date-time, not {text!r}"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _range(args: argparse.Namespace, parser: argparse.ArgumentParser) -> tuple[datetime, datetime]:
    """--start/--end; by default all of 2025 with --example-data, else now -/+ 30 days."""
    if args.example_data:
        default_start, default_end = EXAMPLE_RANGE
    else:
        now = datetime.now(UTC)
        default_start, default_end = now - timedelta(days=30), now + timedelta(days=30)
    start: datetime = args.start or default_start
    end: datetime = args.end or default_end
    if end <= start:
        parser.error(f"--end ({end:%Y-%m-%d %H:%M}) must be after --start ({start:%Y-%m-%d %H:%M})")
    return start, end


async def _serve(fake: FakeHomebase, args: argparse.Namespace, summary: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    serving = fake.serve(host=args.host, port=args.port, keep_alive_timeout=args.keep_alive_timeout)
    async with serving as url:
        # The URL alone on stdout's first line, for scripts; the rest for people, on stderr.
        print(url, flush=True)
        print(f"fake Homebase360 API at {url}: {summary}", file=sys.stderr, flush=True)
        await stop.wait()


def _faults(args: argparse.Namespace) -> Faults | None:
    rates = dict(args.error_rate)
    probabilities = (args.drop_before, args.drop_after, args.slow)
    if not (rates or args.latency != (0.0, 0.0) or any(probabilities)):
        return None
    low, high = args.latency
    return Faults(
        latency=low if low == high else (low, high),
        error_rates=rates,
        retry_after=None if args.retry_after == "none" else args.retry_after,
        retry_after_value=args.retry_after_value,
        html_errors=args.html_errors,
        drop_before=args.drop_before,
        drop_after=args.drop_after,
        slow_after=args.slow,
        slow_delay=args.slow_delay,
        seed=args.seed,
    )


def _rate(text: str) -> tuple[int, float]:
    status, _, rate = text.partition("=")
    try:
        return int(status), float(rate)
    except ValueError:
        message = f"expected STATUS=RATE such as 503=0.1, not {text!r}"
        raise argparse.ArgumentTypeError(message) from None


def _latency(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    try:
        return float(low), float(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected SECONDS or MIN,MAX, not {text!r}") from None


class _DefaultsShown(argparse.ArgumentDefaultsHelpFormatter):
    """Every default in --help, except the empty ones (flags off, "not given")."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default is None or action.default is False or action.default == []:
            return action.help or ""
        return super()._get_help_string(action) or ""


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Fake Homebase360 API server.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve the fake over HTTP until interrupted",
        description=(
            "Serve a fake Homebase360 API on loopback until Ctrl-C or SIGTERM. Prints the base "
            "URL on stdout, then the API key and the data on stderr. Exit codes: 0 stopped; "
            "1 cannot listen (port in use); 2 bad options."
        ),
        formatter_class=_DefaultsShown,
    )
    add = serve.add_argument
    add("--host", default="127.0.0.1", help="address to listen on")
    add("--port", type=int, default=8000, help="TCP port; 0 picks a free one")
    add("--api-key", default="test-key", help="the key clients must send")
    add("--business-email", default="owner@example.com", help="the business of the key")
    add(
        "--example-data",
        action="store_true",
        help="the README examples' records: Ada Lovelace (+13035550100, ada@example.com), "
        "Grace Hopper (+13035550101), and by default "
        + ", ".join(f"{n:,} {kind}" for kind, n in EXAMPLE_COUNTS.items())
        + " with jobs all through 2025",
    )
    for kind, noun in (("--customers", "customers"), ("--jobs", "jobs"), ("--leads", "leads")):
        example = f"{EXAMPLE_COUNTS[noun]:,}"
        add(kind, type=int, help=f"{noun} to generate (0; {example} with --example-data)")
    add(
        "--start",
        type=_when,
        metavar="DATE|DATETIME",
        help="generated jobs start from here, UTC without an offset (30 days ago; "
        "2025-01-01 with --example-data)",
    )
    add(
        "--end",
        type=_when,
        metavar="DATE|DATETIME",
        help="... and before here (in 30 days; 2026-01-01 with --example-data)",
    )
    add("--distribution", choices=("uniform", "bursty", "multiday"), default="uniform")
    add("--seed", type=int, default=0)
    add("--order", choices=ORDERS, default="random", help="list order (see FakeHomebase)")
    add("--timezone", default="UTC", help="IANA zone that defines 'today' for jobs")
    add("--sms-daily-limit", type=int, default=500)
    add("--no-enterprise", action="store_true", help="answer 403 to SMS sends")
    add("--keep-alive-timeout", type=float, default=5.0, help="idle connection lifetime (s)")
    faults = serve.add_argument_group("faults")
    add = faults.add_argument
    add("--latency", type=_latency, default=(0.0, 0.0), help="SECONDS or MIN,MAX")
    add("--error-rate", type=_rate, action="append", default=[], help="STATUS=RATE, repeatable")
    add("--retry-after", choices=("seconds", "http-date", "none"), default="seconds")
    add("--retry-after-value", type=float, default=1.0)
    add("--html-errors", action="store_true", help="injected errors as an HTML page")
    add("--drop-before", type=float, default=0.0, help="probability")
    add("--drop-after", type=float, default=0.0, help="probability")
    add("--slow", type=float, default=0.0, help="probability of a slow response")
    add("--slow-delay", type=float, default=60.0, help="delay of a slow response (s)")
    return parser

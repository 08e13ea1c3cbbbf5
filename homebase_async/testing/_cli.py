"""The command line: `python -m homebase_async.testing serve [options]`."""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Sequence

from ._common import ORDERS
from ._fake import FakeHomebase
from ._faults import Faults


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    """Run the CLI; prints the base URL on one line once the server accepts requests.

    `prog` names the command in usage messages (`homebase fake` when run from the CLI).
    """
    parser = _parser(prog or "python -m homebase_async.testing")
    args = parser.parse_args(argv)
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
        fake.populate(
            customers=args.customers,
            jobs=args.jobs,
            leads=args.leads,
            distribution=args.distribution,
        )
    except (ValueError, KeyError) as exc:  # KeyError: an unknown time zone
        parser.error(str(exc))
    asyncio.run(_serve(fake, args))
    return 0


async def _serve(fake: FakeHomebase, args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    serving = fake.serve(host=args.host, port=args.port, keep_alive_timeout=args.keep_alive_timeout)
    async with serving as url:
        print(url, flush=True)
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


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Fake Homebase360 API server.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the fake over HTTP until interrupted")
    add = serve.add_argument
    add("--host", default="127.0.0.1")
    add("--port", type=int, default=8000, help="0 picks a free port")
    add("--api-key", default="test-key")
    add("--business-email", default="owner@example.com")
    add("--customers", type=int, default=0, help="customers to generate")
    add("--jobs", type=int, default=0, help="jobs to generate")
    add("--leads", type=int, default=0, help="leads to generate")
    add("--distribution", choices=("uniform", "bursty"), default="uniform")
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

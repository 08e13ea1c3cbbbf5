"""The `homebase` command tree: click definitions, each running one async body."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import click

from .._errors import HomebaseError
from . import _export, _lookup, _send
from ._inputs import InputFile, InputText, lookup_lines, parse_when
from ._output import OutputPathError, check_output_path
from ._resume import bind_export
from ._run import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    Terminated,
    describe_error,
    exit_code_for,
    fail,
    finish,
    run,
)
from ._settings import api_options, settings

__all__ = ["cli"]

_EPILOG = """\b
The API key comes from HOMEBASE_API_KEY or --api-key-file; it is never printed.
Exit codes: 0 done; 1 not everything done (items failed, not sent or with an
unknown outcome, each reported; or the run stopped on an error); 2 usage or bad
input (an item's own input included); 3 authentication or configuration (no or
wrong key, plan without SMS, unresolvable host); 4 another run holds the
--journal (nothing sent); 130 interrupted (Ctrl-C) and 143 terminated
(SIGTERM), both leaving no partial output file.
"""
_DEMO_EPILOG = """\b
Exit codes: 0 the demo ran to the end (the items its injected faults leave with
an unknown outcome are listed in the report, as intended); 1 the run stopped on
an error; 2 usage; 3 the testing extra is missing; 130 interrupted (Ctrl-C);
143 terminated (SIGTERM).
"""
_LEAD_STATUSES = ("new", "first_contact", "second_contact", "third_contact", "on_hold")


class _Group(click.Group):
    """The root group: SDK errors and Ctrl-C become a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            fail("interrupted; an -o FILE is left as it was", EXIT_INTERRUPTED)
        except Terminated:
            fail("terminated; an -o FILE is left as it was", EXIT_TERMINATED)
        except HomebaseError as exc:
            fail(describe_error(exc, settings().base_url), exit_code_for(exc))
        except OutputPathError as exc:
            fail(str(exc), EXIT_USAGE)
        except BrokenPipeError:
            # The reader stopped reading (`| head -1`): that is its choice, not an error.
            quiet_stdout()
            raise click.exceptions.Exit(EXIT_OK) from None
        except OSError as exc:
            fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), 1)


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _check_output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and value != "-":
        try:
            check_output_path(value)
        except OutputPathError as exc:
            fail(str(exc), EXIT_USAGE)
    return value


def _when(*, end_of_day: bool) -> Callable[[click.Context, click.Parameter, str], dt.datetime]:
    """A --from/--to callback: `parse_when`, its error one line (exit 2)."""

    def convert(ctx: click.Context, param: click.Parameter, value: str) -> dt.datetime:
        try:
            return parse_when(value, end_of_day=end_of_day)
        except ValueError as exc:
            fail(f"{max(param.opts, key=len)}: {exc}", EXIT_USAGE)

    return convert


_output_option = click.option(
    "-o",
    "--output",
    metavar="FILE",
    callback=_check_output,
    help="Write to FILE, atomically (default: stdout, streamed).",
)
_format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="JSON Lines in the API's shape, or CSV with the main columns.",
)


@click.group(cls=_Group, epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="homebase-async", prog_name="homebase")
def cli() -> None:
    """Bulk sync with the Homebase360 API, and a fake server to try it on."""


@cli.command(epilog=_EPILOG)
@api_options
def ping() -> None:
    """Check the API key: print the business it belongs to as JSON."""

    async def body() -> dict[str, Any]:
        async with settings().client() as hb:
            data = await hb.ping()
        return data.to_dict()

    click.echo(json.dumps(run(body())))


@cli.group()
def customers() -> None:
    """Look up customers in bulk."""


@customers.command("lookup", epilog=_EPILOG)
@click.argument("source", metavar="FILE|-", type=InputFile())
@click.option("--column", metavar="NAME", help="FILE is a CSV: look up this column of each row.")
@_output_option
@api_options
def customers_lookup(source: TextIO, column: str | None, output: str | None) -> None:
    """Look up customers by id, phone or e-mail, one identifier a line (or a CSV column).

    Prints one JSON line per input line, in input order, repeats included, so the output
    joins back to the input: its line number, its identifier, and its customers or its
    error. FILE is UTF-8 (a BOM and CRLF line ends are fine); `#` lines are comments. A CSV
    needs --column NAME. Phones in a common US form (303-555-0100, (303) 555-0100) are
    looked up as +13035550100.
    """
    assert isinstance(source, InputText)
    lines = lookup_lines(source, column)
    if not any(identifier for _, identifier in lines):
        fail(f"no identifiers in {source.name}", EXIT_USAGE)
    finish(run(_lookup.lookup(settings(), lines, output)))


@cli.group()
def jobs() -> None:
    """Export jobs."""


@jobs.command("export", epilog=_EPILOG)
@click.option(
    "--from", "start", metavar="DATE|DATETIME", required=True, callback=_when(end_of_day=False)
)
@click.option(
    "--to", "end", metavar="DATE|DATETIME", required=True, callback=_when(end_of_day=True)
)
@_format_option
@_output_option
@click.option(
    "--resume",
    is_flag=True,
    help="Write -o FILE as jobs come and continue after its last line (JSON Lines only).",
)
@api_options
def jobs_export(
    start: dt.datetime, end: dt.datetime, output_format: str, output: str | None, resume: bool
) -> None:
    """Export every job starting from --from to --to (both included).

    A date (2025-01-02 or 20250102) is the whole UTC day; a date-time without an offset is
    UTC; 01/02/2025 is refused (it reads two ways). With --resume, an interrupted export
    continues where -o FILE ends (run it with --resume from the start: without it the file
    appears only once complete); FILE.export.json records the range, and resuming FILE with
    another range is refused.
    """
    if end < start:
        fail("--to is before --from", EXIT_USAGE)
    if resume and (output in (None, "-") or output_format != "jsonl"):
        fail("--resume needs -o FILE and --format jsonl", EXIT_USAGE)
    if resume and output is not None:
        record = {"export": "jobs", "from": _utc(start), "to": _utc(end)}
        bind_export(output, record)
    finish(run(_export.export_jobs(settings(), start, end, output_format, output, resume=resume)))


def _utc(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat()


@cli.group()
def leads() -> None:
    """Export leads."""


@leads.command("export", epilog=_EPILOG)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(_LEAD_STATUSES),
    help="Only leads with this status (repeatable; default: all).",
)
@click.option("--customer-id", "customer_ids", multiple=True, help="Only this customer's leads.")
@_format_option
@_output_option
@api_options
def leads_export(
    statuses: Sequence[str], customer_ids: Sequence[str], output_format: str, output: str | None
) -> None:
    """Export every (non-archived) lead, optionally by status or customer."""
    finish(
        run(
            _export.export_leads(
                settings(), list(statuses), list(customer_ids), output_format, output
            )
        )
    )


@cli.group()
def messages() -> None:
    """Send SMS within the daily quota; read the quota."""


@messages.command("stats", epilog=_EPILOG)
@api_options
def messages_stats() -> None:
    """Print today's SMS quota and use as JSON."""

    async def body() -> dict[str, Any]:
        async with settings().client() as hb:
            stats = await hb.messages.stats()
        return stats.to_dict()

    click.echo(json.dumps(run(body())))


@messages.command("send", epilog=_EPILOG)
@click.argument("source", metavar="[FILE|-]", required=False, type=InputFile())
@click.option("--to", "phones", multiple=True, metavar="PHONE", help="Recipient (repeatable).")
@click.option("--customer-id", "customer_ids", multiple=True, help="Recipient (repeatable).")
@click.option("--message", help="Text (at most 200 characters); default for FILE lines.")
@click.option("--media-url", help="https URL of an image (MMS); default for FILE lines.")
@click.option(
    "--journal",
    metavar="FILE|URL",
    help="SQLite file or postgresql://...?run=NAME journal: a re-run resumes the campaign.",
)
@_output_option
@api_options
def messages_send(
    source: TextIO | None,
    phones: Sequence[str],
    customer_ids: Sequence[str],
    message: str | None,
    media_url: str | None,
    journal: str | None,
    output: str | None,
) -> None:
    """Send SMS: to --to / --customer-id recipients, or one per line of FILE.

    A FILE line is a phone number (a common US form such as (303) 555-0100 is fine), a
    customer id, or a JSON object with mobilePhone, customerId, message, mediaUrl; FILE is
    UTF-8 and `#` lines are comments. Sending stops at the daily quota; prints one JSON line
    per message: sent, not_sent (quota), failed or outcome_unknown (never retried).
    With --journal FILE, the same command run again after a crash sends only what was not
    sent; messages in flight at the crash are reported outcome_unknown, never resent.
    """
    items = _send.message_items(source, phones, customer_ids, message, media_url)
    if not items:
        fail("no recipients: give FILE, --to or --customer-id", EXIT_USAGE)
    fresh = journal is None or not os.path.exists(journal)
    finish(run(_send.send(settings(), items, output, journal=journal, fresh=fresh)))


def _needs_testing(what: str) -> str:
    # homebase-async is installed from a checkout: name both forms of the install.
    return (
        f"{what} needs the testing extra: pip install 'homebase-async[testing]' "
        "(in a checkout of homebase-async: pip install '.[testing]')"
    )


@cli.group()
def fake() -> None:
    """The fake Homebase360 server (needs the `testing` extra)."""


@fake.command(
    "serve",
    add_help_option=False,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def fake_serve(args: Sequence[str]) -> None:
    """Serve the fake over HTTP until interrupted (`fake serve --help` for its options)."""
    try:
        from ..testing import main as fake_main
    except ImportError:
        fail(_needs_testing("the fake"), 3)
    finish(fake_main(["serve", *args], prog="homebase fake"))


@cli.command(epilog=_DEMO_EPILOG)
@click.option(
    "--customers", "customer_count", type=click.IntRange(1), default=3_000, show_default=True
)
@click.option("--jobs", "job_count", type=click.IntRange(0), default=20_000, show_default=True)
@click.option("--leads", "lead_count", type=click.IntRange(0), default=400, show_default=True)
@click.option(
    "--campaign", type=click.IntRange(0), default=250, show_default=True, help="SMS to send."
)
@click.option(
    "--sms-limit", type=click.IntRange(0), default=200, show_default=True, help="Daily SMS quota."
)
@click.option("--seed", type=int, default=2024, show_default=True)
@click.option("--output-dir", metavar="DIR", help="Keep the exported files in DIR.")
@click.option("--progress/--no-progress", default=None, help="Progress bars on stderr.")
def demo(
    customer_count: int,
    job_count: int,
    lead_count: int,
    campaign: int,
    sms_limit: int,
    seed: int,
    output_dir: str | None,
    progress: bool | None,
) -> None:
    """Bulk sync against an embedded fake server; print a report.

    Needs no API key and no network: the fake runs on loopback in this process.
    """
    try:
        from ._demo import DemoSizes, run_demo
    except ImportError:
        fail(_needs_testing("the demo"), 3)
    sizes = DemoSizes(
        customers=customer_count,
        jobs=job_count,
        leads=lead_count,
        campaign=campaign,
        sms_limit=sms_limit,
        seed=seed,
    )
    finish(run(run_demo(sizes, output_dir=output_dir, progress=progress)))

"""`homebase messages send`: the messages from options and a file, checked, sent, reported."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

import click

from .._errors import HomebaseError, ValidationError
from .._resources.messages import send_request
from .._validation import looks_like_phone
from ._output import open_output, plural, row_writer
from ._progress import progress_bar
from ._run import EXIT_OK, EXIT_USAGE, item_error, note, replay_label, worst_exit
from ._settings import Settings

__all__ = ["message_items", "send"]

#: Bad items listed on stderr before the rest are only counted.
SHOWN = 20
_SEND_FIELDS = ("mobile_phone", "customer_id", "message", "media_url")
_SEND_KEYS = {
    "mobilePhone": "mobile_phone",
    "mobile_phone": "mobile_phone",
    "customerId": "customer_id",
    "customer_id": "customer_id",
    "message": "message",
    "mediaUrl": "media_url",
    "media_url": "media_url",
}


def message_items(
    source: TextIO | None,
    phones: Sequence[str],
    customer_ids: Sequence[str],
    message: str | None,
    media_url: str | None,
) -> list[dict[str, Any]]:
    """`messages.send_many` items from the options and the FILE lines; usage errors say where."""
    raw: list[tuple[str, dict[str, Any]]] = [
        ("--to", {"mobile_phone": phone}) for phone in phones
    ] + [("--customer-id", {"customer_id": ident}) for ident in customer_ids]
    if source is not None:
        for number, line in enumerate(source, 1):
            text = line.strip()
            if text and not text.startswith("#"):
                raw.append((f"{source.name} line {number}", _parse_line(text, source.name, number)))
    items = []
    problems: list[str] = []
    for where, item in raw:
        if message is not None:
            item.setdefault("message", message)
        if media_url is not None:
            item.setdefault("media_url", media_url)
        if "message" not in item and "media_url" not in item:
            raise click.UsageError(f"{where}: no text: give --message (or --media-url)")
        # What send_many checks per item, for every item before the first request: one bad
        # recipient must not leave the others texted (a fixed re-run would text them twice).
        try:
            send_request(**{name: item.get(name) for name in _SEND_FIELDS})
        except ValidationError as exc:
            problems.append(f"{where}: {exc}")
        items.append(item)
    if problems:
        for problem in problems[:SHOWN]:
            note(problem)
        more = len(problems) - SHOWN
        hidden = f" ({more} more not shown)" if more > 0 else ""
        note(f"{plural(len(problems), 'bad message')}{hidden}: nothing sent")
        raise click.exceptions.Exit(EXIT_USAGE)
    return items


def _parse_line(text: str, name: str, number: int) -> dict[str, Any]:
    if not text.startswith("{"):
        # Digits and phone punctuation mean a phone (the SDK normalises or refuses it).
        return {"mobile_phone" if looks_like_phone(text) else "customer_id": text}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise click.UsageError(f"{name} line {number}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise click.UsageError(f"{name} line {number}: expected a JSON object")
    unknown = sorted(set(data) - set(_SEND_KEYS))
    if unknown:
        raise click.UsageError(f"{name} line {number}: unknown keys {', '.join(unknown)}")
    return {_SEND_KEYS[key]: value for key, value in data.items()}


async def send(
    settings: Settings,
    items: Sequence[Mapping[str, Any]],
    output: str | None,
    *,
    journal: str | None = None,
    fresh: bool = True,
) -> int:
    """Send every message (up to the daily quota), then write one JSON line per message.

    `fresh`: the journal did not exist before this run, so no message comes from it.
    """
    with progress_bar("messages send", enabled=settings.show_progress) as on_progress:
        async with settings.client() as hb:
            report = await hb.messages.send_many(
                items, concurrency=settings.concurrency, on_progress=on_progress, journal=journal
            )
    problems: dict[int, tuple[str, HomebaseError]] = {}
    for status, errors in (
        ("not_sent", report.not_sent),
        ("failed", report.failed),
        ("outcome_unknown", report.outcome_unknown),
    ):
        problems.update({index: (status, error) for index, error in errors.items()})
    replayed, vague = replay_label(report, None if fresh else journal)
    earlier = len(report.sent.keys() & replayed) if replayed else 0
    with open_output(output) as handle:
        write = row_writer(handle, "jsonl", "")
        for index, item in enumerate(items):
            to = item.get("mobile_phone") or item.get("customer_id")
            if index in report.sent:
                line = {"index": index, "to": to, "status": "sent"}
                if replayed and index in replayed:
                    line["fromJournal"] = True
                write({**line, **report.sent[index].to_dict()})
            elif index in problems:
                status, error = problems[index]
                line = {"index": index, "to": to, "status": status}
                write({**line, "error": item_error(error, settings.base_url)})
    note(
        f"messages send: {plural(len(items), 'message')}, {len(report.sent) - earlier} sent"
        f"{vague if report.sent else ''}, "
        + (f"{earlier} sent by an earlier run (from the journal), " if earlier else "")
        + f"{len(report.not_sent)} not sent (daily quota), {len(report.failed)} failed, "
        f"{len(report.outcome_unknown)} outcome unknown (not retried: check before resending)"
    )
    return worst_exit(report.failed.values()) if problems else EXIT_OK

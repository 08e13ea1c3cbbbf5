"""The demo's crash part: a customer sync and an SMS campaign, each run as `homebase` in a
child process killed with SIGKILL halfway, then run again with the same journal."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import os
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..testing import FakeHomebase, Faults

__all__ = ["resume_demo"]

#: Some latency, so a run lasts long enough to be killed halfway; and lost answers.
FAULTS = Faults(latency=0.01, error_rates={503: 0.03}, drop_after=0.02, seed=5)
Say = Callable[[str, str], None]


def _done(journal: Path) -> int:
    try:
        with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
            row = db.execute("SELECT count(*) FROM items WHERE state = 'done'").fetchone()
    except sqlite3.Error:
        return 0  # not made yet
    return int(row[0])


async def _run(args: list[str], env: dict[str, str], *, kill_at: int | None, journal: Path) -> str:
    """Run `homebase ARGS`; with `kill_at`, SIGKILL it once that many items are done."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "homebase_async",
        *args,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    if kill_at is None:
        await proc.wait()
        return f"exit {proc.returncode}"
    while proc.returncode is None and _done(journal) < kill_at:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(proc.wait(), 0.02)
    if proc.returncode is not None:
        return f"ended before the kill (exit {proc.returncode})"
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    return f"killed (SIGKILL) with {_done(journal)} items done"


def _statuses(path: Path) -> collections.Counter[str]:
    lines = path.read_text().splitlines() if path.exists() else []
    return collections.Counter(json.loads(line)["status"] for line in lines)


async def resume_demo(folder: Path, rows: int, say: Say) -> list[str]:
    """Both crash-and-resume runs against a fake of their own; the problems found."""
    fake = FakeHomebase(seed=rows)
    fake.set_faults(FAULTS)
    problems: list[str] = []
    async with fake.serve() as base_url:
        env = {**os.environ, "HOMEBASE_API_KEY": fake.api_key, "HOMEBASE_BASE_URL": base_url}
        env.pop("HOMEBASE_API_KEY_FILE", None)
        problems += await _sync(fake, folder, rows, env, say)
        problems += await _campaign(fake, folder, rows, env, say)
    return problems


async def _sync(
    fake: FakeHomebase, folder: Path, rows: int, env: dict[str, str], say: Say
) -> list[str]:
    source, journal, output = folder / "crm.csv", folder / "sync.journal", folder / "sync.jsonl"
    lines = ["First Name,Last Name,Email,Phone,Notes"]
    lines += [
        f"Row,{i},row{i}@crm.example,(720) 555-{i:04d},crm:{i}" for i in range(rows)
    ]  # as a spreadsheet exports it: BOM, CRLF, US phone format
    source.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode())
    args = ["customers", "sync", str(source), "--journal", str(journal), "--concurrency", "4"]
    started = time.perf_counter()
    first = await _run(args, env, kill_at=rows // 2, journal=journal)
    say("crm sync", f"{rows} rows from a spreadsheet CSV; first run {first}")
    again = await _run([*args, "-o", str(output)], env, kill_at=None, journal=journal)
    counts = _statuses(output)
    notes = collections.Counter(c["notes"] for c in fake.customers.values())
    duplicates = sum(1 for n in notes.values() if n > 1)
    missing = sum(1 for i in range(rows) if notes[f"crm:{i}"] == 0)
    summary = ", ".join(f"{n} {status}" for status, n in counts.most_common())
    say("", f"run again, same journal ({again}): {summary}")
    say(
        "",
        f"server: {rows - missing} of {rows} rows present, {duplicates} duplicates "
        f"[{time.perf_counter() - started:.1f} s]",
    )
    problems = []
    if duplicates or missing or counts.total() != rows:
        problems.append(f"crm sync: {duplicates} duplicates, {missing} rows missing")
    return problems


async def _campaign(
    fake: FakeHomebase, folder: Path, rows: int, env: dict[str, str], say: Say
) -> list[str]:
    source, journal = folder / "campaign.jsonl", folder / "campaign.journal"
    output = folder / "campaign.out.jsonl"
    texts = [f"Spring visit #{i}: reply YES to book" for i in range(rows)]
    source.write_text(
        "".join(
            json.dumps({"mobilePhone": f"+1720555{i:04d}", "message": text}) + "\n"
            for i, text in enumerate(texts)
        )
    )
    args = ["messages", "send", str(source), "--journal", str(journal), "--concurrency", "2"]
    started = time.perf_counter()
    first = await _run(args, env, kill_at=rows // 2, journal=journal)
    say("sms resume", f"{rows} messages; first run {first}")
    again = await _run([*args, "-o", str(output)], env, kill_at=None, journal=journal)
    counts = _statuses(output)
    sent: collections.Counter[str] = collections.Counter(m["message"] for m in fake.sms_sent)
    twice = sum(1 for text in texts if sent[text] > 1)
    summary = ", ".join(f"{n} {status}" for status, n in counts.most_common())
    say("", f"run again, same journal ({again}): {summary}")
    say(
        "",
        f"server: {sum(sent[t] > 0 for t in texts)} distinct messages received, {twice} sent "
        f"twice; unknown ones are never resent [{time.perf_counter() - started:.1f} s]",
    )
    return [f"sms resume: {twice} messages sent twice"] if twice or counts.total() != rows else []

"""`homebase journal show|resolve`: unknown outcomes read, then resolved once checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from homebase_async.cli import cli
from homebase_async.testing import FakeHomebase, Faults

pytestmark = pytest.mark.usefixtures("env")
SEND = ["--operation", "messages.send"]


def _send_with_lost_answers(fake: FakeHomebase, tmp_path: Path) -> tuple[Path, Path]:
    cid = next(iter(fake.customers))
    source = tmp_path / "campaign.jsonl"
    source.write_text(json.dumps({"customerId": cid, "message": "hello"}) + "\n")
    journal = tmp_path / "sms.journal"
    fake.set_faults(Faults(drop_after=1.0, paths={"/messages/send"}))
    first = CliRunner().invoke(cli, ["messages", "send", str(source), "--journal", str(journal)])
    fake.set_faults(None)
    assert first.exit_code == 1  # one outcome unknown
    return source, journal


def test_show_lists_rows_and_resolve_ends_the_unknown(fake: FakeHomebase, tmp_path: Path) -> None:
    source, journal = _send_with_lost_answers(fake, tmp_path)
    shown = CliRunner().invoke(cli, ["journal", "show", str(journal), "--state", "outcome_unknown"])
    assert shown.exit_code == 0, shown.output
    rows = [json.loads(line) for line in shown.stdout.splitlines()]
    assert [(r["operation"], r["state"], r["action"]) for r in rows] == [
        ("messages.send", "outcome_unknown", "send")
    ]
    assert "1 outcome_unknown" in shown.stderr
    # Until resolved, every re-run reports it unknown and exits 1, sending nothing.
    again = CliRunner().invoke(cli, ["messages", "send", str(source), "--journal", str(journal)])
    assert again.exit_code == 1
    assert len(fake.sms_sent) == 1
    # The person checked: it went out.
    resolved = CliRunner().invoke(
        cli,
        ["journal", "resolve", str(journal), rows[0]["key"], *SEND, "--as", "written"],
    )
    assert resolved.exit_code == 0, resolved.output
    after = CliRunner().invoke(cli, ["messages", "send", str(source), "--journal", str(journal)])
    assert after.exit_code == 0, after.output
    assert len(fake.sms_sent) == 1  # never sent again


def test_resolving_as_not_written_lets_a_rerun_send_it(fake: FakeHomebase, tmp_path: Path) -> None:
    source, journal = _send_with_lost_answers(fake, tmp_path)
    key = json.loads(CliRunner().invoke(cli, ["journal", "show", str(journal)]).stdout)["key"]
    resolved = CliRunner().invoke(
        cli,
        ["journal", "resolve", str(journal), key, *SEND, "--as", "not-written"],
    )
    assert resolved.exit_code == 0, resolved.output
    after = CliRunner().invoke(cli, ["messages", "send", str(source), "--journal", str(journal)])
    assert after.exit_code == 0, after.output
    assert len(fake.sms_sent) == 2  # the person said the first never went out


def test_resolve_refuses_a_create_without_its_id_and_unknown_keys(
    fake: FakeHomebase, tmp_path: Path
) -> None:
    source = tmp_path / "crm.csv"
    source.write_text("First Name,Email\nAda,ada.j@example.com\n")
    journal = tmp_path / "sync.journal"
    fake.set_faults(Faults(drop_after=1.0, paths={"/customers"}, methods={"POST"}))
    CliRunner().invoke(
        cli, ["customers", "sync", str(source), "--journal", str(journal), "--no-settle"]
    )
    fake.set_faults(None)
    base = ["journal", "resolve", str(journal), "--operation", "customers.upsert"]
    no_id = CliRunner().invoke(cli, [*base, "ada.j@example.com", "--as", "written"])
    assert no_id.exit_code == 2
    assert "--id" in no_id.stderr
    missing = CliRunner().invoke(cli, [*base, "nobody@example.com", "--as", "not-written"])
    assert missing.exit_code == 1
    assert "no open row" in missing.stderr


def test_a_chunked_sync_holds_its_journal_between_chunks(
    fake: FakeHomebase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from homebase_async import JournalBusyError
    from homebase_async._bulk._journal import Journal, open_store
    from homebase_async._bulk._store import Holder
    from homebase_async._resources.customers import Customers
    from homebase_async.cli import _sync_cmds

    source = tmp_path / "crm.csv"
    rows = [f"Chunk,Row {i},chunk{i}@example.com" for i in range(6)]
    source.write_text("First Name,Last Name,Email\n" + "\n".join(rows) + "\n")
    journal = tmp_path / "sync.journal"
    monkeypatch.setattr(_sync_cmds, "CHUNK", 2)
    refused: list[bool] = []
    upsert = Customers.upsert_many

    async def upsert_and_try_the_journal(self: Customers, items: Any, **kwargs: Any) -> Any:
        other = open_store(Journal(str(journal)), scope="")
        try:
            await other.acquire(Holder.here(), wait=0)
        except JournalBusyError:
            refused.append(True)
        else:
            refused.append(False)
            await other.close()
        return await upsert(self, items, **kwargs)

    monkeypatch.setattr(Customers, "upsert_many", upsert_and_try_the_journal)
    done = CliRunner().invoke(cli, ["customers", "sync", str(source), "--journal", str(journal)])
    assert done.exit_code == 0, done.output
    assert refused == [True, True, True]  # before each of the three chunks, the lease was held
    assert asyncio.run(_rows(journal)) == 6


async def _rows(journal: Path) -> int:
    from homebase_async._bulk._journal import Journal, open_store
    from homebase_async._bulk._store import Holder

    store = open_store(Journal(str(journal)), scope="")
    await store.acquire(Holder.here(), wait=0)
    try:
        return len(await store.rows())
    finally:
        await store.close()

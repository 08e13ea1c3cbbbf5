"""`customers sync` reads what spreadsheets export (issue 22) and sends nothing when a row is
bad (issue 18): header synonyms, delimiters, empty rows, chunks, journal replays."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from homebase_async._resources.customers import Customers
from homebase_async.cli import _sync_cmds, cli
from homebase_async.cli._sheet import HEADERS, column_of, pick_delimiter
from homebase_async.testing import FakeHomebase

pytestmark = pytest.mark.usefixtures("env")


def _lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def _sync(runner: CliRunner, path: Path, *extra: str) -> Any:
    return runner.invoke(cli, ["customers", "sync", str(path), *extra])


def _by_email(fake: FakeHomebase, email: str) -> dict[str, Any]:
    [found] = [c for c in fake.customers.values() if email in c.get("email", [])]
    return found


def test_the_headers_people_export_are_recognised(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text(
        "Full Name,E-mail Address,Phone Number,Home Phone,Comments,Labels\n"
        'Ada Lovelace,ada.sheet@example.com,(303) 555-0170,303-555-0171,first,"vip;math"\n'
        '"Hopper, Grace",grace.sheet@example.com,,,,\n'
        "Cher,cher.sheet@example.com,,,,\n"
    )
    result = _sync(runner, source)
    assert result.exit_code == 0, result.output
    assert "ignoring columns" not in result.stderr
    ada = _by_email(fake, "ada.sheet@example.com")
    assert (ada["firstName"], ada["lastName"]) == ("Ada", "Lovelace")
    assert (ada["phone"]["mobile"], ada["phone"]["home"]) == ("+13035550170", "+13035550171")
    assert (ada["notes"], ada["tags"]) == ("first", ["vip", "math"])
    grace = _by_email(fake, "grace.sheet@example.com")
    assert (grace["firstName"], grace["lastName"]) == ("Grace", "Hopper")
    assert _by_email(fake, "cher.sheet@example.com")["firstName"] == "Cher"


def test_name_and_email_headers_and_two_email_columns(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    source = tmp_path / "crm.csv"
    source.write_text(
        "Name,Email,Mobile,Email 2\nAlan Turing,alan.sheet@example.com,,turing.sheet@example.com\n"
    )
    result = _sync(runner, source)
    assert result.exit_code == 0, result.output
    alan = _by_email(fake, "alan.sheet@example.com")
    assert alan["email"] == ["alan.sheet@example.com", "turing.sheet@example.com"]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_semicolon_tab_and_pipe_exports_are_detected(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path, delimiter: str
) -> None:
    source = tmp_path / "export.csv"
    rows = [
        ["First Name", "Last Name", "E-mail", "Mobile", "Notes"],
        ["Edsger", "Dijkstra", "edsger.sheet@example.com", "(303) 555-0172", "a, b"],
    ]
    source.write_bytes(
        ("\ufeff" + "\r\n".join(delimiter.join(r) for r in rows) + "\r\n").encode("utf-8")
    )
    result = _sync(runner, source)
    assert result.exit_code == 0, result.output
    edsger = _by_email(fake, "edsger.sheet@example.com")
    assert (edsger["lastName"], edsger["notes"]) == ("Dijkstra", "a, b")


def test_all_empty_rows_are_skipped_and_rows_keep_their_place(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    source = tmp_path / "crm.csv"
    source.write_text(
        "First Name,Email,Notes,Tags\n"
        ",,,\n"
        "Barbara,barbara.sheet@example.com,,\n"
        " , ,,\n"
        "Frances,frances.sheet@example.com,,\n"
        ",,,\n"
    )
    result = _sync(runner, source)
    assert result.exit_code == 0, result.output
    rows = _lines(result.stdout)
    assert [(r["index"], r["source"], r["status"]) for r in rows] == [
        (0, "row 3", "created"),
        (1, "row 5", "created"),
    ]


def test_one_bad_row_sends_nothing_and_the_list_is_short(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    source = tmp_path / "crm.csv"
    good = [f"Good{i},good{i}.sheet@example.com,," for i in range(10)]
    bad = [f"Bad{i},,12345,maybe" for i in range(30)]
    source.write_text("Name,Email,Phone,Notifications\n" + "\n".join(good + bad) + "\n")
    before = dict(fake.customers)
    result = _sync(runner, source)
    assert result.exit_code == 2
    assert fake.customers == before
    assert result.stdout == ""
    problems = result.stderr.splitlines()
    assert len(problems) <= 22
    assert problems[0].startswith("homebase: row 12: ")
    assert problems[-1] == "homebase: 30 bad rows (10 more not shown): nothing sent"


def test_two_rows_with_one_email_send_nothing(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    source = tmp_path / "crm.csv"
    source.write_text("Name,Email\nAda,twice.sheet@example.com\nAda L,TWICE.sheet@example.com\n")
    before = len(fake.customers)
    result = _sync(runner, source)
    assert result.exit_code == 2
    assert "row 3: the same email or phone as row 2" in result.stderr
    assert len(fake.customers) == before


def test_rows_are_sent_in_chunks_with_their_index_and_place(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_sync_cmds, "CHUNK", 3)
    calls: list[int] = []
    original = Customers.upsert_many

    async def counted(self: Customers, items: Any, **kwargs: Any) -> Any:
        calls.append(len(items))
        return await original(self, items, **kwargs)

    monkeypatch.setattr(Customers, "upsert_many", counted)
    source = tmp_path / "crm.csv"
    source.write_text(
        "Name,Email\n" + "".join(f"P {i},p{i}.chunk@example.com\n,\n" for i in range(8))
    )
    result = runner.invoke(cli, ["customers", "sync", "-"], input=source.read_text())
    assert result.exit_code == 0, result.output
    assert calls == [3, 3, 2]
    rows = _lines(result.stdout)
    assert [(r["index"], r["source"]) for r in rows] == [(i, f"row {2 + 2 * i}") for i in range(8)]
    assert [_by_email(fake, f"p{i}.chunk@example.com")["lastName"] for i in range(8)] == [
        str(i) for i in range(8)
    ]
    assert "8 created" in result.stderr


def test_a_rerun_with_its_journal_does_not_claim_the_creates_as_its_own(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    source = tmp_path / "crm.csv"
    source.write_text("Name,Email\nAda,ada.replay@example.com\nAlan,alan.replay@example.com\n")
    journal = str(tmp_path / "sync.journal")
    first = _sync(runner, source, "--journal", journal)
    assert "homebase: customers sync: 2 created\n" in first.stderr
    again = _sync(runner, source, "--journal", journal)
    assert again.exit_code == 0, again.output
    assert "homebase: customers sync: 2 created\n" not in again.stderr
    # Reports say which items came from the journal: the count says so exactly.
    assert "homebase: customers sync: 2 created (by an earlier run, from the journal)" in (
        again.stderr
    )


def test_replayed_rows_are_labelled_when_the_report_says_which(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Customers.upsert_many

    class Replayed:
        """A report that knows which items came from the journal (the lead adds the field)."""

        def __init__(self, report: Any) -> None:
            self._report = report
            self.from_journal = {0}

        def __getattr__(self, name: str) -> Any:
            return getattr(self._report, name)

    async def replayed(self: Customers, items: Any, **kwargs: Any) -> Any:
        return Replayed(await original(self, items, **kwargs))

    monkeypatch.setattr(Customers, "upsert_many", replayed)
    source = tmp_path / "crm.csv"
    source.write_text("Name,Email\nAda,ada.label@example.com\nAlan,alan.label@example.com\n")
    result = _sync(runner, source, "--journal", str(tmp_path / "j"))
    assert result.exit_code == 0, result.output
    assert "homebase: customers sync: 1 created\n" in result.stderr
    assert "homebase: customers sync: 1 created (by an earlier run, from the journal)" in (
        result.stderr
    )
    assert [r.get("fromJournal", False) for r in _lines(result.stdout)] == [True, False]


def test_a_file_that_is_not_utf8_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "crm.csv"
    source.write_bytes(b"Name,Email\n" + b"x" * 70_000 + b"\nJos\xe9,jose@example.com\n")
    result = _sync(runner, source)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"homebase: {source} is not UTF-8 text (byte 0xe9 at offset 70015); "
        "save it as UTF-8, with or without BOM"
    ]


def test_every_documented_header_is_recognised_and_the_readme_lists_them() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for field, headers in HEADERS.items():
        assert all(column_of(h) == field for h in headers)
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{field}` |"))
        assert all(f"`{h}`" in row for h in headers), field
    assert pick_delimiter("Name;E-mail Address;Phone") == ";"
    assert pick_delimiter("Notes") == ","


def test_one_bad_to_sends_nothing(runner: CliRunner, fake: FakeHomebase) -> None:
    args = ["messages", "send", "--to", "12345", "--to", "(303) 555-0100", "--message", "hi"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert fake.sms_sent == []
    assert result.stderr.splitlines() == [
        "homebase: --to: " + result.stderr.splitlines()[0].split("--to: ", 1)[1],
        "homebase: 1 bad message: nothing sent",
    ]
    assert "12345" in result.stderr


def test_a_campaign_file_with_bad_lines_sends_nothing(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    source = tmp_path / "campaign.txt"
    good = [f"+1303555{i:04d}" for i in range(5)]
    bad = [json.dumps({"mobilePhone": "555", "message": "x"}) for _ in range(25)]
    source.write_text("\n".join(good + bad) + "\n")
    result = runner.invoke(cli, ["messages", "send", str(source), "--message", "hello"])
    assert result.exit_code == 2
    assert fake.sms_sent == []
    lines = result.stderr.splitlines()
    assert len(lines) == 21
    assert lines[0].startswith(f"homebase: {source} line 6: ")
    assert lines[-1] == "homebase: 25 bad messages (5 more not shown): nothing sent"


def test_a_resent_campaign_does_not_claim_the_journal_sends_as_its_own(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = str(tmp_path / "campaign.journal")
    phones = [c["phone"]["mobile"] for c in fake.customers.values()][:2]
    args = ["messages", "send", "--to", phones[0], "--to", phones[1]]
    args += ["--message", "hi", "--journal", journal]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert ": 2 messages, 2 sent, 0 not sent" in first.stderr
    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert len(fake.sms_sent) == 2
    assert ": 2 messages, 0 sent, 2 sent by an earlier run (from the journal)" in again.stderr

    from homebase_async._resources.messages import Messages

    original = Messages.send_many

    class Replayed:
        def __init__(self, report: Any) -> None:
            self._report = report
            self.from_journal = {1}

        def __getattr__(self, name: str) -> Any:
            return getattr(self._report, name)

    async def replayed(self: Messages, items: Any, **kwargs: Any) -> Any:
        return Replayed(await original(self, items, **kwargs))

    monkeypatch.setattr(Messages, "send_many", replayed)
    labelled = runner.invoke(cli, args)
    assert ": 2 messages, 1 sent, 1 sent by an earlier run (from the journal), 0 not" in (
        labelled.stderr
    )
    assert [r.get("fromJournal", False) for r in _lines(labelled.stdout)] == [False, True]

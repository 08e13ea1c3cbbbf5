"""`homebase customers sync FILE`: spreadsheet CSV and JSON lines, journal, re-runs."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from homebase_async.cli import cli
from homebase_async.testing import FakeHomebase

SPREADSHEET = (
    "\ufeffFirst Name,Last Name,E-mail,Mobile Phone,Notes,Company\r\n"
    "Ada,Lovelace,ada.sync@example.com,(303) 555-0150,sync:0,Analytical\r\n"
    "Alan,Turing,alan.sync@example.com,303-555-0151,sync:1,Bletchley\r\n"
    "Nobody,,,,sync:2,\r\n"
)


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_a_spreadsheet_csv_just_works_and_a_rerun_changes_nothing(
    runner: CliRunner, env: dict[str, str], fake: FakeHomebase, tmp_path: Path
) -> None:
    source = tmp_path / "crm.csv"
    source.write_bytes(SPREADSHEET.encode())
    journal = tmp_path / "sync.journal"
    before = len(fake.customers)
    first = runner.invoke(cli, ["customers", "sync", str(source), "--journal", str(journal)])
    # The third row has no contact: every row is checked before the first request, so the
    # run fails with nothing sent (issue 18; this test expected two creates before).
    assert first.exit_code == 2
    assert first.stdout == ""
    assert len(fake.customers) == before
    assert "row 4: " in first.stderr
    assert "phone" in first.stderr
    assert "1 bad row: nothing sent" in first.stderr
    assert "ignoring columns: Company" in first.stderr

    source.write_bytes(SPREADSHEET.replace("Nobody,,,,sync:2,\r\n", "").encode())
    fixed = runner.invoke(cli, ["customers", "sync", str(source), "--journal", str(journal)])
    assert fixed.exit_code == 0, fixed.output
    rows = _lines(fixed.stdout)
    assert [r["status"] for r in rows] == ["created", "created"]
    assert [r["source"] for r in rows] == ["row 2", "row 3"]
    created = fake.customers[str(rows[0]["customerId"])]
    assert created["phone"]["mobile"] == "+13035550150"  # US format normalised to E.164
    assert created["email"] == ["ada.sync@example.com"]

    again = runner.invoke(cli, ["customers", "sync", str(source)])  # no journal: looks up
    assert [r["status"] for r in _lines(again.stdout)] == ["unchanged", "unchanged"]
    notes = Counter(c["notes"] for c in fake.customers.values())
    assert notes["sync:0"] == notes["sync:1"] == 1


def test_a_csv_banner_is_skipped_and_a_hash_after_the_header_is_data(
    runner: CliRunner, env: dict[str, str], fake: FakeHomebase, tmp_path: Path
) -> None:
    source = tmp_path / "crm.csv"
    source.write_text(
        "# exported by CRM on 2026-11-30\n"
        "# 2 rows\n"
        "First Name,Email,Notes\n"
        'Grace,grace.csv@example.com,"call first\n#2 gate code"\n'
        "#1 Plumbing,edsger.csv@example.com,\n"
    )
    result = runner.invoke(cli, ["customers", "sync", str(source)])
    assert result.exit_code == 0, result.output
    rows = _lines(result.stdout)
    # A row's place is its last line in the file; the quoted note spans lines 4 and 5.
    assert [(r["status"], r["source"]) for r in rows] == [
        ("created", "row 5"),
        ("created", "row 6"),
    ]
    grace, plumbing = (fake.customers[str(r["customerId"])] for r in rows)
    assert grace["notes"] == "call first\n#2 gate code"
    assert plumbing["firstName"] == "#1 Plumbing"


def test_jsonl_with_match_on_email_updates_the_changed_field(
    runner: CliRunner, env: dict[str, str], fake: FakeHomebase, tmp_path: Path
) -> None:
    cid = fake.add_customer(first_name="Grace", email="grace.sync@example.com")
    source = tmp_path / "crm.jsonl"
    source.write_text(
        json.dumps({"firstName": "Grace", "email": "grace.sync@example.com", "notes": "COBOL"})
        + "\n"
    )
    result = runner.invoke(cli, ["customers", "sync", str(source), "--match", "email"])
    assert result.exit_code == 0, result.output
    assert _lines(result.stdout) == [
        {"index": 0, "source": "line 1", "status": "updated", "customerId": cid}
    ]
    assert fake.customers[cid]["notes"] == "COBOL"


def test_bad_match_option_is_a_usage_error(
    runner: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "crm.csv"
    source.write_text("First Name,Email\nA,a@example.com\n")
    result = runner.invoke(cli, ["customers", "sync", str(source), "--match", "name"])
    assert result.exit_code == 2
    assert "--match" in result.stderr

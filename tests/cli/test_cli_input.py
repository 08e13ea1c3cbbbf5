"""What people type and feed the CLI (issues 18 and 22): dates, lookup files, export resumes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from homebase_async.cli import cli
from homebase_async.cli._commands import parse_when
from homebase_async.testing import FakeHomebase

pytestmark = pytest.mark.usefixtures("env")


def _rows(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# Dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [("2024-01-10", "2024-01-12"), ("20240110", "20240112")],
)
def test_a_date_means_the_whole_utc_day_in_either_form(
    runner: CliRunner, fake: FakeHomebase, start: str, end: str
) -> None:
    result = runner.invoke(cli, ["jobs", "export", "--from", start, "--to", end])
    assert result.exit_code == 0, result.output
    first, last = dt.date(2024, 1, 10), dt.date(2024, 1, 12)
    expected = {
        job_id
        for job_id, job in fake.jobs.items()
        if first <= dt.datetime.fromisoformat(job["start"]).astimezone(dt.UTC).date() <= last
    }
    got = {row["jobId"] for row in _rows(result.stdout)}
    assert got == expected
    late = [j for j in expected if dt.datetime.fromisoformat(fake.jobs[j]["start"]).hour >= 12]
    assert late, "the fixture has jobs in the afternoon of the last day"


def test_every_form_reads_the_same() -> None:
    day_end = dt.datetime(2025, 1, 2, 23, 59, 59, 999999, tzinfo=dt.UTC)
    assert parse_when("20250102", end_of_day=True) == day_end
    assert parse_when(" 2025-01-02 ", end_of_day=True) == day_end
    assert parse_when("2025-01-02", end_of_day=False) == dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
    offset = parse_when("2025-01-02T08:00:00-07:00", end_of_day=True)
    assert offset == dt.datetime(2025, 1, 2, 15, tzinfo=dt.UTC)
    assert parse_when("20250102T080000Z", end_of_day=True) == dt.datetime(
        2025, 1, 2, 8, tzinfo=dt.UTC
    )


@pytest.mark.parametrize("typed", ["01/02/2025", "1/2/25", "02.01.2025", "01-02-2025"])
def test_an_ambiguous_date_is_refused_in_one_line(runner: CliRunner, typed: str) -> None:
    result = runner.invoke(cli, ["jobs", "export", "--from", "2025-01-01", "--to", typed])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"homebase: --to: '{typed}' is ambiguous (day and month can be read either way): "
        "write it as 2025-01-02 or 20250102"
    ]


def test_an_unreadable_date_is_one_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["jobs", "export", "--from", "yesterday", "--to", "2025-01-01"])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("homebase: --from: 'yesterday' is not a date")


# customers lookup ---------------------------------------------------------------------------


def test_lookup_writes_one_line_per_input_line_repeats_included(
    runner: CliRunner, fake: FakeHomebase
) -> None:
    emails = [c["email"][0] for c in fake.customers.values()][:5]
    asked = [emails[i % 5] if i % 7 else "nobody@example.invalid" for i in range(200)]
    result = runner.invoke(cli, ["customers", "lookup", "-"], input="\n".join(asked) + "\n")
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [(r["line"], r["identifier"]) for r in rows] == list(enumerate(asked, 1))
    assert all(r["customers"] for r in rows if r["identifier"] != "nobody@example.invalid")
    assert "200 identifiers, 171 matched, 29 missing, 0 failed" in result.stderr


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("customers.csv", "First Name,Email\nAda,ada@example.com\n"),
        ("customers.txt", "Name;E-mail\nAda;ada@example.com\n"),
        ("emails.csv", "\ufeffEmail\nada@example.com\n"),
    ],
)
def test_a_csv_without_column_is_refused_in_one_line(
    runner: CliRunner, tmp_path: Path, name: str, text: str, fake: FakeHomebase
) -> None:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["customers", "lookup", str(source)])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"homebase: {source} looks like a CSV: give --column NAME")
    assert "Email" in line or "E-mail" in line
    assert fake.stats.total == 0


def test_lookup_reads_a_csv_column_one_line_per_row(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    email = next(iter(fake.customers.values()))["email"][0]
    source = tmp_path / "export.csv"
    source.write_text(
        "# CRM export\n"
        "First Name;E-mail Address;Notes\n"
        f"Ada;{email};\n"
        'Nobody;;"two\nlines"\n'
        f"Ada again;{email.upper()};\n"
        "Zed;zed@example.invalid;\n"
    )
    result = runner.invoke(cli, ["customers", "lookup", str(source), "--column", "e-mail address"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [(r["line"], r["identifier"]) for r in rows] == [
        (3, email),
        (5, ""),
        (6, email.upper()),
        (7, "zed@example.invalid"),
    ]
    assert rows[0]["customers"]
    assert rows[2]["customers"]
    assert rows[1]["skipped"] == "empty cell"
    assert rows[3]["customers"] == []


def test_lookup_of_a_missing_column_names_the_columns(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text("Name,Email\nAda,ada@example.com\n")
    result = runner.invoke(cli, ["customers", "lookup", str(source), "--column", "Phone"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"homebase: {source} has no column 'Phone' (its columns: Name, Email)"
    ]

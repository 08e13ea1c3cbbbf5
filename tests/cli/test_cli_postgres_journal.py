"""`--journal postgresql://...?run=NAME`: the CLI takes the same journal URL as the SDK."""

from __future__ import annotations

import json
from pathlib import Path

from _postgres import unique
from click.testing import CliRunner

from homebase_async.cli import cli
from homebase_async.testing import FakeHomebase


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


ROWS = [
    {"first_name": "Ada", "email": "ada.pg@example.com"},
    {"first_name": "Alan", "email": "alan.pg@example.com"},
]


def test_a_sync_journals_in_postgresql_and_a_rerun_comes_from_it(
    runner: CliRunner, env: dict[str, str], fake: FakeHomebase, tmp_path: Path, postgres_url: str
) -> None:
    source = tmp_path / "crm.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in ROWS))
    journal = f"{postgres_url}?run={unique('cli')}"
    before = len(fake.customers)
    first = runner.invoke(cli, ["customers", "sync", str(source), "--journal", journal])
    assert first.exit_code == 0, first.stderr
    assert [r["status"] for r in _lines(first.stdout)] == ["created", "created"]
    assert len(fake.customers) == before + 2
    fake.reset_log()
    again = runner.invoke(cli, ["customers", "sync", str(source), "--journal", journal])
    assert again.exit_code == 0, again.stderr
    assert len(fake.customers) == before + 2
    assert fake.requests == []  # every row came from the journal: not even a lookup


def test_a_journal_url_without_a_run_is_refused_before_any_request(
    runner: CliRunner, env: dict[str, str], fake: FakeHomebase, tmp_path: Path, postgres_url: str
) -> None:
    source = tmp_path / "crm.jsonl"
    source.write_text(json.dumps(ROWS[0]) + "\n")
    result = runner.invoke(cli, ["customers", "sync", str(source), "--journal", postgres_url])
    assert result.exit_code != 0
    assert "?run=NAME" in result.stderr
    assert ":homebase@" not in result.stderr  # the password is shown as ***
    assert ":***@" in result.stderr
    assert fake.requests == []

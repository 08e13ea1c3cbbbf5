"""`homebase jobs export -o F --resume`: continue an interrupted export into the same file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from homebase_async.cli import cli
from homebase_async.testing import FakeHomebase

pytestmark = pytest.mark.usefixtures("env")

EXPORT = ["jobs", "export", "--from", "2024-01-01", "--to", "2024-02-29"]


def _job_order(fake: FakeHomebase) -> list[str]:
    keyed = sorted((datetime.fromisoformat(j["start"]), j["jobId"]) for j in fake.jobs.values())
    return [job_id for _, job_id in keyed]


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["jobId"] for line in path.read_text().splitlines()]


def test_resume_from_scratch_writes_everything(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    out = tmp_path / "jobs.jsonl"
    result = runner.invoke(cli, [*EXPORT, "-o", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert _ids(out) == _job_order(fake)


def test_resume_continues_after_the_last_complete_line(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    full = tmp_path / "full.jsonl"
    assert runner.invoke(cli, [*EXPORT, "-o", str(full)]).exit_code == 0
    lines = full.read_text().splitlines(keepends=True)
    out = tmp_path / "jobs.jsonl"
    out.write_text("".join(lines[:300]) + lines[300][:25])  # killed mid-line
    result = runner.invoke(cli, [*EXPORT, "-o", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert out.read_text() == full.read_text()
    assert f"resuming after job {_ids(full)[299]}" in result.stderr
    # Resuming a finished export adds nothing.
    again = runner.invoke(cli, [*EXPORT, "-o", str(out), "--resume"])
    assert again.exit_code == 0, again.output
    assert out.read_text() == full.read_text()


@pytest.mark.parametrize(
    "extra", [["--resume"], ["--resume", "-o", "-"], ["--resume", "--format", "csv", "-o", "x"]]
)
def test_resume_needs_a_jsonl_file(runner: CliRunner, extra: list[str]) -> None:
    result = runner.invoke(cli, [*EXPORT, *extra])
    assert result.exit_code == 2
    assert "--resume needs -o FILE and --format jsonl" in result.stderr


def test_resume_refuses_a_file_that_is_not_an_export(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("hello\n")
    result = runner.invoke(cli, [*EXPORT, "-o", str(out), "--resume"])
    assert result.exit_code == 2
    assert "its last line is not an exported job" in result.stderr
    assert out.read_text() == "hello\n"

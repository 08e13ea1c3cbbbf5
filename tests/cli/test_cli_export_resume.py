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
    # A --resume run killed mid-line: its record of the export, and 300 lines and a half.
    assert runner.invoke(cli, [*EXPORT, "-o", str(out), "--resume"]).exit_code == 0
    out.write_text("".join(lines[:300]) + lines[300][:25])
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
    # Nothing says it is an export (issue 18: the file records its export beside it).
    assert f"-o {out}: no notes.txt.export.json says which export it holds" in result.stderr
    assert out.read_text() == "hello\n"
    # With a record (an export that was then edited by hand): its last line is no job.
    assert runner.invoke(cli, [*EXPORT, "-o", str(tmp_path / "x.jsonl"), "--resume"]).exit_code == 0
    (tmp_path / "notes.txt.export.json").write_text((tmp_path / "x.jsonl.export.json").read_text())
    result = runner.invoke(cli, [*EXPORT, "-o", str(out), "--resume"])
    assert result.exit_code == 2
    assert "its last line is not an exported job" in result.stderr
    assert out.read_text() == "hello\n"


def test_resuming_with_another_range_is_refused_in_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    january = tmp_path / "january.jsonl"
    first = ["jobs", "export", "--from", "2024-01-01", "--to", "2024-01-31"]
    assert runner.invoke(cli, [*first, "-o", str(january), "--resume"]).exit_code == 0
    before = january.read_text()
    assert before
    february = ["jobs", "export", "--from", "2024-02-01", "--to", "2024-02-29"]
    result = runner.invoke(cli, [*february, "-o", str(january), "--resume"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"homebase: -o {january} holds the export --from 2024-01-01T00:00:00+00:00 --to "
        "2024-01-31T23:59:59.999999+00:00; resuming it with --from 2024-02-01T00:00:00+00:00 "
        "--to 2024-02-29T23:59:59.999999+00:00 would mix two exports: use another file"
    ]
    assert january.read_text() == before
    # An earlier range is no better: not 0 jobs and exit 0.
    december = ["jobs", "export", "--from", "2023-12-01", "--to", "2023-12-31"]
    result = runner.invoke(cli, [*december, "-o", str(january), "--resume"])
    assert result.exit_code == 2
    assert january.read_text() == before
    # The same range, written in the other date form, is the same export: nothing to add.
    same = ["jobs", "export", "--from", "20240101", "--to", "20240131"]
    result = runner.invoke(cli, [*same, "-o", str(january), "--resume"])
    assert result.exit_code == 0, result.output
    assert january.read_text() == before


def test_a_last_job_outside_the_range_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "jobs.jsonl"
    assert runner.invoke(cli, [*EXPORT, "-o", str(out), "--resume"]).exit_code == 0
    record = json.loads((tmp_path / "jobs.jsonl.export.json").read_text())
    record["from"] = "2025-01-01T00:00:00+00:00"
    record["to"] = "2025-01-31T23:59:59.999999+00:00"
    (tmp_path / "jobs.jsonl.export.json").write_text(json.dumps(record))
    result = runner.invoke(
        cli,
        [
            "jobs",
            "export",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-31",
            "-o",
            str(out),
            "--resume",
        ],
    )
    assert result.exit_code == 2
    assert "outside --from 2025-01-01T00:00:00+00:00" in result.stderr


def test_a_plain_export_over_a_resumed_file_drops_its_record(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "jobs.jsonl"
    january = ["jobs", "export", "--from", "2024-01-01", "--to", "2024-01-31", "-o", str(out)]
    assert runner.invoke(cli, [*january, "--resume"]).exit_code == 0
    assert (tmp_path / "jobs.jsonl.export.json").exists()
    february = ["jobs", "export", "--from", "2024-02-01", "--to", "2024-02-29", "-o", str(out)]
    assert runner.invoke(cli, february).exit_code == 0
    assert not (tmp_path / "jobs.jsonl.export.json").exists()
    # The record is gone, so January cannot be resumed into February's file.
    result = runner.invoke(cli, [*january, "--resume"])
    assert result.exit_code == 2
    assert "no jobs.jsonl.export.json says which export it holds" in result.stderr

"""`homebase demo` on small data (the full size runs in `make demo`)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from homebase_async.cli import cli


def test_demo_reports_every_step(runner: CliRunner, tmp_path: Path) -> None:
    args = ["demo", "--customers", "80", "--jobs", "600", "--leads", "40"]
    args += ["--campaign", "30", "--sms-limit", "20", "--output-dir", str(tmp_path)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    for label in ("ping", "customers", "jobs", "leads", "sms campaign", "requests", "faults"):
        assert f"  {label} " in result.stdout
    assert "600 of 600 exported" in result.stdout
    assert "40 of 40 by status" in result.stdout
    assert "30 messages:" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.jsonl", "leads.jsonl"]
    assert len((tmp_path / "jobs.jsonl").read_text().splitlines()) == 600

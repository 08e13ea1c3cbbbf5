"""The bulk commands against the fake: lookup, exports, sends, and interrupted exports."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from _cli_support import API_KEY, ServedFake
from click.testing import CliRunner

from homebase_async.cli import cli
from homebase_async.cli._output import CSV_FIELDS
from homebase_async.testing import FakeHomebase, Faults

pytestmark = pytest.mark.usefixtures("env")
EXPORT = ["jobs", "export", "--from", "2024-01-01", "--to", "2024-02-29"]


def _rows(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def _job_order(fake: FakeHomebase) -> list[str]:
    jobs = fake.jobs.values()
    keyed = sorted((datetime.fromisoformat(job["start"]), job["jobId"]) for job in jobs)
    return [job_id for _, job_id in keyed]


def test_lookup_answers_each_identifier_in_input_order(
    runner: CliRunner, fake: FakeHomebase
) -> None:
    ids = list(fake.customers)[:3]
    asked = [
        ids[0],
        fake.customers[ids[1]]["phone"]["mobile"],
        "nobody@example.invalid",
        fake.customers[ids[2]]["email"][0],
    ]
    result = runner.invoke(cli, ["customers", "lookup", "-"], input="\n".join(asked) + "\n\n")
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [row["identifier"] for row in rows] == asked
    assert [[c["customerId"] for c in row["customers"]] for row in rows] == [
        [ids[0]],
        [ids[1]],
        [],
        [ids[2]],
    ]
    assert "3 matched, 1 missing, 0 failed" in result.stderr


def test_lookup_with_failures_reports_each_and_exits_1(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    fake.set_faults(Faults(error_rates={503: 1.0}))
    source = tmp_path / "ids.txt"
    source.write_text("\n".join(list(fake.customers)[:5]))
    result = runner.invoke(cli, ["customers", "lookup", str(source)])
    assert result.exit_code == 1
    rows = _rows(result.stdout)
    assert len(rows) == 5
    assert all(row["error"].startswith("ServerError") for row in rows)


def test_jobs_export_writes_every_job_in_order(
    runner: CliRunner, fake: FakeHomebase, tmp_path: Path
) -> None:
    out = tmp_path / "jobs.jsonl"
    result = runner.invoke(cli, [*EXPORT, "-o", str(out), "--concurrency", "4"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert [row["jobId"] for row in _rows(out.read_text())] == _job_order(fake)
    assert os.listdir(tmp_path) == ["jobs.jsonl"]
    # Quiet when stderr is not a terminal: the summary line only, no progress bar.
    assert result.stderr.splitlines() == [
        f"homebase: jobs export: {len(fake.jobs)} jobs from 2024-01-01T00:00:00+00:00 "
        "to 2024-02-29T23:59:59.999999+00:00"
    ]


def test_jobs_export_as_csv_to_stdout_under_a_progress_bar(
    runner: CliRunner, fake: FakeHomebase
) -> None:
    # FORCE_COLOR makes rich treat stderr as a terminal: the records must still reach stdout.
    result = runner.invoke(
        cli, [*EXPORT, "--format", "csv", "--progress"], env={"FORCE_COLOR": "1"}
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(CSV_FIELDS["job"])
    assert [row["jobId"] for row in rows] == _job_order(fake)


def test_leads_export_by_status(runner: CliRunner, fake: FakeHomebase) -> None:
    result = runner.invoke(cli, ["leads", "export", "--status", "new", "--status", "on_hold"])
    assert result.exit_code == 0, result.output
    wanted = {
        lead_id
        for lead_id, lead in fake.leads.items()
        if lead["status"] in ("new", "on_hold") and lead_id not in fake.archived_lead_ids
    }
    assert {row["leadId"] for row in _rows(result.stdout)} == wanted


def test_an_export_stopped_by_the_server_dying_keeps_the_previous_file(
    runner: CliRunner, fake: FakeHomebase, served: ServedFake, tmp_path: Path
) -> None:
    out = tmp_path / "jobs.jsonl"
    out.write_text("previous\n")
    fake.set_faults(Faults(latency=0.05))

    def kill_when_busy() -> None:
        while fake.stats.total < 3:
            time.sleep(0.005)
        served.stop()

    killer = threading.Thread(target=kill_when_busy, daemon=True)
    killer.start()
    result = runner.invoke(cli, [*EXPORT, "-o", str(out), "--concurrency", "1"])
    killer.join(10)
    assert result.exit_code == 1, result.output
    # A TransportError: once the port refuses, ConnectRefusedError (one of them).
    assert "ConnectRefusedError" in result.stderr or "TransportError" in result.stderr
    assert out.read_text() == "previous\n"
    assert os.listdir(tmp_path) == ["jobs.jsonl"]


def test_ctrl_c_mid_export_keeps_the_previous_file(fake: FakeHomebase, tmp_path: Path) -> None:
    out = tmp_path / "jobs.jsonl"
    out.write_text("previous\n")
    fake.set_faults(Faults(latency=0.1))
    command = [sys.executable, "-m", "homebase_async", *EXPORT, "-o", str(out)]
    proc = subprocess.Popen(
        [*command, "--concurrency", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 15
    while fake.stats.total < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert len(os.listdir(tmp_path)) == 2, "the export should be writing its temporary file"
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=15)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr
    assert out.read_text() == "previous\n"
    assert os.listdir(tmp_path) == ["jobs.jsonl"]
    assert API_KEY not in stdout + stderr


def test_send_stops_at_the_daily_quota_and_exits_1(runner: CliRunner, fake: FakeHomebase) -> None:
    ids = list(fake.customers)[:5]
    lines = [fake.customers[ids[0]]["phone"]["mobile"], ids[1]]
    lines += [json.dumps({"customerId": i, "message": f"Hi {i}"}) for i in ids[2:]]
    result = runner.invoke(
        cli, ["messages", "send", "-", "--message", "Hello"], input="\n".join(lines)
    )
    assert result.exit_code == 1, result.output
    rows = _rows(result.stdout)
    assert [row["index"] for row in rows] == [0, 1, 2, 3, 4]
    statuses = [row["status"] for row in rows]
    assert statuses.count("sent") == 3
    assert statuses.count("not_sent") == 2
    assert len(fake.sms_sent) == 3
    assert {m["message"] for m in fake.sms_sent} <= {"Hello", *(f"Hi {i}" for i in ids[2:])}
    assert "3 sent, 2 not sent" in result.stderr


def test_send_to_one_recipient(runner: CliRunner, fake: FakeHomebase) -> None:
    phone = next(iter(fake.customers.values()))["phone"]["mobile"]
    result = runner.invoke(cli, ["messages", "send", "--to", phone, "--message", "Hi"])
    assert result.exit_code == 0, result.output
    assert _rows(result.stdout)[0]["status"] == "sent"
    assert fake.sms_sent[0]["mobilePhone"] == phone


@pytest.mark.parametrize(
    ("line", "message"),
    [("{not json", "not JSON"), ('{"phone": "+13035550100"}', "unknown keys phone")],
)
def test_send_rejects_bad_lines_with_exit_2(runner: CliRunner, line: str, message: str) -> None:
    result = runner.invoke(cli, ["messages", "send", "-", "--message", "Hi"], input=line)
    assert result.exit_code == 2
    assert message in result.stderr

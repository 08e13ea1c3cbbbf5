"""Past one machine, short: three worker processes sync twenty businesses as procrastinate
tasks (examples/queue_sync) while workers are SIGKILLed and their tasks retried on the
others; the full run (at least twenty kills) is `make bench` (scripts/bench/workers.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench" / "workers.py"


def test_killed_workers_leave_no_duplicate_no_loss_and_one_lease_holder(
    postgres_url: str,
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "trial",
            "--businesses",
            "20",
            "--workers",
            "3",
            "--kills",
            "3",
            "--kill-gap",
            "1.0",
            "--duplicates",
            "3",
            "--sizes",
            "6,3,5",
            "--latency",
            "0.02",
            "--seed",
            "3",
            "--timeout",
            "50",
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        env={**os.environ, "HOMEBASE_TEST_POSTGRES_URL": postgres_url},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    assert figures["kills"] == 3
    assert figures["tasks"] == 23  # twenty businesses and three duplicates, all finished
    assert figures["tasks_failed"] == 0
    assert figures["leases_ended_by_kill"] >= 1  # the kills did land on running syncs
    assert figures["leases_overlapping"] == 0
    assert figures["duplicate_customers"] == 0
    assert figures["duplicate_jobs"] == 0
    assert figures["sms_sent_twice"] == 0
    assert figures["customers_lost"] == figures["jobs_lost"] == figures["sms_lost"] == 0
    assert figures["sms_reported_sent_not_on_server"] == 0
    assert figures["reports_missing"] == figures["reports_incomplete"] == 0
    assert figures["over_quota"] == 0
    assert figures["sms_not_sent"] > 0  # half the businesses had too few SMS left

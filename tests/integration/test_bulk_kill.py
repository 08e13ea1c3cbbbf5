"""Runs killed with SIGKILL after a random number of their writes, then re-run with the same
journal: the short variant of the benchmark's twenty (scripts/bench/killrun.py), the fake in its
own process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench" / "killrun.py"


def test_killed_sync_and_campaign_resume_without_duplicates_or_losses() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--trials", "3", "--seed", "5", "--count", "40"],
        capture_output=True,
        text=True,
        timeout=150,
        check=True,
    )
    figures = json.loads(done.stdout)
    synced, sent = figures["customers"], figures["campaign"]
    assert synced["killed"] >= 1  # the kills did interrupt runs
    assert synced["duplicates"] == 0
    assert synced["lost"] == 0
    assert synced["unreported"] == 0
    assert synced["done"] == 3  # every trial's rows ended created, updated or unchanged
    assert sent["killed"] >= 1
    assert sent["sent_twice"] == 0
    assert sent["lost"] == 0
    assert sent["sent_but_not_on_server"] == 0
    assert sent["reported_not_sent_but_on_server"] == 0
    assert sent["sent"] > 0

"""Two runs at once on one journal, each in its own process: the short variant of the
benchmark's fifty trials per operation (scripts/bench/overlap.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench" / "overlap.py"
ARGS = ["--trials", "1", "--count", "16", "--max-gap", "0.05", "--latency", "0.3"]
OPERATIONS = ("customers_sync", "messages_send", "upsert_many", "jobs_create_many")


def test_the_second_of_two_overlapping_runs_is_refused_and_nothing_is_written_twice() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *ARGS],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
        cwd=SCRIPT.parent,
    )
    figures = json.loads(done.stdout)["by_operation"]
    assert set(figures) == set(OPERATIONS)
    for name in OPERATIONS:
        counts = figures[name]
        assert counts["duplicates"] == 0, name
        assert counts["lost"] == 0, name
        assert counts["misreported"] == 0, name
        # Started 0-50 ms apart, each taking over a second (16 items, 300 ms a request), the
        # two runs overlap: exactly one of them is refused.
        assert counts["refused"] == 1, (name, counts)

"""The real PostgreSQL server of the tests: `HOMEBASE_TEST_POSTGRES_URL` (set by `make test`
through scripts/postgres.sh), or the server that script starts when the variable is absent.

A PostgreSQL test never skips: a server that cannot be started fails the session loudly.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "postgres.sh"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A `postgresql://` URL (no `run`) of a database the tests may write to."""
    url = os.environ.get("HOMEBASE_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    was_running = subprocess.run([SCRIPT, "status"], check=False).returncode == 0
    started = subprocess.run([SCRIPT, "start"], capture_output=True, text=True, check=False)
    if started.returncode != 0:
        pytest.fail(f"scripts/postgres.sh start failed:\n{started.stderr}", pytrace=False)
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        if not was_running:
            subprocess.run([SCRIPT, "stop"], check=False)


def unique(prefix: str) -> str:
    """A name no other test (or earlier session) uses: rows and leases never meet."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"

"""`python -m homebase_async.testing serve`: the fake as a separate process."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest
from _testing_support import data

import homebase_async
from homebase_async.testing import main

ROOT = Path(homebase_async.__file__).resolve().parents[1]


async def test_serve_prints_the_base_url_and_stops_on_sigterm() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "homebase_async.testing",
        "serve",
        "--port",
        "0",
        "--customers",
        "20",
        "--jobs",
        "50",
        "--leads",
        "5",
        "--api-key",
        "cli-key",
        "--error-rate",
        "503=0.5",
        "--seed",
        "4",
        stdout=asyncio.subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        base_url = line.decode().strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/api/v1")
        headers = {"x-api-key": "cli-key"}
        async with httpx.AsyncClient(base_url=base_url, headers=headers) as client:
            statuses = [(await client.get("/leads")).status_code for _ in range(20)]
            assert set(statuses) == {200, 503}
            response = next(
                r for r in [await client.get("/leads") for _ in range(10)] if r.is_success
            )
            assert len(data(response)) == 5
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=10) == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--error-rate", "503"],
        ["serve", "--latency", "fast"],
        ["serve", "--order", "sorted"],
        ["serve", "--retry-after", "minutes"],
        ["serve", "--error-rate", "503=0.7", "--drop-before", "0.5"],
        ["serve", "--timezone", "Mars/Olympus"],
        ["serve", "--jobs", "3"],
        [],
    ],
)
def test_bad_arguments_exit_with_usage(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err

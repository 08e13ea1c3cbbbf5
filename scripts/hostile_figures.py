"""Issue 10's figures against the raw servers of tests/test_hostile.py, on both backends.

    .venv/bin/python scripts/hostile_figures.py

Prints how long a trickling body holds a call with `timeout=1.0`, and the traced memory peak
of a 100 MB body and of a 1 GB gzip bomb (both refused with ResponseTooLargeError).
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import test_hostile as hostile

from homebase_async import RequestTimeoutError, ResponseTooLargeError


async def trickle(backend: str) -> None:
    async with (
        hostile.Server(hostile.trickle(0.5)) as server,
        hostile.client_for(server, backend, timeout=1.0) as client,
    ):
        hb = client.with_options(retry=None)
        started = time.monotonic()
        try:
            await hb.ping()
        except RequestTimeoutError:
            took = time.monotonic() - started
            print(f"{backend}: a body trickling 1 byte / 0.5 s, timeout=1.0: {took:.2f} s")


async def huge(backend: str, name: str) -> None:
    if name == "plain 100 MB":
        handler = hostile.stream(200, 100 * 1024 * 1024, {}, b" " * (1 << 20))
    else:
        bomb = hostile.gzip_bomb()
        handler = hostile.stream(200, len(bomb), {"content-encoding": "gzip"}, bomb)
    async with (
        hostile.Server(handler) as server,
        hostile.client_for(server, backend, retry=None) as hb,
    ):
        gc.collect()
        tracemalloc.start()
        try:
            await hb.ping()
        except ResponseTooLargeError:
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            print(f"{backend}: {name}: ResponseTooLargeError, traced peak {peak:.1f} MiB")
        finally:
            tracemalloc.stop()


async def main() -> None:
    for backend in hostile.BACKENDS:
        await trickle(backend)
        for name in ("plain 100 MB", "gzip bomb 1 GB"):
            await huge(backend, name)


if __name__ == "__main__":
    asyncio.run(main())

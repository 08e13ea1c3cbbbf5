"""Peak memory of iterating a job range, in a process of its own so nothing else counts.

    python scripts/bench/memory.py BASE_URL API_KEY START END

Prints one JSON line: jobs seen, requests, seconds, RSS at start and peak growth (MB). The
jobs are counted and dropped, as a streaming consumer would.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from homebase_async import HomebaseClient


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc (Linux): VmRSS now, VmHWM the peak.

    Not `getrusage`: its ru_maxrss survives exec, so a child would inherit its parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no {field} in /proc/self/status")


async def main(url: str, key: str, start: str, end: str) -> None:
    async with HomebaseClient(key, base_url=url) as hb:
        await hb.jobs.list(start=start, end=start, limit=1)  # load the code paths first
        before = _status_mb("VmRSS")
        started = time.perf_counter()
        jobs = 0
        async for _job in hb.jobs.iterate(start, end):
            jobs += 1
        seconds = time.perf_counter() - started
        peak = _status_mb("VmHWM")
        print(
            json.dumps(
                {
                    "jobs": jobs,
                    "requests": hb.stats["attempts"] - 1,
                    "seconds": seconds,
                    "start_rss_mb": before,
                    "peak_rss_mb": peak,
                    "peak_rss_growth_mb": peak - before,
                }
            )
        )


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))

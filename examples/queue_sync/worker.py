"""A worker: `python worker.py`, on as many machines as you like (all on one database).

procrastinate's own command does the same (`procrastinate --app=app.app worker`); this
file only sets the heartbeat to match the stalled-job recovery of app.py.
"""

from __future__ import annotations

import asyncio
import os

from app import STALLED_AFTER, app


async def main() -> None:
    async with app.open_async():
        await app.run_worker_async(
            # Every queue: "sync" for the businesses, "default" for retry_stalled_jobs.
            concurrency=int(os.environ.get("QUEUE_SYNC_CONCURRENCY", "4")),
            # A heartbeat well inside STALLED_AFTER, so a live worker is never taken for dead.
            update_heartbeat_interval=STALLED_AFTER / 3,
            stalled_worker_timeout=STALLED_AFTER,
        )


if __name__ == "__main__":
    asyncio.run(main())

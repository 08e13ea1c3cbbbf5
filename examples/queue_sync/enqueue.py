"""Queue tonight's sync of every business: `python enqueue.py [COUNT] [NIGHT]`.

Run once per night (cron, or a procrastinate periodic task). The queueing lock keeps one
waiting task per business and night, however often this runs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

import psycopg
from app import DATABASE, REPORTS_TABLE, app, sync_business
from source import businesses


async def enqueue(count: int, night: str) -> int:
    """Apply procrastinate's schema if missing, then defer one task per business."""
    async with await psycopg.AsyncConnection.connect(DATABASE, autocommit=True) as conn:
        found = await conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
        row = await found.fetchone()
        await conn.execute(REPORTS_TABLE)
    async with app.open_async():
        if not (row and row[0]):
            await app.schema_manager.apply_schema_async()
        for business in businesses(count):
            await sync_business.configure(
                queueing_lock=f"{business}:{night}", lock=f"{business}"
            ).defer_async(business=business, night=night)
    return count


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    night = sys.argv[2] if len(sys.argv) > 2 else dt.date.today().isoformat()
    print(f"queued {asyncio.run(enqueue(count, night))} businesses for {night}")

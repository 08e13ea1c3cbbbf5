"""The procrastinate app: one task per business and night, retried on another worker when
the worker running it dies.

    QUEUE_SYNC_DATABASE=postgresql://user:pw@host/db   (procrastinate's queue and the journals)
    HOMEBASE_BASE_URL=...                              (the API; a FakeBusinesses in the demo)

Every bulk write of a task names one journal, `?run=nightly-<night>-<business>`: the retry
of a task on any machine reads the rows of the attempt that died, sends nothing twice and
settles what was in flight. The journal's lease is per business, so a duplicate task of the
same business waits (JournalBusyError, retried by the queue) instead of writing alongside.
"""

from __future__ import annotations

import json
import os
from typing import Any

import attrs
import procrastinate
import psycopg
from source import api_key, customers, jobs, reminders

from homebase_async import (
    HomebaseClient,
    Journal,
    JournalBusyError,
    RateLimitError,
    ServerError,
    TransportError,
)

DATABASE = os.environ.get("QUEUE_SYNC_DATABASE", "postgresql://localhost/homebase")
#: How often a worker looks for the jobs of workers that stopped sending heartbeats.
STALLED_CRON = os.environ.get("QUEUE_SYNC_STALLED_CRON", "* * * * *")
#: Seconds without a heartbeat before a worker counts as dead (procrastinate's default: 30).
STALLED_AFTER = float(os.environ.get("QUEUE_SYNC_STALLED_AFTER", "30"))

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DATABASE))

# Errors worth a retry later: the lease of a business is busy, the API or network failed.
# A task the worker died in is not "failed": it is stalled, and retried by the task below.
RETRY = procrastinate.RetryStrategy(
    max_attempts=30,
    wait=2,
    retry_exceptions={JournalBusyError, TransportError, ServerError, RateLimitError},
)


def journal(business: str, night: str) -> Journal:
    # One run per business and night, the same on every retry of the task; `wait` rides out
    # a lease whose holder is finishing.
    joiner = "&" if "?" in DATABASE else "?"
    return Journal(f"{DATABASE}{joiner}run=nightly-{night}-{business}", wait=5)


@app.task(name="sync_business", queue="sync", retry=RETRY, pass_context=True)
async def sync_business(context: procrastinate.JobContext, business: str, night: str) -> None:
    """Upsert the business's customers, create their jobs, send its SMS reminders."""
    where = journal(business, night)
    async with HomebaseClient(api_key(business)) as hb:
        people = await hb.customers.upsert_many(customers(business), journal=where)
        ids = {**people.created, **people.updated, **people.unchanged}
        known = [ids[index] for index in sorted(ids)]
        made = await hb.jobs.create_many(
            jobs(business, night, known), journal=where, key=lambda item: item["note"]
        )
        sent = await hb.messages.send_many(
            reminders(business, night), journal=where, key=lambda item: item["message"]
        )
    await record(business, night, context, people, made, sent)


async def record(business: str, night: str, context: Any, *reports: Any) -> None:
    """Keep each finished task's counts where the platform (and the demo's checks) see them:
    {"UpsertReport": {"created": 12, "unchanged": 8, ...}, ...}."""
    counts = {
        type(report).__name__: {
            field.name: len(getattr(report, field.name)) for field in attrs.fields(type(report))
        }
        for report in reports
    }
    async with await psycopg.AsyncConnection.connect(DATABASE, autocommit=True) as conn:
        await conn.execute(
            "INSERT INTO queue_sync_reports (business, night, job_id, worker_pid, counts)"
            " VALUES (%s, %s, %s, %s, %s)",
            (business, night, context.job.id, os.getpid(), json.dumps(counts)),
        )


REPORTS_TABLE = """
CREATE TABLE IF NOT EXISTS queue_sync_reports (
    business TEXT NOT NULL, night TEXT NOT NULL, job_id BIGINT, worker_pid INTEGER,
    counts JSONB NOT NULL, finished TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
)
"""


@app.periodic(cron=STALLED_CRON)
@app.task(name="retry_stalled_jobs", queueing_lock="retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context: procrastinate.JobContext, timestamp: int) -> None:
    """procrastinate's documented recovery from worker loss: the jobs of workers whose
    heartbeat stopped go back to the queue, for another worker."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER)
    for job in stalled:
        await app.job_manager.retry_job(job)

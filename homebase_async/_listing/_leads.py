"""`iterate_leads`: leads of several queries, once each, as the queries complete.

`GET /leads` takes no range and no cursor, only filters (status, customer), so there is no
order to learn and nothing to continue from: each query is one request, and one that comes back
full (100, or the default 25 of a server ignoring `limit`) may hide leads no request can reach,
which warns. Bulk lookups of customers have the same shape (identifier batches, no range), so
order learning applies to jobs only.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator, Sequence

from homebase_api.models import Lead

from .._bulk import TruncatedResultWarning, pool
from .._ratelimit import Throttle
from .._validation import LEADS_DEFAULT_LIMIT, may_be_capped

__all__ = ["iterate_leads"]

FetchLeads = Callable[[dict[str, str]], Awaitable[list[Lead]]]


async def iterate_leads(
    fetch: FetchLeads,
    queries: Sequence[dict[str, str]],
    *,
    concurrency: int,
    throttle: Throttle,
) -> AsyncGenerator[Lead, None]:
    """Leads of every query, once each by leadId, as the queries complete."""
    if not queries:
        return
    results: asyncio.Queue[tuple[dict[str, str], list[Lead]] | BaseException] = asyncio.Queue()
    todo: Iterator[dict[str, str]] = iter(queries)

    async def one(query: dict[str, str]) -> None:
        try:
            leads = await fetch(query)
        except Exception as exc:  # handed to the loop below, which raises it
            await results.put(exc)
        else:
            await results.put((query, leads))

    runner = asyncio.create_task(
        pool(
            lambda: next(todo, None),
            one,
            concurrency=min(concurrency, len(queries)),
            throttle=throttle,
        )
    )

    def ended(task: asyncio.Task[None]) -> None:
        # The pool itself failing (not a query: `one` hands those over) must not leave the
        # loop below waiting for answers that will never come.
        if not task.cancelled() and task.exception() is not None:
            results.put_nowait(task.exception() or RuntimeError("lead pool failed"))

    runner.add_done_callback(ended)
    seen: set[str] = set()
    try:
        for _ in range(len(queries)):
            item = await results.get()
            if isinstance(item, BaseException):
                raise item
            query, leads = item
            if may_be_capped(len(leads), LEADS_DEFAULT_LIMIT):
                warnings.warn(
                    f"leads query {query} came back with {len(leads)} leads, as many as one "
                    "answer holds (the API's cap of 100, or the default of 25 where a server "
                    "ignores `limit`); more may exist and the API offers no way to reach them",
                    TruncatedResultWarning,
                    stacklevel=2,
                )
            for lead in leads:
                if lead.lead_id not in seen:
                    seen.add(lead.lead_id)
                    yield lead
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)

"""The keyword arguments every bulk write takes, declared once and checked once."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TypedDict

from .._errors import ValidationError
from ._engine import Options
from ._items import KeyFunc
from ._journal import JournalArg, as_journal
from ._pool import Progress, effective_concurrency
from ._settle import DEFAULT_SETTLE_DELAY

__all__ = ["SendOptions", "WriteOptions", "bulk_options", "scope_of"]


class SendOptions(TypedDict, total=False):
    """What every bulk write takes (`messages.send_many` takes just these).

    - `concurrency`: requests in flight at once (default and cap: the client's
      `max_concurrency`).
    - `on_progress`: called as `on_progress(done, total)` after each item ends; if it raises,
      the error is logged once and it is not called again (items are unaffected).
    - `journal`: a file path (SQLite), a `postgresql://...?run=NAME` URL, or a `Journal`: every
      item recorded before it is sent, so a later run with the same journal (here or on
      another machine) never writes an item twice; one run at a time holds it.
    - `key`: `key(item)` → the item's identity in the journal, replacing its natural key.
    """

    concurrency: int | None
    on_progress: Progress | None
    journal: JournalArg
    key: KeyFunc | None


class WriteOptions(SendOptions, total=False):
    """What bulk creates and upserts take besides `SendOptions`.

    - `settle` (default True): look for a create whose answer was lost by its natural key
      and decide on proof; False leaves it `outcome_unknown`, never sent again.
    - `settle_delay` (default 1.0): seconds before that search.
    """

    settle: bool
    settle_delay: float


def scope_of(api_key: str) -> str:
    """The business a run writes for, as a journal lease's scope: a digest of its API key
    (never the key itself)."""
    return hashlib.sha256(f"homebase-business:{api_key}".encode()).hexdigest()[:24]


def bulk_options(
    method: str,
    given: Mapping[str, object],
    *,
    client_max: int,
    scope: str,
    settles: bool = True,
) -> Options:
    """The checked `Options` of one call of `method` (TypeError for an unknown keyword, as
    Python's own; ValidationError for a bad value, before any request)."""
    allowed = (WriteOptions if settles else SendOptions).__optional_keys__
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise TypeError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")
    settle = given.get("settle", True)
    if not isinstance(settle, bool):
        raise ValidationError("settle", f"expected True or False, got {settle!r:.80}")
    delay = given.get("settle_delay", DEFAULT_SETTLE_DELAY)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not delay >= 0:
        raise ValidationError("settle_delay", f"must be a number of seconds >= 0, got {delay!r}")
    progress = given.get("on_progress")
    if progress is not None and not callable(progress):
        raise ValidationError("on_progress", f"expected a function, got {progress!r:.80}")
    key = given.get("key")
    if key is not None and not callable(key):
        raise ValidationError("key", f"expected a function, got {key!r:.80}")
    return Options(
        concurrency=effective_concurrency(given.get("concurrency"), client_max),  # type: ignore[arg-type]
        on_progress=progress,
        journal=as_journal(given.get("journal")),
        key=key,
        settle=settle,
        settle_delay=float(delay),
        scope=scope,
    )

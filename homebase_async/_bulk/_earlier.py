"""What an earlier run's journal row says about an item, as the error reported for it."""

from __future__ import annotations

import json
from typing import Any

from .._errors import HomebaseError, JournalError, ValidationError, WriteOutcomeUnknownError
from ._items import Item
from ._store import Row, State

__all__ = ["ItemChangedError", "changed", "damaged", "interrupted"]


class ItemChangedError(ValidationError):
    """An earlier run of the journal wrote this item (same identity) with other content; a
    create-only helper does not write it again blindly (an upsert updates it instead)."""


class InterruptedRun(HomebaseError):
    """An earlier run stopped while this item's request was in flight."""


def changed(item: Item[Any]) -> ItemChangedError:
    """The error of an item whose identity an earlier run wrote with other content."""
    row = item.earlier
    assert row is not None
    try:
        before = json.loads(row.item)
    except ValueError:
        before = {}
    now = json.loads(item.text)
    fields = sorted(k for k in {*before, *now} if before.get(k) != now.get(k))
    what = f"done ({row.outcome}: {row.result})" if row.state is State.DONE else row.state
    return ItemChangedError(
        "items",
        f"item {item.index}: an earlier run of this journal left it {what} with other "
        f"values of {', '.join(fields) or 'its fields'}; not written again",
    )


def interrupted(request: str, item: Item[Any]) -> WriteOutcomeUnknownError:
    """The error of an item an earlier run left in flight or of unknown outcome; `performed`
    when that run had a success status proving the write."""
    result = item.earlier.result if item.earlier else None
    try:
        performed = json.loads(result or "null") == {"performed": True}
    except ValueError:
        performed = False
    return WriteOutcomeUnknownError(
        request,
        InterruptedRun(
            "in flight or of unknown outcome when an earlier run ended (from the journal)"
        ),
        performed=True if performed else None,
    )


def damaged(request: str, row: Row, exc: Exception) -> WriteOutcomeUnknownError:
    """The error of an item whose done row cannot be read back: never sent again."""
    return WriteOutcomeUnknownError(
        request,
        JournalError(
            f"journal row {row.key!r} of {row.operation} is damaged "
            f"({type(exc).__name__}); it was done by an earlier run, never sent again"
        ),
    )

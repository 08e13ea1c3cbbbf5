"""Journals as a killed run leaves them: rows written through the engine's own store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from homebase_async._bulk._items import prepare
from homebase_async._bulk._journal import Journal, open_store
from homebase_async._bulk._store import Holder, Row, State
from homebase_async._resources._customer_fields import identity, item_fields
from homebase_async._resources.messages import _message_item

#: How each journalled operation validates and names its items, as the resources do.
KINDS: dict[str, tuple[Callable[[Mapping[str, Any]], Any], Callable[[Any], str] | None]] = {
    "customers.create": (item_fields, identity),
    "customers.upsert": (item_fields, identity),
    "messages.send": (_message_item, None),
}


def keys_of(operation: str, items: Sequence[Mapping[str, Any]]) -> list[str]:
    """The journal key of each item, as a run of `operation` computes it."""
    validate, ident = KINDS[operation]
    return [item.key for item in prepare(items, validate, ident, None)]


async def leave_in_flight(
    path: Path, operation: str, items: Sequence[Mapping[str, Any]], indexes: Iterable[int]
) -> None:
    """Write "in flight" rows for `items[indexes]`, as a run killed mid-request leaves them."""
    validate, ident = KINDS[operation]
    prepared = prepare(items, validate, ident, None)
    action = "send" if operation == "messages.send" else "create"

    store = open_store(Journal(str(path)), scope="")  # as a tool: any business
    await store.acquire(Holder.here(), wait=0)
    try:
        for index in indexes:
            item = prepared[index]
            await store.start(
                Row(
                    operation=operation,
                    key=item.key,
                    digest=item.digest,
                    state=State.IN_FLIGHT,
                    action=action,
                    item=item.text,
                    updated="2026-01-01T00:00:00+00:00",
                )
            )
    finally:
        await store.close()

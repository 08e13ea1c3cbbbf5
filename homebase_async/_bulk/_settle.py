"""Settling lost creates: what a search by natural key proves, and nothing more.

The API has no idempotency keys. When a create's answer is lost (a 5xx, a dropped
connection, a timeout after sending), the run searches for the record by what identifies it
(a customer's e-mails and phones; a job's customer and start) and decides here, on proof:

- **created** only when the search found records with every value sent that no other item of
  the run can claim, and that the server did not add before the item's write began (its
  `dateAdded` more than `CLOCK_MARGIN` earlier: a customer that existed before is not this
  item's). Records already claimed (ids from this run's answers or the journal) are
  set aside; identical items (same content) share what is left one to one, never two to one.
- **not there** only when the search was conclusive (not capped at the API's 100, not
  failed) and found nothing left to claim, and no success status proved the write.
- **outcome unknown** otherwise: a capped or failed search, a record another item could claim,
  more records than items, records with the key but other values (perhaps this item as the
  server stored it), or a write a success status proved but the search does not show yet.

Settling still trusts that nobody outside the run creates the same record in between, and
that a write the server performed is searchable after the settle delay.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import attrs

from .._errors import HomebaseError
from ._items import Item

__all__ = [
    "CLOCK_MARGIN",
    "DEFAULT_SETTLE_DELAY",
    "Decision",
    "Found",
    "KeyTaken",
    "decide",
    "predates",
]

#: Seconds between a lost answer and the search that settles it: long enough for a write the
#: server performed to be searchable, short enough not to stall a run.
DEFAULT_SETTLE_DELAY = 1.0
#: How far the server's clock may be from ours: a record it added more than this before an
#: item's first send existed before that send, so it proves nothing about the item.
CLOCK_MARGIN = dt.timedelta(minutes=5)


def predates(item: Item[Any], added: object) -> bool:
    """Whether a record the server added at `added` existed before `item`'s write began
    (an unknown date proves nothing either way: the record stays a candidate)."""
    if item.since is None or not isinstance(added, dt.datetime) or added.tzinfo is None:
        return False
    return added < item.since - CLOCK_MARGIN


@attrs.frozen
class Found:
    """What a search by an item's natural key saw.

    `same`: ids of records with the key and every value the item sent; `other`: ids with the
    key but other values; `complete`: the answer provably held every record with the key.
    """

    same: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    complete: bool = True


class KeyTaken(HomebaseError):
    """Settling found records with the item's natural key but other values: perhaps the item
    as the server stored it (normalised), so not "found nowhere": never sent again."""

    def __init__(self, kind: str, ids: Sequence[str]) -> None:
        super().__init__(f"{kind} {', '.join(ids)} have this item's key, not all its values")


class Inconclusive(HomebaseError):
    """The search that would settle this item cannot prove where it stands."""


@attrs.frozen
class Decision:
    """Where settling put one item: `created` (an id), `nowhere`, or unknown (`why`)."""

    created: str | None = None
    nowhere: bool = False
    why: HomebaseError | None = None


def decide(
    pending: Sequence[Item[Any]],
    found: Mapping[int, Found | HomebaseError],
    claimed: Collection[str],
    *,
    kind: str,
) -> dict[int, Decision]:
    """Settle `pending` items (by index) from what their searches `found`, setting aside the
    ids in `claimed` (records this run or an earlier one already owns)."""
    decisions: dict[int, Decision] = {}
    open_items: list[Item[Any]] = []
    free: dict[int, set[str]] = {}
    for item in pending:
        seen = found.get(item.index)
        if seen is None:
            seen = Inconclusive("no search answered for this item")
        if isinstance(seen, HomebaseError):
            decisions[item.index] = Decision(why=seen)
        elif not seen.complete:
            decisions[item.index] = Decision(
                why=Inconclusive(
                    "the search by its natural key may have been capped (at the API's 100, or at "
                    "the default limit of a server that ignores `limit`), "
                    "so it cannot prove the record is missing"
                )
            )
        elif not seen.same and seen.other:
            decisions[item.index] = Decision(why=KeyTaken(kind, sorted(seen.other)))
        else:
            free[item.index] = set(seen.same) - set(claimed)
            open_items.append(item)
    # Identical items (one digest) are settled together; a record that items of different
    # content could both claim proves neither.
    groups: dict[str, list[Item[Any]]] = defaultdict(list)
    for item in open_items:
        groups[item.digest].append(item)
    claimants: dict[str, set[str]] = defaultdict(set)
    for item in open_items:
        for ident in free[item.index]:
            claimants[ident].add(item.digest)
    for group in groups.values():
        records = set().union(*(free[item.index] for item in group))
        contested = sorted(i for i in records if len(claimants[i]) > 1)
        if contested:
            why = Inconclusive(f"{kind} {', '.join(contested)} could belong to another item")
            decisions.update({item.index: Decision(why=why) for item in group})
            continue
        decisions.update(_share(group, sorted(records), kind))
    return decisions


def _share(group: list[Item[Any]], records: list[str], kind: str) -> dict[int, Decision]:
    """Identical items and the unclaimed records that match them: one record each."""
    proved = [item for item in group if item.performed]
    rest = [item for item in group if not item.performed]
    if len(records) > len(group):
        why = Inconclusive(f"{kind} {', '.join(records)} are more records than items")
        return {item.index: Decision(why=why) for item in group}
    if len(records) < len(proved):
        # A success status proved more writes than the search shows: it lags, so every
        # record found might be any of them.
        why = Inconclusive("a success status proved the write, and the search does not show it")
        return {item.index: Decision(why=why) for item in group}
    decisions: dict[int, Decision] = {}
    # Which of identical items made which record cannot be told, nor does it matter: each
    # record is given to one item, those proved performed first.
    ordered = proved + rest
    for item, ident in zip(ordered, records, strict=False):
        decisions[item.index] = Decision(created=ident)
    for item in ordered[len(records) :]:
        decisions[item.index] = Decision(nowhere=True)
    return decisions

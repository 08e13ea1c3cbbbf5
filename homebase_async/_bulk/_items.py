"""A bulk run's items: validated once, with an identity and a digest of their content.

The identity is the journal row's key: the caller's `key(item)`, else the item's natural key
(a customer's e-mails and phones; a job's customer, start and end), else its content. So an
edited row of a spreadsheet is recognised as the same item, and its digest tells that it
changed. Items with one identity are numbered (`#2`, `#3`) in input order: a list may hold
the same message twice on purpose, and then it is sent twice.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from .._errors import HomebaseError, ValidationError, WriteOutcomeUnknownError
from ._store import Row

__all__ = ["Item", "KeyFunc", "Outcome", "canonical", "prepare"]

B = TypeVar("B")

#: A caller's own item key: the item in, a non-empty string out, unique in the run.
KeyFunc = Callable[[Mapping[str, Any]], str]


class Outcome(enum.StrEnum):
    """Where an item ended; each maps to one field of the run's report."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SENT = "sent"
    AMBIGUOUS = "ambiguous"
    FAILED = "failed"
    NOT_SENT = "not_sent"
    UNKNOWN = "outcome_unknown"


@attrs.define(eq=False)
class Item(Generic[B]):
    """One input item through a run: its checked body, identity, and where it ended."""

    index: int
    raw: Mapping[str, Any]
    body: B | None
    key: str
    digest: str
    text: str
    earlier: Row | None = None
    outcome: Outcome | None = None
    #: The record's id (created, updated, unchanged), the sent message, or ambiguous ids.
    value: Any = None
    error: HomebaseError | None = None
    #: Reported as an earlier run left it (from the journal), nothing sent now.
    replayed: bool = False
    #: When its write may first have begun (its first send, or an earlier run's "in flight"):
    #: a record the server added well before then is not this item's.
    since: dt.datetime | None = None

    @property
    def performed(self) -> bool:
        """Whether a success status proved this item's write (it exists: never resend)."""
        return isinstance(self.error, WriteOutcomeUnknownError) and self.error.performed is True


def canonical(value: object) -> str:
    """Stable JSON text of an item (models and datetimes by their text)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_plain)


def _plain(value: object) -> object:
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else str(value)


def prepare(
    items: Sequence[object],
    validate: Callable[[Mapping[str, Any]], B],
    identity: Callable[[B], str] | None,
    key: KeyFunc | None,
    seen: dict[str, int] | None = None,
) -> list[Item[B]]:
    """Each input item checked once: its body (or the ValidationError it failed with), its
    identity and digest. A `key` function that raises, returns a non-string or repeats a
    key is bad input for the whole call: ValidationError before any request. `seen` carries
    the numbering of repeats over from earlier calls of one held run."""
    prepared: list[Item[B]] = []
    seen = {} if seen is None else seen
    for index, raw in enumerate(items):
        mapping: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {"item": repr(raw)}
        text = canonical(mapping)
        digest = hashlib.sha256(text.encode()).hexdigest()[:32]
        body: B | None = None
        error: ValidationError | None = None
        if not isinstance(raw, Mapping):
            error = ValidationError("items", f"item {index} must be a mapping, got {raw!r:.80}")
        else:
            try:
                body = validate(raw)
            except ValidationError as exc:
                error = exc
            except (TypeError, ValueError, OverflowError) as exc:
                # Input our checks did not anticipate is still the caller's input, never a
                # crash of the whole batch.
                error = ValidationError("items", f"item {index}: {type(exc).__name__}: {exc}")
        if key is not None and isinstance(raw, Mapping):
            ident = _callers_key(key, index, raw)
            if ident in seen:
                raise ValidationError("key", f"item {index}: key {ident!r} is not unique")
            seen[ident] = 1
        else:
            base = identity(body) if identity is not None and body is not None else digest
            count = seen[base] = seen.get(base, 0) + 1
            ident = base if count == 1 else f"{base}#{count}"
        item: Item[B] = Item(
            index=index, raw=mapping, body=body, key=ident, digest=digest, text=text
        )
        if error is not None:
            item.outcome, item.error = Outcome.FAILED, error
        prepared.append(item)
    return prepared


def _callers_key(key: KeyFunc, index: int, item: Mapping[str, Any]) -> str:
    try:
        value = key(item)
    except Exception as exc:  # the caller's function: its failure is bad input
        raise ValidationError(
            "key", f"item {index}: key(item) raised {type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(value, str) or not value:
        raise ValidationError("key", f"item {index}: expected a non-empty string")
    return value

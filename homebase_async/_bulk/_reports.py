"""The reports of bulk writes: where every item of a run ended, keyed by its input index."""

from __future__ import annotations

import attrs
from homebase_api.models import SentMessage

from .._errors import DailyLimitExceededError, HomebaseError, WriteOutcomeUnknownError

__all__ = ["CreateReport", "SendReport", "UpsertReport"]


@attrs.frozen(kw_only=True)
class SendReport:
    """Where every message of `send_many` ended, keyed by its index in the input.

    `not_sent`: the daily budget ran out first (no request was made for them, or the server
    said so); `outcome_unknown`: may or may not have gone out, never resent automatically.
    With a journal, items done by an earlier run are reported here as they ended then.
    """

    sent: dict[int, SentMessage]
    not_sent: dict[int, DailyLimitExceededError]
    failed: dict[int, HomebaseError]
    outcome_unknown: dict[int, WriteOutcomeUnknownError]
    #: Indexes reported as an earlier run of the journal left them (nothing sent now).
    from_journal: frozenset[int] = frozenset()


@attrs.frozen(kw_only=True)
class CreateReport:
    """Where every item of a `create_many` ended, keyed by its index in the input.

    `created` maps to the new record's id (found by settling when the first answer was
    lost); `failed` items were not created (safe to send again); `outcome_unknown` items may
    exist on the server and are never sent again automatically.
    """

    created: dict[int, str]
    failed: dict[int, HomebaseError]
    outcome_unknown: dict[int, WriteOutcomeUnknownError]
    #: Indexes reported as an earlier run of the journal left them (nothing sent now).
    from_journal: frozenset[int] = frozenset()


@attrs.frozen(kw_only=True)
class UpsertReport:
    """Where every item of `customers.upsert_many` ended, keyed by its index in the input.

    `created`, `updated` and `unchanged` map to the customer's id; `ambiguous` items matched
    more than one customer (their ids listed; nothing was written); `failed` items were not
    written; `outcome_unknown` creates may exist on the server (never sent again).
    """

    created: dict[int, str]
    updated: dict[int, str]
    unchanged: dict[int, str]
    ambiguous: dict[int, list[str]]
    failed: dict[int, HomebaseError]
    outcome_unknown: dict[int, WriteOutcomeUnknownError]
    #: Indexes reported as an earlier run of the journal left them (nothing sent now).
    from_journal: frozenset[int] = frozenset()

"""Messages: SMS/MMS sending and the daily quota."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, Unpack

import attrs
from homebase_api.api.messages import get_message_stats, send_message
from homebase_api.models import (
    MessageStats,
    SendMessageRequest,
    SendMessageResponse,
    SentMessage,
)

from .._bulk import SendReport
from .._bulk._engine import Sending, Writer
from .._bulk._journal import HeldJournal
from .._bulk._options import SendOptions, bulk_options, scope_of
from .._bulk._runs import send_many
from .._errors import (
    DailyLimitExceededError,
    UnexpectedResponseError,
    ValidationError,
    WriteOutcomeUnknownError,
)
from .._request import Operation
from .._retry import Kind
from .._sms_budget import BudgetTracker, Reading, SmsBudget
from .._telemetry import traced_report
from .._validation import check_https_url, check_items, check_phone, check_query, check_text
from ._base import Resource, data_of
from ._shared_sms import Send, shared_sends

__all__ = ["MAX_MESSAGE_LENGTH", "Messages", "send_request"]

SEND = Operation("sendMessage", "POST", "/messages/send", Kind.WRITE, sms=True)
STATS = Operation("getMessageStats", "GET", "/messages/stats", Kind.READ)
MAX_MESSAGE_LENGTH = 200


def send_request(
    mobile_phone: str | None,
    customer_id: str | None,
    message: str | None,
    media_url: str | None,
) -> SendMessageRequest:
    """A validated send body: a recipient, and a text of ≤ 200 characters or an https media URL."""
    if mobile_phone is None and customer_id is None:
        raise ValidationError("mobile_phone", "give mobile_phone or customer_id (or both)")
    if message is None and media_url is None:
        raise ValidationError("message", "give message or media_url (or both)")
    body = SendMessageRequest()
    if mobile_phone is not None:
        body.mobile_phone = check_phone("mobile_phone", mobile_phone)
    if customer_id is not None:
        body.customer_id = check_query("customer_id", customer_id)
    if message is not None:
        check_text("message", message)
        if len(message) > MAX_MESSAGE_LENGTH:
            raise ValidationError(
                "message", f"at most {MAX_MESSAGE_LENGTH} characters, got {len(message)}"
            )
        body.message = message
    if media_url is not None:
        body.media_url = check_https_url("media_url", media_url)
    return body


@attrs.define
class Messages(Resource):
    """`hb.messages`: send SMS/MMS and read the daily quota."""

    # The client owns the budget (one per client, shared by its `with_options` copies).
    _tracker: BudgetTracker

    async def _load_budget(self) -> Reading:
        stats = await self.stats()
        usage = stats.usage
        return Reading(stats.limits.per_day, usage.daily_used, usage.daily_remaining)

    @property
    def budget(self) -> SmsBudget | None:
        """Today's SMS budget as last known (None before the first send or `stats()`).

        Loaded from `/messages/stats` on first use, refreshed when older than
        `budget_max_age` or from a previous UTC day, and updated by every send.
        """
        return self._tracker.known

    @property
    def tracker(self) -> BudgetTracker:
        """The client's SMS budget (shared by every copy of the client), for inspection."""
        return self._tracker

    async def send(
        self,
        mobile_phone: str | None = None,
        customer_id: str | None = None,
        message: str | None = None,
        media_url: str | None = None,
    ) -> SentMessage:
        """Send an SMS (or MMS with `media_url`) to a customer's mobile.

        The daily quota raises DailyLimitExceededError and is never retried; any failure that
        leaves open whether the message went out raises WriteOutcomeUnknownError.
        """
        return await self._send(send_request(mobile_phone, customer_id, message, media_url))

    async def _send(
        self, body: SendMessageRequest, on_sending: Sending | None = None
    ) -> SentMessage:
        await self._tracker.reserve(self._load_budget)
        try:
            if on_sending is not None:
                # After the budget is reserved, right before the request: the journal's moment.
                # If it fails (JournalError) nothing was sent, and the reservation is released.
                await on_sending()
            response = await self._requester.call(
                SEND, lambda raw: send_message.asyncio_detailed(client=raw, body=body)
            )
            sent: SentMessage = data_of(SEND, response, SendMessageResponse)
        except DailyLimitExceededError:
            self._tracker.exhaust()
            raise
        except (WriteOutcomeUnknownError, asyncio.CancelledError):
            # Cancelled while in flight: the server may have sent it, so it counts.
            self._tracker.settle(counted=True)
            raise
        except BaseException:
            self._tracker.settle(counted=False)
            raise
        try:
            # Releases the reservation and counts the send, whatever its counters say.
            self._tracker.settle_sent(sent.rate_limits)
        except UnexpectedResponseError as exc:
            raise WriteOutcomeUnknownError(SEND.name, exc, performed=True) from exc
        return sent

    async def send_many(
        self, items: Sequence[Mapping[str, Any]], **options: Unpack[SendOptions]
    ) -> SendReport:
        """Send many messages (each item: the keyword arguments of `send`) within the budget.

        Every index of `items` ends in exactly one of `sent`, `not_sent` (the daily budget ran
        out), `failed` or `outcome_unknown`; nothing is ever sent twice. With `journal`, each
        message is recorded before it is sent: a later run with the same items and journal
        skips what was sent, reports what was in flight as `outcome_unknown` (never resent)
        and sends the rest; one run at a time holds the journal. Options: see `SendOptions`.
        """
        check_items("items", items)
        settings = bulk_options(
            "send_many",
            options,
            client_max=self._requester.max_concurrency,
            scope=scope_of(self._requester.raw.token),
            settles=False,
        )
        journal = settings.journal
        spec = journal.journal if isinstance(journal, HeldJournal) else journal
        if spec is None or not spec.is_postgres:
            return await traced_report(
                "homebase.messages.send_many",
                send_many(self._writer(self._send), items, settings, self._requester.throttle),
            )
        from .._bulk._pg_budget import PostgresReservations  # the optional driver's module

        async with PostgresReservations(spec.location, scope=settings.scope) as shared:
            send = shared_sends(self._send, self._tracker, shared)
            return await traced_report(
                "homebase.messages.send_many",
                send_many(self._writer(send), items, settings, self._requester.throttle),
            )

    def _writer(self, send: Send) -> Writer[SendMessageRequest, SentMessage]:
        return Writer(
            operation="messages.send",
            request=SEND.name,
            noun="messages",
            validate=_message_item,
            identity=None,
            send=send,
            locate=None,
            encode=SentMessage.to_dict,
            decode=SentMessage.from_dict,
        )

    async def stats(self) -> MessageStats:
        """Today's SMS quota and use (the same counter as a send's `rate_limits`)."""
        response = await self._requester.call(
            STATS, lambda raw: get_message_stats.asyncio_detailed(client=raw)
        )
        stats: MessageStats = data_of(STATS, response)
        counters = (stats.limits.per_day, stats.usage.daily_used, stats.usage.daily_remaining)
        if not all(isinstance(c, int) and not isinstance(c, bool) for c in counters):
            raise UnexpectedResponseError(
                f"{STATS.name}: SMS counters (perDay, dailyUsed, dailyRemaining) must be "
                f"integers, got {counters!r:.120}"
            )
        if min(counters) < 0:
            raise UnexpectedResponseError(
                f"{STATS.name}: SMS counters below zero (perDay, dailyUsed, dailyRemaining = "
                f"{counters}); the spec says they never are"
            )
        self._tracker.observe(
            limit=stats.limits.per_day,
            used=stats.usage.daily_used,
            remaining=stats.usage.daily_remaining,
        )
        return stats


def _message_item(item: Mapping[str, Any]) -> SendMessageRequest:
    try:
        return _request_of(**item)
    except TypeError as exc:  # an unknown key
        raise ValidationError("items", str(exc)) from None


def _request_of(
    mobile_phone: str | None = None,
    customer_id: str | None = None,
    message: str | None = None,
    media_url: str | None = None,
) -> SendMessageRequest:
    # The keyword arguments of `send`, so a bulk item's unknown key is a TypeError.
    return send_request(mobile_phone, customer_id, message, media_url)

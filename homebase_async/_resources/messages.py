"""Messages: SMS/MMS sending and the daily quota."""

from __future__ import annotations

from urllib.parse import urlsplit

from homebase_api.api.messages import get_message_stats, send_message
from homebase_api.models import MessageStats, SendMessageRequest, SentMessage

from .._errors import ValidationError
from .._request import Operation
from .._retry import Kind
from .._validation import check_phone, check_text
from ._base import Resource, data_of

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
        body.customer_id = check_text("customer_id", customer_id)
    if message is not None:
        check_text("message", message)
        if len(message) > MAX_MESSAGE_LENGTH:
            raise ValidationError(
                "message", f"at most {MAX_MESSAGE_LENGTH} characters, got {len(message)}"
            )
        body.message = message
    if media_url is not None:
        parts = urlsplit(check_text("media_url", media_url))
        if parts.scheme != "https" or not parts.hostname:
            raise ValidationError("media_url", f"must be an https URL, got {media_url!r}")
        body.media_url = media_url
    return body


class Messages(Resource):
    """`hb.messages`: send SMS/MMS and read the daily quota."""

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
        body = send_request(mobile_phone, customer_id, message, media_url)
        response = await self._requester.call(
            SEND, lambda raw: send_message.asyncio_detailed(client=raw, body=body)
        )
        sent: SentMessage = data_of(SEND, response)
        return sent

    async def stats(self) -> MessageStats:
        """Today's SMS quota and use (the same counter as a send's `rate_limits`)."""
        response = await self._requester.call(
            STATS, lambda raw: get_message_stats.asyncio_detailed(client=raw)
        )
        stats: MessageStats = data_of(STATS, response)
        return stats

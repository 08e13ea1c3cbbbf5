"""SMS/MMS sending: the Enterprise gate, the recipient rules and the daily quota."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from . import _validate as check
from ._common import ApiError, Context, Json, bad_request, format_time, not_found
from ._customers import CustomerBook

MAX_MESSAGE_LENGTH = 200


class Messenger:
    """Sends messages and counts them per UTC day (the counter resets at UTC midnight)."""

    def __init__(
        self, context: Context, customers: CustomerBook, *, enterprise: bool, daily_limit: int
    ) -> None:
        self._context = context
        self._customers = customers
        self.enterprise = enterprise
        self.daily_limit = daily_limit
        self.sent: list[Json] = []
        self._day: date | None = None
        self._used = 0

    @property
    def used_today(self) -> int:
        if self._day != self._context.now().date():
            return 0
        return self._used

    def send(self, body: Mapping[str, Any]) -> Json:
        """POST /messages/send."""
        if not self.enterprise:
            raise ApiError(403, "SMS requires an active Enterprise subscription")
        mobile = check.string(body, "mobilePhone") or None
        customer_id = check.string(body, "customerId") or None
        message = check.string(body, "message") or None
        media_url = check.string(body, "mediaUrl") or None
        if mobile is None and customer_id is None:
            raise bad_request("mobilePhone or customerId is required")
        if mobile is not None and not check.PHONE_PATTERN.match(mobile):
            raise bad_request("mobilePhone must be an E.164 number such as +13038284444")
        if message is None and media_url is None:
            raise bad_request("message is required when no mediaUrl is given")
        if message is not None and len(message) > MAX_MESSAGE_LENGTH:
            raise bad_request(f"message must be at most {MAX_MESSAGE_LENGTH} characters")
        if media_url is not None and not _is_https_url(media_url):
            raise bad_request("mediaUrl must be an https URL")
        recipient = self._recipient(mobile, customer_id)
        now = self._context.now()
        used = self.used_today
        if used >= self.daily_limit:
            raise ApiError(429, f"Daily SMS limit reached ({self.daily_limit} messages per day)")
        self._day, self._used = now.date(), used + 1
        sent: Json = {
            "mobilePhone": recipient["phone"]["mobile"],
            "customerId": recipient["customerId"],
            "timestamp": format_time(now),
        }
        self.sent.append({**sent, "message": message or "", "mediaUrl": media_url})
        return {**sent, "rateLimits": {"dailyUsed": self._used, "dailyLimit": self.daily_limit}}

    def _recipient(self, mobile: str | None, customer_id: str | None) -> Json:
        if customer_id is not None:
            customer = self._customers.get(customer_id)
            if not customer["phone"].get("mobile"):
                raise bad_request("the customer has no mobile phone on file")
            if mobile is not None and customer["phone"]["mobile"] != mobile:
                raise bad_request("mobilePhone does not match the customer's phone.mobile")
            return customer
        found = self._customers.find_by_mobile(mobile or "")
        if found is None:
            raise not_found(f"No customer has the mobile phone {mobile}")
        return self._customers.records[found]

    def stats(self) -> Json:
        """GET /messages/stats: the same counter the send response reports."""
        if not self.enterprise:
            raise ApiError(403, "SMS requires an active Enterprise subscription")
        used = self.used_today
        return {
            "limits": {"perDay": self.daily_limit},
            "usage": {"dailyUsed": used, "dailyRemaining": max(self.daily_limit - used, 0)},
        }


def _is_https_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname)

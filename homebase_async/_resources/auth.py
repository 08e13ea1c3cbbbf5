"""The ping operation."""

from __future__ import annotations

from homebase_api.api.auth import ping as ping_api
from homebase_api.models import PingData

from .._request import Operation, Requester
from .._retry import Kind
from ._base import data_of

__all__ = ["ping"]

PING = Operation("ping", "GET", "/ping", Kind.READ)


async def ping(requester: Requester) -> PingData:
    """The business the key belongs to; raises AuthenticationError for a bad key."""
    response = await requester.call(PING, lambda raw: ping_api.asyncio_detailed(client=raw))
    data: PingData = data_of(PING, response)
    return data

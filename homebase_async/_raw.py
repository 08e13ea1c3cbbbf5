"""`hb.with_raw_response`: the parsed result of a call together with its HTTP response.

The view calls the same methods, so the call still goes through the permit, the retries and
the error mapping; only the final response is kept alongside the result. `hb.raw` (the
generated client) goes through none of those.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import attrs
import httpx

from ._errors import request_id_of
from ._request import Capture, raw_capture

__all__ = ["RawResponse", "RawResponseView"]

T = TypeVar("T")

# The single-request methods: a bulk helper makes many requests and has no one response.
_SINGLE = frozenset({"get", "search", "create", "update", "list", "send", "stats"})


@attrs.frozen(kw_only=True)
class RawResponse(Generic[T]):
    """A parsed result with the status, headers and request id of the response it came from.

    `attempts` counts the tries the call took (1 when it was not retried).
    """

    parsed: T
    status_code: int
    headers: httpx.Headers
    request_id: str | None
    attempts: int


async def _capture(method: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any) -> Any:
    capture = Capture()
    token = raw_capture.set(capture)
    try:
        parsed = await method(*args, **kwargs)
    finally:
        raw_capture.reset(token)
    call = capture.call
    response = call.response if call is not None else None
    if call is None or response is None:  # pragma: no cover - every method makes a request
        raise AssertionError("the method made no request")
    return RawResponse(
        parsed=parsed,
        status_code=response.status_code,
        headers=response.headers,
        request_id=request_id_of(response.headers),
        attempts=call.attempts,
    )


class _RawResource:
    def __init__(self, resource: object, name: str) -> None:
        self._resource = resource
        self._name = name

    def __getattr__(self, attr: str) -> Callable[..., Awaitable[RawResponse[Any]]]:
        if attr not in _SINGLE or not hasattr(self._resource, attr):
            raise AttributeError(
                f"hb.with_raw_response.{self._name} has no {attr!r}: only single-request "
                f"methods ({', '.join(sorted(_SINGLE))}) have a raw-response form"
            )
        method = getattr(self._resource, attr)

        async def call(*args: Any, **kwargs: Any) -> RawResponse[Any]:
            result: RawResponse[Any] = await _capture(method, *args, **kwargs)
            return result

        return call


class RawResponseView:
    """`hb.with_raw_response.customers.get(...)` returns a `RawResponse` of the customer."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.customers: Any = _RawResource(client.customers, "customers")
        self.jobs: Any = _RawResource(client.jobs, "jobs")
        self.leads: Any = _RawResource(client.leads, "leads")
        self.messages: Any = _RawResource(client.messages, "messages")

    async def ping(self) -> RawResponse[Any]:
        """`hb.ping()`, with its response."""
        result: RawResponse[Any] = await _capture(self._client.ping)
        return result

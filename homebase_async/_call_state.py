"""What a call is and what a client's calls share: the data of the request path, no logic.

`Operation` (one API operation), `ClientState` (closed? which loop? which tasks are inside a
call?), `Shared` (the pool, permits, budgets and hooks a client shares with its copies) and the
per-call record `CallRecord`. `_request.Requester` is the logic that uses them.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from typing import Any

import attrs
import httpx

from ._errors import ClientClosedError
from ._events import Events
from ._ratelimit import Throttle
from ._retry import Kind, RetryBudget
from ._sms_budget import BudgetTracker
from ._telemetry import Telemetry

__all__ = [
    "SHAPE_ERRORS",
    "CallRecord",
    "Capture",
    "ClientState",
    "Operation",
    "Shared",
    "raw_capture",
]

# What a body parser raises on a body of the wrong shape (RecursionError: deep nesting).
SHAPE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError)


@attrs.frozen
class Operation:
    """One API operation, as the retry rules, the logs and the spans need to know it."""

    name: str  # the spec's operationId
    method: str
    path: str  # the URL template, e.g. /customers/{customerId}
    kind: Kind
    sms: bool = False


_CLOSING = "homebase_async: the client was closed"


@attrs.define
class ClientState:
    """Whether a client may still be used, its event loop, and the tasks inside a call."""

    closed: bool = False
    loop: asyncio.AbstractEventLoop | None = None
    #: Tasks inside `Requester.call` now, with how many calls each runs (nested: a hook's).
    calls: dict[asyncio.Task[Any], int] = attrs.field(factory=dict)
    #: The tasks `close` cancelled; their cancellation becomes ClientClosedError.
    cancelled: set[asyncio.Task[Any]] = attrs.field(factory=set)

    def close(self) -> None:
        """Mark closed and cancel every call in flight (not the caller's own task)."""
        self.closed = True
        me = asyncio.current_task()
        for task in list(self.calls):
            if task is not me and not task.done():
                self.cancelled.add(task)
                task.cancel(_CLOSING)

    def closed_error(self) -> ClientClosedError:
        return ClientClosedError(
            "this HomebaseClient was closed (aclose()) while the call was in flight"
        )

    def check(self) -> None:
        if self.closed:
            raise ClientClosedError(
                "this HomebaseClient is closed (aclose() was called); make a new one"
            )
        loop = asyncio.get_running_loop()
        if self.loop is None:
            self.loop = loop
        elif self.loop is not loop:
            which = "a closed" if self.loop.is_closed() else "another"
            raise ClientClosedError(
                f"this HomebaseClient belongs to {which} event loop; "
                "make one client per event loop (its connections are bound to one)"
            )


@attrs.define
class CallRecord:
    """One SDK call across its attempts."""

    op: Operation
    attempts: int = 0
    response: httpx.Response | None = None
    #: Whether an attempt is sending now (a write cancelled then may have gone out).
    sending: bool = False


@attrs.define
class Capture:
    """Set by a raw-response view around one method: the call the method made."""

    call: CallRecord | None = None


raw_capture: contextvars.ContextVar[Capture | None] = contextvars.ContextVar(
    "homebase_raw_capture", default=None
)


@attrs.define(kw_only=True)
class Shared:
    """What a client and its `with_options` copies share at run time (settings aside)."""

    transport: httpx.AsyncBaseTransport
    owns_transport: bool
    permits: asyncio.Semaphore
    budget: RetryBudget
    sms: BudgetTracker
    events: Events
    httpx_hooks: dict[str, list[Callable[..., object]]]
    telemetry: Telemetry
    #: The proxy every request goes through (resolved once), None for a direct connection.
    proxy: str | None = None
    throttle: Throttle = attrs.field(factory=Throttle)
    state: ClientState = attrs.field(factory=ClientState)

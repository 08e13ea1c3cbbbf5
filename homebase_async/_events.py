"""The SDK's own events (a retry scheduled, a retry given up, bulk work paused) for callbacks.

Pass them as `HomebaseClient(event_hooks={"retry": [...], "give_up": [...], "pause": [...]})`
beside httpx's `"request"` and `"response"` hooks. A callback is a plain function that takes
one `SdkEvent`; it runs inline on the request path, so it should be quick, and an exception it
raises propagates to the call (as httpx's own hooks do).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import attrs

from ._errors import ConfigurationError, HomebaseError

__all__ = ["SDK_EVENTS", "EventKind", "Events", "SdkEvent"]

EventKind = Literal["retry", "give_up", "pause"]
SDK_EVENTS: tuple[EventKind, ...] = ("retry", "give_up", "pause")
HTTPX_EVENTS = ("request", "response")


@attrs.frozen(kw_only=True)
class SdkEvent:
    """One event of the SDK: what happened, to which operation, after which attempt.

    `kind` is `"retry"` (a retry is scheduled after `wait` seconds), `"give_up"` (the call
    fails with `error` after `attempt` attempts; `reason` says why it stopped) or `"pause"`
    (bulk work of the client waits `wait` seconds, as the server asked).
    """

    kind: EventKind
    operation: str
    attempt: int
    error: HomebaseError | None = None
    wait: float | None = None
    reason: str | None = None


@attrs.define
class Events:
    """The registered callbacks, by kind; empty lists cost one truth test per event."""

    hooks: dict[str, list[Callable[[SdkEvent], object]]] = attrs.field(factory=dict)

    @classmethod
    def split(
        cls, event_hooks: Mapping[str, Sequence[Callable[..., object]]] | None
    ) -> tuple[Events, dict[str, list[Callable[..., object]]]]:
        """The SDK's callbacks, and the httpx hooks to pass to the AsyncClient."""
        sdk: dict[str, list[Callable[[SdkEvent], object]]] = {}
        httpx_hooks: dict[str, list[Callable[..., object]]] = {}
        for key, hooks in (event_hooks or {}).items():
            if key in SDK_EVENTS:
                sdk[key] = list(hooks)
            elif key in HTTPX_EVENTS:
                httpx_hooks[key] = list(hooks)
            else:
                known = ", ".join(HTTPX_EVENTS + SDK_EVENTS)
                raise ConfigurationError(f"event_hooks: unknown event {key!r} (known: {known})")
            if not all(callable(hook) for hook in hooks):
                raise ConfigurationError(f"event_hooks[{key!r}] must be a list of callables")
        return cls(sdk), httpx_hooks

    def emit(self, event: SdkEvent) -> None:
        for hook in self.hooks.get(event.kind, ()):
            hook(event)

"""The SDK's own events (a retry scheduled, a retry given up, bulk work paused) for callbacks.

Pass them as `HomebaseClient(event_hooks={"retry": [...], "give_up": [...], "pause": [...]})`
beside httpx's `"request"` and `"response"` hooks. An SDK callback is a plain function that
takes one `SdkEvent`; httpx's hooks are `async def` functions taking the request (response).
Each runs inline on the request path, so it should be quick. An exception a hook raises is
logged (once per hook, then at DEBUG) and ignored: user code never changes a call's outcome,
so a bulk run never loses track of a write because a logging callback failed. A hook of the
wrong kind (a plain function as an httpx hook, whose result httpx would await; an `async def`
as an SDK callback, whose coroutine would never run) is a ConfigurationError at construction.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal

import attrs

from ._errors import ConfigurationError, HomebaseError
from ._logging import user_code_failed

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
        if event_hooks is not None and not isinstance(event_hooks, Mapping):
            raise ConfigurationError(
                f"event_hooks must map an event name to a list of callables, got {event_hooks!r}"
            )
        for key, hooks in (event_hooks or {}).items():
            if key not in SDK_EVENTS and key not in HTTPX_EVENTS:
                known = ", ".join(HTTPX_EVENTS + SDK_EVENTS)
                raise ConfigurationError(f"event_hooks: unknown event {key!r} (known: {known})")
            if isinstance(hooks, str | bytes) or not isinstance(hooks, Sequence):
                raise ConfigurationError(f"event_hooks[{key!r}] must be a list of callables")
            for hook in hooks:
                _check_hook(key, hook)
            if key in SDK_EVENTS:
                sdk[key] = list(hooks)
            else:
                httpx_hooks[key] = [_guarded(key, hook) for hook in hooks]
        return cls(sdk), httpx_hooks

    def emit(self, event: SdkEvent) -> None:
        for hook in self.hooks.get(event.kind, ()):
            try:
                hook(event)
            except Exception as exc:
                user_code_failed(f"event hook {_name(hook)} ({event.kind!r})", exc)


def _is_async(hook: object) -> bool:
    return inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(
        getattr(hook, "__call__", None)  # noqa: B004 - an instance with an async __call__
    )


def _name(hook: object) -> str:
    return getattr(hook, "__qualname__", None) or type(hook).__qualname__


def _check_hook(key: str, hook: object) -> None:
    if not callable(hook):
        raise ConfigurationError(f"event_hooks[{key!r}] must be a list of callables, got {hook!r}")
    if key in HTTPX_EVENTS and not _is_async(hook):
        raise ConfigurationError(
            f"event_hooks[{key!r}]: {_name(hook)} must be an async function "
            "(httpx awaits request and response hooks)"
        )
    if key in SDK_EVENTS and _is_async(hook):
        raise ConfigurationError(
            f"event_hooks[{key!r}]: {_name(hook)} must be a plain function, not async "
            "(SDK events are called inline, so its coroutine would never run)"
        )


def _guarded(key: str, hook: Callable[..., Any]) -> Callable[..., Awaitable[None]]:
    """An httpx hook whose exceptions are logged instead of failing the request."""
    where = f"event hook {_name(hook)} ({key!r})"

    async def guarded(message: Any) -> None:
        try:
            await hook(message)
        except Exception as exc:
            user_code_failed(where, exc)

    return guarded

"""OpenTelemetry spans and metrics, when `opentelemetry-api` is installed and configured.

Install `homebase-async[otel]`. Without the package, or while no tracer (meter) provider is
configured, every function here returns at its first test: no span objects, no attributes.

* One CLIENT span per SDK call, named `"{METHOD} {url.template}"`, with the HTTP client
  semantic-convention attributes, `http.request.resend_count` when retried and
  `homebase.operation` (the spec's operationId).
* One INTERNAL span per bulk helper run (`homebase.customers.lookup`, ...) with item counts,
  and per listing (`homebase.jobs.iterate`, `homebase.leads.iterate`) with the items yielded.
* W3C `traceparent` on each request while a span is current (an httpx request hook).
* `http.client.request.duration` (s), by operation and status; its count is the request count.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Awaitable, Iterator
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx

from ._logging import user_code_failed

try:
    import opentelemetry.metrics._internal as _metrics_state
    from opentelemetry import context as _context
    from opentelemetry import metrics as _metrics
    from opentelemetry import propagate as _propagate
    from opentelemetry import trace as _trace

    _OTEL = True
    # Providers named by environment variables are loaded on first use; whether any is named
    # is read once here, since reading os.environ on every call costs more than the rest.
    _FROM_ENV = any(
        name in os.environ for name in ("OTEL_PYTHON_TRACER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER")
    )
except ImportError:  # pragma: no cover - depends on the installed extras
    _OTEL = False

__all__ = [
    "ListingSpan",
    "Telemetry",
    "bulk_span",
    "inject_traceparent",
    "outcome_counts",
    "traced_report",
    "tracing",
]

R = TypeVar("R")


class Operation(Protocol):
    """What a span needs of an operation (`_request.Operation` is one; no import upward)."""

    @property
    def name(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...


_SCOPE = "homebase_async"
_NO_PROVIDER = ("ProxyTracerProvider", "NoOpTracerProvider", "_ProxyMeterProvider")
_NO_METER = ("_ProxyMeterProvider", "NoOpMeterProvider")


def tracing() -> bool:
    """Whether spans are recorded: the API is installed and a real provider is set."""
    if not _OTEL:
        return False
    if getattr(_trace, "_TRACER_PROVIDER", True) is None and not _FROM_ENV:
        return False  # none set: the common case, decided without the API's environment read
    return type(_trace.get_tracer_provider()).__name__ not in _NO_PROVIDER


def _metering() -> bool:
    if not _OTEL:
        return False
    if getattr(_metrics_state, "_METER_PROVIDER", True) is None and not _FROM_ENV:
        return False
    return type(_metrics.get_meter_provider()).__name__ not in _NO_METER


class _Instruments:
    """The duration histogram, made once per meter provider.

    Its count per attribute set is the request count: a separate counter would only repeat it
    (and cost each call another measurement, about a fifth of the SDK's cost per call).
    """

    def __init__(self) -> None:
        self._provider: object = None
        self.duration: Any = None

    def get(self) -> _Instruments:
        provider = _metrics.get_meter_provider()
        if provider is not self._provider:
            meter = provider.get_meter(_SCOPE)
            self.duration = meter.create_histogram(
                "http.client.request.duration", unit="s", description="SDK call duration"
            )
            self._provider = provider
        return self


_INSTRUMENTS = _Instruments()


class _Tracers:
    """The tracer, made once per tracer provider: the SDK builds a new one on every call."""

    def __init__(self) -> None:
        self._provider: object = None
        self._tracer: Any = None

    def get(self) -> Any:
        provider = _trace.get_tracer_provider()
        if provider is not self._provider:
            self._tracer = provider.get_tracer(_SCOPE)
            self._provider = provider
        return self._tracer


_TRACERS = _Tracers()


class Telemetry:
    """A client's view of OpenTelemetry: where its server is, for the span attributes."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.address = parts.hostname or ""
        self.port = parts.port or (443 if parts.scheme == "https" else 80)

    @property
    def active(self) -> bool:
        """Whether a call should be wrapped at all (spans or metrics are on)."""
        return tracing() or _metering()

    def call(self, op: Operation) -> _CallSpan:
        """Around one SDK call: the caller fills the yielded dict with `status`, `error` and
        `attempts`; the span and the metrics are recorded from it on exit."""
        return _CallSpan(self, op)


class _CallSpan:
    """A context manager (a class, not a generator: this runs on every call)."""

    __slots__ = ("_attributes", "_started", "_token", "outcome", "span")

    def __init__(self, telemetry: Telemetry, op: Operation) -> None:
        self._attributes: dict[str, Any] = {
            "http.request.method": op.method,
            "url.template": op.path,
            "server.address": telemetry.address,
            "server.port": telemetry.port,
            "homebase.operation": op.name,
        }
        self.outcome: dict[str, Any] = {}
        self.span: Any = None
        self._token: Any = None
        if tracing():
            # start_span and attach by hand: start_as_current_span's generator-based context
            # manager costs about a quarter of the span's time.
            try:
                self.span = _TRACERS.get().start_span(
                    f"{op.method} {op.path}",
                    kind=_trace.SpanKind.CLIENT,
                    attributes=self._attributes,
                )
            except Exception as exc:  # a span processor's on_start: the user's code
                user_code_failed("an OpenTelemetry span processor (on_start)", exc)
        self._started = 0.0

    def __enter__(self) -> dict[str, Any]:
        self._started = time.perf_counter()
        if self.span is not None:
            self._token = _context.attach(_trace.set_span_in_context(self.span))
        return self.outcome

    def __exit__(self, *exc_info: object) -> None:
        try:
            self._finish()
        except Exception as exc:  # processors, exporters, views: never the call's outcome
            user_code_failed("OpenTelemetry (ending a call's span or recording its metrics)", exc)
        finally:
            if self._token is not None:
                _context.detach(self._token)

    def _finish(self) -> None:
        took = time.perf_counter() - self._started
        outcome = self.outcome
        final: dict[str, Any] = {}
        if outcome.get("status") is not None:
            final["http.response.status_code"] = outcome["status"]
        error = outcome.get("error")
        if error is not None:
            final["error.type"] = type(error).__name__
        if self.span is not None:
            attempts = int(outcome.get("attempts", 1))
            if attempts > 1:
                final["http.request.resend_count"] = attempts - 1
            self.span.set_attributes(final)
            if error is not None:
                self.span.set_status(_trace.Status(_trace.StatusCode.ERROR, str(error)[:200]))
            self.span.end()
        if _metering():
            labels = {
                "http.request.method": self._attributes["http.request.method"],
                "url.template": self._attributes["url.template"],
                "homebase.operation": self._attributes["homebase.operation"],
            }
            for key in ("http.response.status_code", "error.type"):
                if key in final:
                    labels[key] = final[key]
            _INSTRUMENTS.get().duration.record(took, labels)


@contextlib.contextmanager
def bulk_span(name: str) -> Iterator[dict[str, int]]:
    """Around a bulk helper run: yields a dict of item counts by outcome to fill in.

    The span is current while the run's tasks are made, so the calls' spans sit beneath it.
    """
    counts: dict[str, int] = {}
    span = _start(name) if tracing() else None
    if span is None:
        yield counts
        return
    token = _context.attach(_trace.set_span_in_context(span))
    try:
        yield counts
    finally:
        _context.detach(token)
        try:
            for key, value in counts.items():
                span.set_attribute(f"homebase.items.{key}", value)
            span.end()
        except Exception as exc:
            user_code_failed(f"an OpenTelemetry span processor (ending {name})", exc)


def _start(name: str) -> Any:
    """An INTERNAL span, or None when starting it raised (a span processor's on_start)."""
    try:
        return _TRACERS.get().start_span(name, kind=_trace.SpanKind.INTERNAL)
    except Exception as exc:
        user_code_failed(f"an OpenTelemetry span processor (starting {name})", exc)
        return None


class ListingSpan:
    """The span of one listing, which runs in steps driven by the caller's loop.

    A span cannot stay current across the caller's `async for` (each step runs in the caller's
    context), so it is made current only while a step runs: the requests a step starts are then
    beneath it. It ends when the listing ends, fails or is closed.
    """

    def __init__(self, name: str) -> None:
        self.yielded = 0
        self._span: Any = None
        if tracing():
            self._span = _start(name)

    @contextlib.contextmanager
    def step(self) -> Iterator[None]:
        """Make the span current for one step of the listing."""
        if self._span is None:
            yield
            return
        token = _context.attach(_trace.set_span_in_context(self._span))
        try:
            yield
        finally:
            _context.detach(token)

    def end(self, error: BaseException | None = None) -> None:
        """End the span (once): with the items yielded, and the error that ended it, if any."""
        span, self._span = self._span, None
        if span is None:
            return
        try:
            span.set_attribute("homebase.items.yielded", self.yielded)
            if error is not None:
                span.set_attribute("error.type", type(error).__qualname__)
                span.set_status(_trace.Status(_trace.StatusCode.ERROR))
            span.end()
        except Exception as exc:
            user_code_failed("an OpenTelemetry span processor (ending a listing's span)", exc)


async def traced_report(name: str, work: Awaitable[R]) -> R:
    """Await a bulk write run inside its span, with the report's item counts by outcome."""
    with bulk_span(name) as counts:
        report = await work
        counts.update(outcome_counts(report))
    return report


def outcome_counts(report: object) -> dict[str, int]:
    """Item counts by outcome of a bulk report: the size of each of its dict or list fields."""
    fields = getattr(type(report), "__attrs_attrs__", ())
    counts = {}
    for field in fields:
        value = getattr(report, field.name)
        if isinstance(value, dict | list):
            counts[field.name] = len(value)
    return counts


def inject_traceparent(request: httpx.Request) -> None:
    """The current span's W3C `traceparent` on the request (`_transport.GuardedTransport` calls it
    on every request it sends, so `hb.raw`'s requests carry it too)."""
    if tracing():
        try:
            _propagate.inject(request.headers)
        except Exception as exc:  # a propagator the application configured
            user_code_failed("an OpenTelemetry propagator", exc)

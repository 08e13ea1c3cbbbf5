"""OpenTelemetry spans and metrics, when `opentelemetry-api` is installed and configured.

Install `homebase-async[otel]`. Without the package, or while no tracer (meter) provider is
configured, every function here returns at its first test: no span objects, no attributes.

* One CLIENT span per SDK call, named `"{METHOD} {url.template}"`, with the HTTP client
  semantic-convention attributes, `http.request.resend_count` when retried and
  `homebase.operation` (the spec's operationId).
* One INTERNAL span per bulk helper run (`homebase.customers.lookup`, ...) with item counts.
* W3C `traceparent` on each request while a span is current (an httpx request hook).
* `http.client.request.duration` (s) and `homebase.client.requests`, by operation and status.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

if TYPE_CHECKING:
    from ._request import Operation

try:
    from opentelemetry import metrics as _metrics
    from opentelemetry import propagate as _propagate
    from opentelemetry import trace as _trace

    _OTEL = True
except ImportError:  # pragma: no cover - depends on the installed extras
    _OTEL = False

__all__ = ["Telemetry", "bulk_span", "inject_traceparent", "outcome_counts", "tracing"]

_SCOPE = "homebase_async"
_NO_PROVIDER = ("ProxyTracerProvider", "NoOpTracerProvider", "_ProxyMeterProvider")
_NO_METER = ("_ProxyMeterProvider", "NoOpMeterProvider")


def tracing() -> bool:
    """Whether spans are recorded: the API is installed and a real provider is set."""
    if not _OTEL:
        return False
    return type(_trace.get_tracer_provider()).__name__ not in _NO_PROVIDER


def _metering() -> bool:
    if not _OTEL:
        return False
    return type(_metrics.get_meter_provider()).__name__ not in _NO_METER


class _Instruments:
    """The two instruments, made once per meter provider."""

    def __init__(self) -> None:
        self._provider: object = None
        self.duration: Any = None
        self.requests: Any = None

    def get(self) -> _Instruments:
        provider = _metrics.get_meter_provider()
        if provider is not self._provider:
            meter = provider.get_meter(_SCOPE)
            self.duration = meter.create_histogram(
                "http.client.request.duration", unit="s", description="SDK call duration"
            )
            self.requests = meter.create_counter(
                "homebase.client.requests", unit="{request}", description="SDK calls"
            )
            self._provider = provider
        return self


_INSTRUMENTS = _Instruments()


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

    __slots__ = ("_attributes", "_span_cm", "_started", "outcome", "span")

    def __init__(self, telemetry: Telemetry, op: Operation) -> None:
        self._attributes: dict[str, Any] = {
            "http.request.method": op.method,
            "url.template": op.path,
            "server.address": telemetry.address,
            "server.port": telemetry.port,
            "homebase.operation": op.name,
        }
        self.outcome: dict[str, Any] = {}
        self._span_cm: Any = None
        self.span: Any = None
        if tracing():
            self._span_cm = _trace.get_tracer(_SCOPE).start_as_current_span(
                f"{op.method} {op.path}",
                kind=_trace.SpanKind.CLIENT,
                attributes=self._attributes,
                record_exception=False,
                set_status_on_exception=False,
            )
        self._started = 0.0

    def __enter__(self) -> dict[str, Any]:
        self._started = time.perf_counter()
        if self._span_cm is not None:
            self.span = self._span_cm.__enter__()
        return self.outcome

    def __exit__(self, *exc_info: object) -> None:
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
            self._span_cm.__exit__(None, None, None)
        if _metering():
            labels = {
                "http.request.method": self._attributes["http.request.method"],
                "url.template": self._attributes["url.template"],
                "homebase.operation": self._attributes["homebase.operation"],
            }
            for key in ("http.response.status_code", "error.type"):
                if key in final:
                    labels[key] = final[key]
            instruments = _INSTRUMENTS.get()
            instruments.duration.record(took, labels)
            instruments.requests.add(1, labels)


@contextlib.contextmanager
def bulk_span(name: str) -> Iterator[dict[str, int]]:
    """Around a bulk helper run: yields a dict of item counts by outcome to fill in.

    The span is current while the run's tasks are made, so the calls' spans sit beneath it.
    """
    counts: dict[str, int] = {}
    if not tracing():
        yield counts
        return
    with _trace.get_tracer(_SCOPE).start_as_current_span(
        name, kind=_trace.SpanKind.INTERNAL
    ) as span:
        try:
            yield counts
        finally:
            for key, value in counts.items():
                span.set_attribute(f"homebase.items.{key}", value)


def outcome_counts(report: object) -> dict[str, int]:
    """Item counts by outcome of a bulk report: the size of each of its dict or list fields."""
    fields = getattr(type(report), "__attrs_attrs__", ())
    counts = {}
    for field in fields:
        value = getattr(report, field.name)
        if isinstance(value, dict | list):
            counts[field.name] = len(value)
    return counts


async def inject_traceparent(request: httpx.Request) -> None:
    """An httpx request hook: the current span's W3C `traceparent` on the request."""
    if tracing():
        _propagate.inject(request.headers)

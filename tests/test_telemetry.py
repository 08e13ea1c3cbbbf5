"""OpenTelemetry spans, metrics and trace propagation, request ids, SDK events (issue 15).

The OpenTelemetry SDK's in-memory exporter and metric reader stand in for a real backend; the
global providers are swapped in per test and restored, so other tests run without telemetry.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import opentelemetry.metrics._internal as metrics_internal
import pytest
from _support import API_KEY
from opentelemetry import trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from homebase_async import (
    HomebaseClient,
    NotFoundError,
    RawResponse,
    RetryPolicy,
    SdkEvent,
    ServerError,
    _logging,
)
from homebase_async._telemetry import tracing
from homebase_async.testing import FakeHomebase, Faults


class Recording(httpx.AsyncBaseTransport):
    """Passes requests to the fake and keeps the headers each one carried."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.headers: list[httpx.Headers] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.headers.append(request.headers.copy())
        return await self.inner.handle_async_request(request)


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", provider)
    yield exporter
    provider.shutdown()


@pytest.fixture
def metric_reader(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemoryMetricReader]:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    monkeypatch.setattr(metrics_internal, "_METER_PROVIDER", provider)
    yield reader
    provider.shutdown()


def client_of(fake: FakeHomebase, transport: httpx.AsyncBaseTransport, **options: Any) -> Any:
    return HomebaseClient(fake.api_key, base_url=fake.base_url, transport=transport, **options)


def attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


async def test_no_provider_no_spans() -> None:
    assert not tracing()


async def test_a_plain_call_is_one_client_span(spans: InMemorySpanExporter) -> None:
    fake = FakeHomebase()
    recording = Recording(fake.transport())
    async with client_of(fake, recording) as hb:
        await hb.ping()
    [span] = spans.get_finished_spans()
    assert span.name == "GET /ping"
    assert span.kind is trace.SpanKind.CLIENT
    assert attributes(span) == {
        "http.request.method": "GET",
        "url.template": "/ping",
        "server.address": "127.0.0.1",
        "server.port": 80,
        "homebase.operation": "ping",
        "http.response.status_code": 200,
    }
    # The W3C traceparent of that span reached the fake.
    [headers] = recording.headers
    context = span.get_span_context()
    assert context is not None
    trace_id = format(context.trace_id, "032x")
    span_id = format(context.span_id, "016x")
    assert headers["traceparent"].startswith(f"00-{trace_id}-{span_id}-")


async def test_a_retried_call_counts_its_resends(spans: InMemorySpanExporter) -> None:
    fake = FakeHomebase()
    fake.add_customer(first_name="Ada", email="ada@example.com")
    async with client_of(fake, fake.transport()) as hb:
        with (
            fake.faults_applied(Faults(error_rates={503: 1.0}, seed=1)),
            pytest.raises(ServerError),
        ):
            await hb.with_options(retry=RetryPolicy(max_attempts=3)).customers.search(
                email="ada@example.com"
            )
    [span] = spans.get_finished_spans()
    assert span.name == "GET /customers"
    assert attributes(span)["http.request.resend_count"] == 2
    assert attributes(span)["http.response.status_code"] == 503
    assert attributes(span)["error.type"] == "ServerError"
    assert span.status.status_code is trace.StatusCode.ERROR


async def test_a_failed_call_names_the_error(spans: InMemorySpanExporter) -> None:
    fake = FakeHomebase()
    async with client_of(fake, fake.transport()) as hb:
        with pytest.raises(NotFoundError):
            await hb.jobs.update("nope0000000000000000", note="x")
    [span] = spans.get_finished_spans()
    assert span.name == "PUT /jobs/{jobId}"
    assert attributes(span)["error.type"] == "NotFoundError"
    assert attributes(span)["http.response.status_code"] == 404
    assert "http.request.resend_count" not in attributes(span)


async def test_a_bulk_run_is_one_span_above_its_calls(spans: InMemorySpanExporter) -> None:
    fake = FakeHomebase()
    for i in range(5):
        fake.add_customer(first_name=f"C{i}", email=f"c{i}@example.com")
    async with client_of(fake, fake.transport()) as hb:
        result = await hb.customers.lookup([f"c{i}@example.com" for i in range(7)])
    assert len(result.matches) == 5
    finished = spans.get_finished_spans()
    [bulk] = [s for s in finished if s.name == "homebase.customers.lookup"]
    calls = [s for s in finished if s.name == "GET /customers"]
    assert calls
    bulk_context = bulk.get_span_context()
    assert bulk_context is not None
    for call in calls:
        assert call.parent is not None
        assert call.parent.span_id == bulk_context.span_id
    assert attributes(bulk)["homebase.items.matched"] == 5
    assert attributes(bulk)["homebase.items.missing"] == 2
    assert attributes(bulk)["homebase.items.failed"] == 0


async def test_metrics_count_calls_by_operation_and_status(
    metric_reader: InMemoryMetricReader,
) -> None:
    fake = FakeHomebase()
    async with client_of(fake, fake.transport()) as hb:
        await hb.ping()
        await hb.ping()
    data = metric_reader.get_metrics_data()
    assert data is not None
    points: dict[str, Any] = {}
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                points[metric.name] = list(metric.data.data_points)
    [duration] = points["http.client.request.duration"]
    assert duration.count == 2  # the request count, by the same attributes
    assert duration.attributes["homebase.operation"] == "ping"
    assert duration.attributes["http.response.status_code"] == 200
    assert 0 < duration.sum < 5


async def test_sdk_events_reach_callbacks() -> None:
    fake = FakeHomebase()
    events: list[SdkEvent] = []
    hooks = {"retry": [events.append], "give_up": [events.append]}
    async with client_of(fake, fake.transport(), event_hooks=hooks) as hb:
        with (
            fake.faults_applied(Faults(error_rates={502: 1.0}, seed=2)),
            pytest.raises(ServerError),
        ):
            await hb.with_options(retry=RetryPolicy(max_attempts=2)).ping()
    assert [(e.kind, e.attempt) for e in events] == [("retry", 1), ("give_up", 2)]
    assert events[1].reason == "attempts used up"
    assert isinstance(events[1].error, ServerError)


async def test_httpx_hooks_see_every_response_and_can_add_headers() -> None:
    fake = FakeHomebase()
    recording = Recording(fake.transport())
    statuses: list[int] = []

    async def sign(request: httpx.Request) -> None:
        request.headers["x-signed"] = "yes"

    async def record(response: httpx.Response) -> None:
        statuses.append(response.status_code)

    hooks = {"request": [sign], "response": [record]}
    async with client_of(fake, recording, event_hooks=hooks) as hb:
        await hb.ping()
        with pytest.raises(NotFoundError):
            await hb.jobs.update("nope0000000000000000", note="x")
    assert statuses == [200, 404]
    assert all(h["x-signed"] == "yes" for h in recording.headers)


async def test_with_raw_response_goes_through_retries() -> None:
    fake = FakeHomebase()
    async with client_of(fake, fake.transport()) as hb:
        with (
            fake.faults_applied(Faults(error_rates={503: 1.0}, seed=3)),
            pytest.raises(ServerError),
        ):
            await hb.with_raw_response.ping()
        raw = await hb.with_raw_response.ping()
        assert isinstance(raw, RawResponse)
        assert raw.status_code == 200
        assert raw.parsed.email == fake.business_email
        assert raw.attempts == 1
        with pytest.raises(AttributeError, match="single-request"):
            hb.with_raw_response.customers.lookup  # noqa: B018


async def test_with_options_headers_reach_the_server() -> None:
    fake = FakeHomebase()
    recording = Recording(fake.transport())
    async with client_of(fake, recording) as hb:
        await hb.with_options(headers={"x-run": "nightly"}).ping()
        await hb.ping()
    assert recording.headers[0]["x-run"] == "nightly"
    assert "x-run" not in recording.headers[1]
    assert recording.headers[0]["x-api-key"] == fake.api_key != API_KEY


async def test_the_readme_console_example_prints_the_span(tmp_path: Path) -> None:
    """The README's Observability program, run alone (it sets the process's provider)."""
    text = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = text.split("### Observability", 1)[1]
    [program] = [
        block
        for block in re.findall(r"^```python\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
        if "ConsoleSpanExporter" in block
    ]
    script = tmp_path / "observability.py"
    script.write_text(program, encoding="utf-8")
    fake = FakeHomebase()
    async with fake.serve() as base_url:
        env = {**os.environ, "HOMEBASE_API_KEY": fake.api_key, "HOMEBASE_BASE_URL": base_url}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(script),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert '"name": "GET /ping"' in out.decode()
    assert '"homebase.operation": "ping"' in out.decode()


async def test_a_bulk_write_run_counts_its_outcomes(spans: InMemorySpanExporter) -> None:
    fake = FakeHomebase()
    items = [{"first_name": f"C{i}", "email": f"c{i}@example.com"} for i in range(3)]
    items.append({"first_name": "No contact"})  # refused before any request: failed
    async with client_of(fake, fake.transport()) as hb:
        report = await hb.customers.create_many(items)
    assert len(report.created) == 3
    finished = spans.get_finished_spans()
    [bulk] = [s for s in finished if s.name == "homebase.customers.create_many"]
    assert attributes(bulk)["homebase.items.created"] == 3
    assert attributes(bulk)["homebase.items.failed"] == 1
    assert attributes(bulk)["homebase.items.outcome_unknown"] == 0
    posts = [s for s in finished if s.name == "POST /customers"]
    assert len(posts) == 3
    bulk_context = bulk.get_span_context()
    assert bulk_context is not None
    assert all(p.parent is not None and p.parent.span_id == bulk_context.span_id for p in posts)


START, END = dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 3, 1, tzinfo=dt.UTC)


def _children(finished: Any, parent: ReadableSpan, name: str) -> list[ReadableSpan]:
    context = parent.get_span_context()
    assert context is not None
    return [
        s for s in finished if s.name == name and s.parent and s.parent.span_id == context.span_id
    ]


async def test_a_listing_is_one_span_above_its_requests(spans: InMemorySpanExporter) -> None:
    fake = FakeHomebase()
    fake.populate(customers=5, jobs=300, leads=20, start=START, end=END, seed=3)
    start, end = "2025-01-01T00:00:00Z", "2025-03-01T00:00:00Z"
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("nightly") as outer:
        async with client_of(fake, fake.transport()) as hb:
            async with hb.jobs.iterate(start, end) as listing:
                jobs = [job async for job in listing]
            leads = [lead async for lead in hb.leads.iterate()]
    assert len(jobs) == 300
    finished = spans.get_finished_spans()
    [listing_span] = [s for s in finished if s.name == "homebase.jobs.iterate"]
    assert attributes(listing_span)["homebase.items.yielded"] == 300
    assert listing_span.parent is not None
    assert listing_span.parent.span_id == outer.get_span_context().span_id
    requests = [s for s in finished if s.name == "GET /jobs"]
    assert len(requests) >= 3  # 300 jobs take several windows
    assert _children(finished, listing_span, "GET /jobs") == requests
    [leads_span] = [s for s in finished if s.name == "homebase.leads.iterate"]
    assert attributes(leads_span)["homebase.items.yielded"] == len(leads)
    assert len(_children(finished, leads_span, "GET /leads")) == 5  # one query per status


async def test_a_listing_left_early_or_failing_ends_its_span(spans: InMemorySpanExporter) -> None:
    fake = FakeHomebase()
    fake.populate(customers=5, jobs=300, leads=20, start=START, end=END, seed=3)
    start, end = "2025-01-01T00:00:00Z", "2025-03-01T00:00:00Z"
    async with client_of(fake, fake.transport(), retry=RetryPolicy(max_attempts=1)) as hb:
        async with hb.jobs.iterate(start, end) as listing:
            async for _ in listing:
                break
        fake.set_faults(Faults(error_rates={503: 1.0}))
        with pytest.raises(ServerError):
            async for _ in hb.jobs.iterate(start, end):
                pass
    first, failed = [s for s in spans.get_finished_spans() if s.name == "homebase.jobs.iterate"]
    assert attributes(first)["homebase.items.yielded"] == 1
    assert "error.type" not in attributes(first)
    assert attributes(failed)["error.type"] == "ServerError"
    assert failed.status.status_code == trace.StatusCode.ERROR


class Raising(SpanProcessor):
    """A span processor of the application's that fails at the start or end of every span."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.calls = 0

    def on_start(self, span: Any, parent_context: Any = None) -> None:
        if self.where == "start":
            self.calls += 1
            raise RuntimeError("processor broke on start")

    def on_end(self, span: Any) -> None:
        if self.where == "end":
            self.calls += 1
            raise RuntimeError("processor broke on end")


@pytest.mark.parametrize("where", ["start", "end"])
async def test_a_raising_span_processor_changes_no_outcome(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, where: str
) -> None:
    provider = TracerProvider()
    raising = Raising(where)
    provider.add_span_processor(raising)
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", provider)
    monkeypatch.setattr(_logging, "_reported", set())
    fake = FakeHomebase()
    items = [{"first_name": f"C{i}", "email": f"c{i}@example.com"} for i in range(4)]
    with caplog.at_level(logging.WARNING, logger="homebase_async"):
        async with client_of(fake, fake.transport()) as hb:
            report = await hb.customers.create_many(items)
            await hb.ping()
    assert sorted(report.created) == [0, 1, 2, 3]
    assert not report.failed
    assert not report.outcome_unknown
    assert len(fake.requests) == 5
    assert raising.calls >= 5  # it did raise, every time
    warnings = [r for r in caplog.records if "span processor" in r.getMessage()]
    # Logged once per place (the call span, the bulk span), not once per call.
    assert 1 <= len(warnings) <= 2
    provider.shutdown()

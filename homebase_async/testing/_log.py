"""The request log: one record per request, and running counters for assertions."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import attrs

from ._app import ROUTES
from ._common import API_PREFIX

# Path templates from the app's own route table, so the log cannot miss a route.
_TEMPLATES = [
    (re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path))), path)
    for path in dict.fromkeys(path for path, _, _ in ROUTES)
]


@attrs.define(kw_only=True)
class RequestRecord:
    """One request the fake received.

    `route` is the operation's path template relative to the base URL (None when unknown).
    `status` is what the server produced: the handler's status, the injected error's status,
    or None when the connection was dropped before processing. `fault` names the injected
    fault (`"error_503"`, `"drop_before"`, `"drop_after"`, `"slow_after"`) or is None;
    `latency` is the delay added before processing. `body` is the parsed JSON of a write.
    """

    method: str
    path: str
    route: str | None
    query: dict[str, str]
    body: Any = None
    status: int | None = None
    fault: str | None = None
    latency: float = 0.0


@attrs.frozen(kw_only=True)
class RequestStats:
    """Counters over every request since the last `reset_log()`."""

    total: int
    by_route: dict[tuple[str, str | None], int]
    by_status: dict[int | None, int]
    by_fault: dict[str, int]


def route_of(path: str) -> str | None:
    if not path.startswith(API_PREFIX):
        return None
    relative = path[len(API_PREFIX) :]
    for pattern, template in _TEMPLATES:
        if pattern.fullmatch(relative):
            return template
    return None


def parse_body(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


class RequestLog:
    """Records and counters; counters are kept up to date so reading them is cheap."""

    def __init__(self) -> None:
        self.records: list[RequestRecord] = []
        self._routes: Counter[tuple[str, str | None]] = Counter()
        self._statuses: Counter[int | None] = Counter()
        self._faults: Counter[str] = Counter()

    def begin(self, method: str, path: str, query: dict[str, str], body: bytes) -> RequestRecord:
        route = route_of(path)
        parsed = parse_body(body) if method in ("POST", "PUT", "PATCH") else None
        record = RequestRecord(method=method, path=path, route=route, query=query, body=parsed)
        self.records.append(record)
        self._routes[method, route] += 1
        return record

    def finish(self, record: RequestRecord, status: int | None) -> None:
        record.status = status
        self._statuses[status] += 1
        if record.fault is not None:
            self._faults[record.fault] += 1

    def stats(self) -> RequestStats:
        return RequestStats(
            total=len(self.records),
            by_route=dict(self._routes),
            by_status=dict(self._statuses),
            by_fault=dict(self._faults),
        )

    def reset(self) -> None:
        self.records.clear()
        self._routes.clear()
        self._statuses.clear()
        self._faults.clear()

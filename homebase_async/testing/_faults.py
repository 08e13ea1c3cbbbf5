"""Fault injection: what to break, and the seeded draw that decides it per request."""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Collection, Mapping
from email.utils import formatdate
from http import HTTPStatus
from typing import Any, Literal, TypeAlias

import attrs

FaultKind: TypeAlias = Literal["error", "drop_before", "drop_after", "slow_after"]
RetryAfterForm: TypeAlias = Literal["seconds", "http-date"]

_HTML_PAGE = """<html><head>
<meta http-equiv="content-type" content="text/html;charset=utf-8">
<title>{status} {phrase}</title>
</head>
<body text=#000000 bgcolor=#ffffff>
<h1>Error: {phrase}</h1>
<h2>The server encountered a temporary error and could not complete your request.<p>\
Please try again in 30 seconds.</h2>
<h2></h2>
</body></html>
"""
_MESSAGES = {
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def _probability(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must be a probability between 0 and 1, not {value}")


def _check_latency(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    low, high = value if isinstance(value, tuple) else (value, value)
    if not (isinstance(low, int | float) and isinstance(high, int | float) and 0 <= low <= high):
        raise ValueError(f"latency must be >= 0 seconds, or a (min, max) range; got {value!r}")


def _freeze_rates(rates: Mapping[int, float]) -> dict[int, float]:
    return {int(status): float(rate) for status, rate in sorted(rates.items())}


def _freeze_set(values: Collection[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


@attrs.frozen(kw_only=True)
class Faults:
    """What the fake breaks, drawn per request from `seed` (same requests, same faults).

    At most one of the error, drop and slow faults hits a request (their rates add up to at
    most 1); `latency` is added to every faulted-or-not request, before processing.

    - `latency`: seconds, or a `(min, max)` range drawn uniformly.
    - `error_rates`: status -> probability, e.g. `{503: 0.1, 429: 0.05}`. The request is not
      processed (no write happens). Bodies are the JSON error envelope, or with `html_errors`
      an HTML page as the Google front end sends.
    - `retry_after`: on injected 429s, `"seconds"`, `"http-date"` or None (no header),
      for a wait of `retry_after_value` seconds.
    - `drop_before`: the connection closes before the request is processed.
    - `drop_after`: the request is processed (the write happens), then the connection
      closes mid-response.
    - `slow_after`: the request is processed, then the response waits `slow_delay` seconds.
    - `paths`: only requests whose path (relative to the base URL) starts with one of
      these, e.g. `{"/jobs", "/messages/send"}`; `methods`: only these methods.
    """

    latency: float | tuple[float, float] = attrs.field(default=0.0, validator=_check_latency)
    error_rates: dict[int, float] = attrs.field(factory=dict, converter=_freeze_rates, hash=False)
    retry_after: RetryAfterForm | None = attrs.field(
        default="seconds", validator=attrs.validators.in_(("seconds", "http-date", None))
    )
    retry_after_value: float = attrs.field(default=1.0, validator=attrs.validators.ge(0.0))
    html_errors: bool = False
    drop_before: float = attrs.field(default=0.0, validator=_probability)
    drop_after: float = attrs.field(default=0.0, validator=_probability)
    slow_after: float = attrs.field(default=0.0, validator=_probability)
    slow_delay: float = attrs.field(default=60.0, validator=attrs.validators.ge(0.0))
    seed: int = 0
    paths: frozenset[str] | None = attrs.field(default=None, converter=_freeze_set)
    methods: frozenset[str] | None = attrs.field(default=None, converter=_freeze_set)

    def __attrs_post_init__(self) -> None:
        for status, rate in self.error_rates.items():
            if not 400 <= status <= 599:
                raise ValueError(f"error_rates keys must be 4xx or 5xx statuses, not {status}")
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"error rate for {status} must be between 0 and 1, not {rate}")
        total = sum(self.error_rates.values()) + self.drop_before + self.drop_after
        if total + self.slow_after > 1.0 + 1e-9:
            raise ValueError("error, drop and slow rates must add up to at most 1")


@attrs.frozen
class Decision:
    """The faults chosen for one request, with the settings they were drawn from."""

    latency: float = 0.0
    kind: FaultKind | None = None
    status: int = 0
    faults: Faults = attrs.field(factory=Faults, eq=False)

    @property
    def name(self) -> str | None:
        if self.kind == "error":
            return f"error_{self.status}"
        return self.kind

    def error_response(self) -> tuple[list[tuple[str, str]], bytes]:
        """Headers and body of the injected error."""
        return error_response(self.faults, self.status)


_NONE = Decision()


class FaultInjector:
    """Draws a `Decision` per request from the seeded stream of its `Faults`."""

    def __init__(self, faults: Faults | None) -> None:
        self.faults = faults
        self._rng = random.Random(faults.seed if faults is not None else 0)
        self._choices: list[tuple[float, FaultKind, int]] = []
        if faults is not None:
            cumulative = 0.0
            table: list[tuple[float, FaultKind, int]] = [
                *((rate, "error", status) for status, rate in faults.error_rates.items()),
                (faults.drop_before, "drop_before", 0),
                (faults.drop_after, "drop_after", 0),
                (faults.slow_after, "slow_after", 0),
            ]
            for rate, kind, status in table:
                if rate > 0:
                    cumulative += rate
                    self._choices.append((cumulative, kind, status))

    def decide(self, method: str, relative_path: str) -> Decision:
        faults = self.faults
        if faults is None or not self._applies(faults, method, relative_path):
            return _NONE
        latency = faults.latency
        delay = self._rng.uniform(*latency) if isinstance(latency, tuple) else latency
        draw = self._rng.random()
        for threshold, kind, status in self._choices:
            if draw < threshold:
                return Decision(delay, kind, status, faults)
        return Decision(delay, faults=faults) if delay else _NONE

    @staticmethod
    def _applies(faults: Faults, method: str, relative_path: str) -> bool:
        if faults.methods is not None and method not in faults.methods:
            return False
        if faults.paths is None:
            return True
        return any(relative_path.startswith(prefix) for prefix in faults.paths)


def error_response(faults: Faults, status: int) -> tuple[list[tuple[str, str]], bytes]:
    """Headers and body of an injected error."""
    phrase = _phrase(status)
    headers: list[tuple[str, str]] = []
    if faults.html_errors:
        body = _HTML_PAGE.format(status=status, phrase=phrase).encode()
        headers.append(("content-type", "text/html; charset=UTF-8"))
    else:
        message = _MESSAGES.get(status, phrase)
        body = json.dumps({"success": False, "error": message}).encode()
        headers.append(("content-type", "application/json"))
    if status == 429 and faults.retry_after is not None:
        headers.append(("retry-after", _retry_after(faults.retry_after, faults.retry_after_value)))
    headers.append(("content-length", str(len(body))))
    return headers, body


def _retry_after(form: RetryAfterForm, seconds: float) -> str:
    # Both forms have whole-second resolution: round up so a client never retries too early.
    if form == "seconds":
        return str(math.ceil(seconds))
    return formatdate(math.ceil(time.time() + seconds), usegmt=True)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"

"""Client settings: the one frozen `Settings` holder, the retry policy, every DEFAULT_*.

`HomebaseClient` checks its arguments once into a `Settings`; `with_options` copies derive
theirs with `attrs.evolve`, so a setting is declared, checked and stored in one place. What a
client and its copies share at run time (the pool, permits, budgets) is not a setting: it is
`_request.Shared`.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal
from urllib.parse import urlsplit

import attrs
import httpx

from ._errors import ConfigurationError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_BUDGET_MAX_AGE",
    "DEFAULT_KEEPALIVE_EXPIRY",
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_TIMEOUT",
    "HttpBackend",
    "RetryPolicy",
    "Secret",
    "Settings",
    "check_api_key",
    "check_base_url",
    "check_proxy",
    "deadline_of",
    "make_timeout",
    "proxy_label",
]

HttpBackend = Literal["httpx", "aiohttp"]


def _positive(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value > 0:  # also refuses NaN
        raise ValueError(f"{attribute.name} must be positive, got {value!r}")


def _non_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value >= 0:  # also refuses NaN
        raise ValueError(f"{attribute.name} must not be negative, got {value!r}")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How failed calls are retried. Frozen; pass `retry=None` to the client to turn retries off.

    After failed attempt *n* (counting from 1) the wait is
    `min(max_backoff, initial_backoff * 2 ** (n - 1) + random jitter up to jitter)`, unless the
    server sent `Retry-After`, which is honoured up to `max_retry_after`; a longer wait raises
    `RateLimitError` instead of sleeping.

    The retry budget follows gRPC's retry throttling: every failed attempt spends one token,
    every success earns back `budget_refill` tokens, and retries stop once half of
    `budget_tokens` or fewer are left, so a failing server does not receive a multiple of the
    load. The budget belongs to the client: copies made by `with_options` share it, sized by
    the policy the client was built with.
    """

    # Six attempts: at a 20 % failure rate one call in ~16,000 still fails, where four left
    # one in 600 (a bulk run of thousands of calls would see several); the budget bounds load.
    max_attempts: int = attrs.field(
        default=6, validator=[attrs.validators.instance_of(int), attrs.validators.ge(1)]
    )
    total_timeout: float = attrs.field(default=60.0, validator=_positive)
    initial_backoff: float = attrs.field(default=0.25, validator=_non_negative)
    max_backoff: float = attrs.field(default=8.0, validator=_non_negative)
    jitter: float = attrs.field(default=0.25, validator=_non_negative)
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative)
    # 50 tokens absorb a burst of failures among many requests in flight without cutting
    # retries off; a refill of 0.5 keeps retrying while up to a third of attempts fail
    # (break-even r / (1 + r)), and an outage still costs at most 25 retries in all.
    budget_tokens: float = attrs.field(default=50.0, validator=_positive)
    budget_refill: float = attrs.field(default=0.5, validator=_non_negative)


class Secret(str):
    """The API key: its value goes on the wire, its repr never shows it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"


def make_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    """An explicit timeout for each phase; the generated client's default is none at all."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise ValueError(f"timeout must be seconds or an httpx.Timeout, got {timeout!r}")
    if not timeout > 0:  # also refuses NaN
        raise ValueError(f"timeout must be positive, got {timeout!r}")
    # Connecting and waiting for a pooled connection should fail faster than a slow read.
    return httpx.Timeout(timeout, connect=min(timeout, 10.0), pool=timeout)


def deadline_of(timeout: httpx.Timeout) -> float | None:
    """The whole request's deadline: the largest phase of the timeout (a float `t` gives t).

    httpx bounds each phase (each socket read, for one); a server that trickles a byte at a
    time would keep a call alive for ever, so the request path also bounds the whole request.
    """
    phases = [v for v in (timeout.connect, timeout.read, timeout.write, timeout.pool) if v]
    return max(phases) if phases else None


def check_api_key(key: str | None) -> Secret:
    """The key as given, or ConfigurationError: never quoting it, not even in part.

    A key read with `open(f).read()` keeps its newline; sent as it is, the header is refused
    by httpx with the key in the error text, and a 401 would say nothing about why.
    """
    if not key:
        raise ConfigurationError(
            "no API key: pass api_key=... or set the HOMEBASE_API_KEY environment variable"
        )
    if not isinstance(key, str):
        raise ConfigurationError(f"api_key must be a str, got {type(key).__name__}")
    if key != key.strip():
        raise ConfigurationError(
            "the API key has leading or trailing whitespace (a newline from reading a file?); "
            "strip it"
        )
    for position, char in enumerate(key):
        if not " " < char < "\x7f":
            what = "a space" if char == " " else "a control character or non-ASCII character"
            raise ConfigurationError(
                f"the API key has {what} at position {position}; an API key is printable ASCII"
            )
    return Secret(key)


def check_base_url(base_url: str) -> str:
    """Refuse plain HTTP except to this machine: the API key travels in a header."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"base_url must be an http(s) URL, got {base_url!r}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigurationError(
            "base_url must use https (plain http is allowed only to a loopback host): "
            f"{parts.scheme}://{parts.hostname}"
        )
    return base_url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def proxy_label(proxy: str) -> str:
    """The proxy URL without its user and password: how errors and reprs name it."""
    try:
        parts = urlsplit(proxy)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the proxy"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}"


def check_proxy(proxy: str | None) -> str | None:
    """An http(s) proxy URL, or ConfigurationError naming it without its credentials."""
    if proxy is None:
        return None
    if not isinstance(proxy, str):
        raise ConfigurationError(f"proxy must be a URL string, got {type(proxy).__name__}")
    try:
        parts = urlsplit(proxy)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ConfigurationError(f"proxy is not a valid URL: {proxy_label(proxy)}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"proxy must be an http:// or https:// URL, got {proxy_label(proxy)}"
        )
    return proxy


def _headers(value: Mapping[str, str]) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigurationError(f"headers must map str to str, got {value!r}")
    return MappingProxyType(dict(value))


def _int_at_least(name: str, value: object, minimum: int, unit: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}{unit}, got {value}")
    return value


def _seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigurationError(f"{name} must be positive seconds, got {value!r}")
    if not math.isfinite(value):
        raise ConfigurationError(f"{name} must be finite, got {value!r}")
    return float(value)


def _retry(value: RetryPolicy | None) -> RetryPolicy | None:
    if value is not None and not isinstance(value, RetryPolicy):
        raise ConfigurationError(f"retry must be a RetryPolicy or None, got {value!r}")
    return value


def _timeout(value: float | httpx.Timeout) -> httpx.Timeout:
    try:
        return make_timeout(value)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None


@attrs.frozen(kw_only=True)
class Settings:
    """Every setting of a client, checked once; `with_options` copies evolve it.

    Set at construction only (shared with the copies, as the pool is): the key, the URL, the
    pool's size and backend, the proxy. A copy may change `timeout`, `retry` and `headers`.
    """

    api_key: Secret = attrs.field(converter=check_api_key)
    base_url: str = attrs.field(converter=check_base_url)
    timeout: httpx.Timeout = attrs.field(converter=_timeout)
    retry: RetryPolicy | None = attrs.field(converter=_retry)
    headers: Mapping[str, str] = attrs.field(converter=_headers)
    max_concurrency: int
    max_response_size: int
    keepalive_expiry: float
    budget_max_age: float
    http_backend: HttpBackend
    proxy: str | None = attrs.field(converter=check_proxy)
    trust_env: bool
    #: The whole request's deadline, derived from `timeout` (read on every call).
    deadline: float | None = attrs.field(
        init=False, default=attrs.Factory(lambda s: deadline_of(s.timeout), takes_self=True)
    )

    def __attrs_post_init__(self) -> None:
        _int_at_least("max_concurrency", self.max_concurrency, 1)
        _int_at_least("max_response_size", self.max_response_size, 1024, " bytes")
        _seconds("keepalive_expiry", self.keepalive_expiry)
        _seconds("budget_max_age", self.budget_max_age)
        if self.http_backend not in ("httpx", "aiohttp"):
            raise ConfigurationError(
                f'http_backend must be "httpx" or "aiohttp", got {self.http_backend!r}'
            )
        if not isinstance(self.trust_env, bool):
            raise ConfigurationError(f"trust_env must be True or False, got {self.trust_env!r}")


DEFAULT_BASE_URL = "https://us-central1-homebase-360.cloudfunctions.net/api/v1"
DEFAULT_TIMEOUT = 30.0
# The largest legitimate answer, 100 jobs each with its customer and line items, is a few
# hundred KiB; 16 MiB is far above it and far below what hurts a process.
DEFAULT_MAX_RESPONSE_SIZE = 16 * 1024 * 1024
DEFAULT_MAX_CONCURRENCY = 16
# Kept below the 10 s idle timeout common to load balancers in front of Cloud Functions, so
# the client drops an idle connection before the server does.
DEFAULT_KEEPALIVE_EXPIRY = 5.0
# The SMS counter also moves when other tools of the business send; re-read it this often.
DEFAULT_BUDGET_MAX_AGE = 300.0

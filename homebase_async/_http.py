"""The httpx side: the shared transport, the AsyncClient, and the error seam.

Every response passes `raise_for_status` (an httpx response hook) before the generated code
sees it, so non-2xx statuses become typed errors there, including non-IANA ones such as 520
that the generated `HTTPStatus(...)` call cannot represent (openapi-python-client#1442).
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Literal
from urllib.parse import urlsplit

import httpx

from ._errors import (
    ConfigurationError,
    HomebaseError,
    RequestTimeoutError,
    TransportError,
    make_status_error,
)
from ._ratelimit import parse_retry_after

__all__ = [
    "HttpBackend",
    "build_httpx_client",
    "build_transport",
    "check_base_url",
    "map_transport_error",
    "raise_for_status",
    "request_not_sent",
]

HttpBackend = Literal["httpx", "aiohttp"]
_log = logging.getLogger("homebase_async")


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


def build_transport(
    backend: HttpBackend | str, max_concurrency: int, keepalive_expiry: float
) -> httpx.AsyncBaseTransport:
    """A pooled transport with as many kept-alive connections as requests in flight."""
    # Keeping fewer idle connections than the cap would make every burst reconnect.
    limits = httpx.Limits(
        max_connections=max_concurrency,
        max_keepalive_connections=max_concurrency,
        keepalive_expiry=keepalive_expiry,
    )
    if backend == "httpx":
        # retries=1 lets httpcore retry a failed *connect*, which never reached the server.
        return httpx.AsyncHTTPTransport(limits=limits, retries=1)
    if backend == "aiohttp":
        try:
            from httpx_aiohttp import AiohttpTransport
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise ConfigurationError(
                'http_backend="aiohttp" needs the extra: pip install "homebase-async[aiohttp]"'
            ) from None
        return AiohttpTransport(limits=limits)
    raise ConfigurationError(f'http_backend must be "httpx" or "aiohttp", got {backend!r}')


async def raise_for_status(response: httpx.Response) -> None:
    """Turn a non-2xx response into its typed error before the generated parser runs."""
    if response.is_success:
        return
    await response.aread()
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    raise make_status_error(response, retry_after=retry_after)


def build_httpx_client(
    *,
    base_url: str,
    api_key: str,
    timeout: httpx.Timeout,
    transport: httpx.AsyncBaseTransport,
    user_agent: str,
) -> httpx.AsyncClient:
    """An AsyncClient over a shared transport; it never follows redirects (the key would)."""
    return httpx.AsyncClient(
        base_url=base_url,
        headers={"x-api-key": api_key, "user-agent": user_agent},
        timeout=timeout,
        transport=transport,
        follow_redirects=False,
        event_hooks={"response": [raise_for_status]},
    )


def _aiohttp_cause_not_sent(exc: BaseException) -> bool | None:
    """For the aiohttp backend, judge by the aiohttp error, as its mapping to httpx is lossy.

    httpx-aiohttp maps every aiohttp connection error, a server disconnect after the request
    was written included, to `httpx.ConnectTimeout`; only aiohttp's connector errors prove
    that nothing was sent.
    """
    cause = exc.__cause__
    if cause is None or not type(cause).__module__.startswith("aiohttp"):
        return None
    import aiohttp

    return isinstance(cause, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)


def request_not_sent(exc: BaseException) -> bool:
    """True when the request provably never reached the server, so a POST may be retried."""
    httpx_exc = exc.__cause__ if isinstance(exc, TransportError) else exc
    if httpx_exc is None:
        return False
    by_aiohttp = _aiohttp_cause_not_sent(httpx_exc)
    if by_aiohttp is not None:
        return by_aiohttp
    return isinstance(httpx_exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def map_transport_error(exc: Exception) -> HomebaseError:
    """The SDK error for an httpx exception (the original stays as `__cause__`)."""
    if isinstance(exc, HomebaseError):
        return exc
    name = type(exc).__name__
    cause = exc.__cause__
    if isinstance(exc, httpx.TimeoutException) and not (
        cause is not None
        and type(cause).__module__.startswith("aiohttp")
        and not isinstance(cause, TimeoutError)
    ):
        error: HomebaseError = RequestTimeoutError(f"request timed out ({name})")
    else:
        detail = str(exc) or name
        error = TransportError(f"network error ({name}): {detail}")
    error.__cause__ = exc
    return error

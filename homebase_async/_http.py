"""The httpx side: the shared transport, the AsyncClient, and the two error seams.

* `GuardedTransport` wraps every transport (aiohttp's, httpx's, a test's): whatever a transport
  library raises, while sending or while the body streams in, leaves it as an httpx error whose
  type says whether the request can have reached the server, with a sanitised message and no
  chained cause (aiohttp's errors carry the request headers, the API key among them, in their
  repr). `map_transport_error` then turns those into the SDK's errors, in one place.
* `response_hook` (an httpx response hook) reads every body with a size bound, counted after
  decompression, and turns non-2xx statuses into typed errors before the generated code sees
  them, including non-IANA ones such as 520 that the generated `HTTPStatus(...)` call cannot
  represent (openapi-python-client#1442).
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Literal
from urllib.parse import urlsplit

import attrs
import httpx

from ._config import DEFAULT_MAX_RESPONSE_SIZE
from ._errors import (
    MAX_ERROR_BYTES,
    ConfigurationError,
    HomebaseError,
    HostNotFoundError,
    RequestTimeoutError,
    ResponseTooLargeError,
    TransportError,
    make_status_error,
)
from ._ratelimit import parse_retry_after

__all__ = [
    "EventHook",
    "Exchange",
    "GuardedTransport",
    "HttpBackend",
    "build_httpx_client",
    "build_transport",
    "check_base_url",
    "current_exchange",
    "map_transport_error",
    "raise_for_status",
    "request_not_sent",
    "response_hook",
]

HttpBackend = Literal["httpx", "aiohttp"]
EventHook = Callable[..., Awaitable[object]]
_log = logging.getLogger("homebase_async")


@attrs.define
class Exchange:
    """What the request path learns of one attempt from inside httpx: the response received."""

    response: httpx.Response | None = None


#: Set by the request path around each attempt; the response hook fills it in.
current_exchange: contextvars.ContextVar[Exchange | None] = contextvars.ContextVar(
    "homebase_exchange", default=None
)


class _HostNotFound(httpx.ConnectError):
    """A name lookup failed: nothing was sent, and trying again will not help."""


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 16:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _translate(exc: Exception, request: httpx.Request) -> httpx.TransportError:
    """The httpx error that says what `exc`, from inside a transport, means for this request."""
    chain = _chain(exc)
    names = {type(e).__name__ for e in chain}
    detail = f"{type(exc).__name__}: {exc}"[:300]
    if any(isinstance(e, socket.gaierror) for e in chain) or "ClientConnectorDNSError" in names:
        return _HostNotFound(f"cannot resolve the host of {request.url.host!r}", request=request)
    aiohttp = _aiohttp_in(chain)
    if aiohttp is not None:
        return _translate_aiohttp(aiohttp, detail, request)
    if isinstance(exc, httpx.TransportError):
        # httpx's own mapping is exact; only the message is rebuilt, without the cause.
        return type(exc)(str(exc) or type(exc).__name__, request=request)
    if isinstance(exc, TimeoutError):
        return httpx.ReadTimeout(detail, request=request)
    if isinstance(exc, ConnectionRefusedError):
        return httpx.ConnectError(detail, request=request)
    # Anything else from a transport means the peer sent something that is not HTTP.
    return httpx.RemoteProtocolError(f"invalid response ({detail})", request=request)


def _aiohttp_in(chain: Sequence[BaseException]) -> BaseException | None:
    for error in chain:
        if type(error).__module__.startswith("aiohttp"):
            return error
    return None


def _translate_aiohttp(
    error: BaseException, detail: str, request: httpx.Request
) -> httpx.TransportError:
    import aiohttp

    # httpx-aiohttp maps every aiohttp connection error, a server disconnect after the request
    # was written included, to ConnectTimeout: only connector errors prove nothing was sent.
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(detail, request=request)
    if isinstance(error, aiohttp.ClientConnectorError):
        return httpx.ConnectError(detail, request=request)
    if isinstance(error, aiohttp.ServerTimeoutError | TimeoutError):
        return httpx.ReadTimeout(detail, request=request)
    if isinstance(error, aiohttp.ClientPayloadError):
        return httpx.ReadError(detail, request=request)
    return httpx.RemoteProtocolError(f"invalid response ({detail})", request=request)


#: The largest piece of a compressed body handed to httpx's decoder at once. Deflate inflates
#: at most about 1,032 times, so a piece decodes to at most about 4 MiB: the size bound is then
#: checked before a whole network chunk of a decompression bomb (64 KiB or more) is inflated.
ENCODED_PIECE = 4096


class _GuardedStream(httpx.AsyncByteStream):
    def __init__(
        self, inner: httpx.AsyncByteStream, request: httpx.Request, *, piece: int | None = None
    ) -> None:
        self._inner = inner
        self._request = request
        self._piece = piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        iterator = self._inner.__aiter__()
        while True:
            error: httpx.TransportError | None = None
            try:
                chunk = await iterator.__anext__()
            except StopAsyncIteration:
                return
            except Exception as exc:
                error = _translate(exc, self._request)
            if error is not None:
                # Raised outside the except block, so no raw error rides along as __context__.
                raise error
            if self._piece is None or len(chunk) <= self._piece:
                yield chunk
            else:
                for start in range(0, len(chunk), self._piece):
                    yield chunk[start : start + self._piece]

    async def aclose(self) -> None:
        error: httpx.TransportError | None = None
        try:
            await self._inner.aclose()
        except Exception as exc:
            error = _translate(exc, self._request)
        if error is not None:
            raise error


class GuardedTransport(httpx.AsyncBaseTransport):
    """Any transport, with every error it raises translated (see the module docstring)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        error: httpx.TransportError | None = None
        try:
            response = await self.inner.handle_async_request(request)
        except Exception as exc:
            error = _translate(exc, request)
        if error is not None:
            raise error
        assert isinstance(response.stream, httpx.AsyncByteStream)
        # httpx decodes on both backends (httpx-aiohttp turns aiohttp's decompression off).
        piece = ENCODED_PIECE if "content-encoding" in response.headers else None
        response.stream = _GuardedStream(response.stream, request, piece=piece)
        return response

    async def aclose(self) -> None:
        error: httpx.TransportError | None = None
        try:
            await self.inner.aclose()
        except Exception as exc:
            error = _translate(exc, httpx.Request("GET", "http://closing.invalid/"))
        if error is not None:
            _log.debug("closing the transport failed: %s", error)


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


async def _read_bounded(response: httpx.Response, limit: int, *, whole: bool) -> bool:
    """Read at most `limit` decoded bytes of the body into `response`; True if it had more.

    With `whole` (only a complete body is of use) a declared length over the limit is refused
    before anything is read.
    """
    declared = response.headers.get("content-length", "")
    encoded = "content-encoding" in response.headers
    if whole and declared.isdigit() and int(declared) > limit and not encoded:
        await response.aclose()
        _set_content(response, b"")
        return True
    chunks: list[bytes] = []
    size = 0
    truncated = False
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > limit:
            chunks.append(chunk[: limit - size])
            truncated = True
            break
        size += len(chunk)
        chunks.append(chunk)
    if truncated:
        await response.aclose()
    _set_content(response, b"".join(chunks))
    return truncated


def _set_content(response: httpx.Response, content: bytes) -> None:
    # httpx keeps a read body in `_content`; `aread()` returns it from there, so the generated
    # code then reads what was read here (and no more) without touching the network again.
    response._content = content


def response_hook(max_response_size: int) -> Callable[[httpx.Response], Awaitable[None]]:
    """The response hook: a bounded read of the body, then a typed error for a non-2xx status."""

    async def hook(response: httpx.Response) -> None:
        exchange = current_exchange.get()
        if exchange is not None:
            exchange.response = response
        if response.is_success:
            if await _read_bounded(response, max_response_size, whole=True):
                raise ResponseTooLargeError(
                    f"the response body is larger than max_response_size "
                    f"({max_response_size} bytes, counted after decompression); not read further"
                )
            return
        # An error body is only ever shown in part: read no more than that part.
        await _read_bounded(response, MAX_ERROR_BYTES, whole=False)
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        raise make_status_error(response, retry_after=retry_after)

    return hook


#: The response hook with the default size bound, for callers that build their own client.
raise_for_status = response_hook(DEFAULT_MAX_RESPONSE_SIZE)


def build_httpx_client(
    *,
    base_url: str,
    api_key: str,
    timeout: httpx.Timeout,
    transport: httpx.AsyncBaseTransport,
    user_agent: str,
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    headers: Mapping[str, str] | None = None,
    event_hooks: Mapping[str, Sequence[EventHook]] | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient over a shared transport; it never follows redirects (the key would).

    The users' `event_hooks` run before the SDK's own response hook, so they see every
    response, errors included.
    """
    hooks = {key: list(value) for key, value in (event_hooks or {}).items()}
    hooks.setdefault("response", []).append(response_hook(max_response_size))
    return httpx.AsyncClient(
        base_url=base_url,
        headers={**(headers or {}), "x-api-key": api_key, "user-agent": user_agent},
        timeout=timeout,
        transport=transport,
        follow_redirects=False,
        event_hooks=hooks,
    )


def request_not_sent(exc: BaseException) -> bool:
    """True when the request provably never reached the server, so a POST may be retried."""
    # `GuardedTransport` made the httpx class exact for both backends (see `_translate`).
    httpx_exc = exc.__cause__ if isinstance(exc, TransportError) else exc
    return isinstance(httpx_exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def map_transport_error(exc: Exception) -> HomebaseError:
    """The SDK error for an httpx exception (the original stays as `__cause__`)."""
    if isinstance(exc, HomebaseError):
        return exc
    name = type(exc).__name__
    if isinstance(exc, _HostNotFound):
        error: HomebaseError = HostNotFoundError(f"{exc}: check the base URL")
    elif isinstance(exc, httpx.TimeoutException):
        error = RequestTimeoutError(f"request timed out ({name})")
    else:
        detail = str(exc) or name
        error = TransportError(f"network error ({name}): {detail}")
    error.__cause__ = exc
    return error

"""The transport seam: one guarded pool per client, its proxy, and every network error's meaning.

* `GuardedTransport` wraps every transport (aiohttp's, httpx's, a test's): whatever a transport
  library raises, while sending or while the body streams in, leaves it as an httpx error whose
  type says whether the request can have reached the server, with a sanitised message (never
  the API key, which h11 quotes in full when it refuses a header) and no chained cause
  (aiohttp's errors carry the request headers in their repr). `map_transport_error` then turns
  those into the SDK's errors, in one place: a refused connection is `ConnectRefusedError`, an
  unreachable proxy `ProxyError` naming it.
* Proxies: `resolve_proxy` picks the one proxy of a client (the `proxy=` setting, else the
  environment's `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` unless `NO_PROXY` names the host), and
  `build_transport` gives it to either backend (httpx ignores the environment once it is handed
  a transport, and httpx-aiohttp never reads it).
"""

from __future__ import annotations

import base64
import errno
import logging
import socket
import urllib.request
from collections.abc import AsyncIterator, Sequence
from urllib.parse import unquote, urlsplit

import httpx

from ._config import HttpBackend, Settings, check_proxy, proxy_label
from ._errors import (
    ConfigurationError,
    ConnectRefusedError,
    HomebaseError,
    HostNotFoundError,
    ProxyError,
    RequestTimeoutError,
    TransportError,
)
from ._telemetry import inject_traceparent, tracing

__all__ = [
    "ENCODED_PIECE",
    "GuardedTransport",
    "build_transport",
    "map_transport_error",
    "request_not_sent",
    "resolve_proxy",
]

_log = logging.getLogger("homebase_async")


class _HostNotFound(httpx.ConnectError):
    """A name lookup failed: nothing was sent, and trying again will not help."""


class _Refused(httpx.ConnectError):
    """The host answered the connection with a refusal: nothing listens on that port."""


class _ProxyFailed(httpx.ConnectError):
    """The proxy could not be reached (nothing was sent to the API)."""

    def __init__(self, message: str, *, request: httpx.Request, cause: httpx.ConnectError) -> None:
        super().__init__(message, request=request)
        self.refused = isinstance(cause, _Refused)
        self.not_found = isinstance(cause, _HostNotFound)


_REFUSED_NAMES = {"ConnectionRefusedError"}


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 16:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _scrub(text: str, request: httpx.Request) -> str:
    """`text` without the request's API key, as sent or as a repr shows it (escaped)."""
    key = request.headers.get("x-api-key")
    if key:
        for form in {key, repr(key)[1:-1], repr(key.encode("latin-1", "replace"))[2:-1]}:
            if form:
                text = text.replace(form, "***")
    return text


def _translate(
    exc: Exception, request: httpx.Request, proxy: str | None = None
) -> httpx.TransportError:
    """The httpx error that says what `exc`, from inside a transport, means for this request.

    With `proxy`, a failure to connect is the proxy's: nothing reached the API's host.
    """
    error = _translate_plain(exc, request)
    if proxy is not None and isinstance(error, httpx.ConnectError):
        what = (
            "connection refused"
            if isinstance(error, _Refused)
            else "host not found"
            if isinstance(error, _HostNotFound)
            else "cannot connect"
        )
        return _ProxyFailed(f"proxy {proxy_label(proxy)}: {what}", request=request, cause=error)
    return error


def _translate_plain(exc: Exception, request: httpx.Request) -> httpx.TransportError:
    chain = _chain(exc)
    names = {type(e).__name__ for e in chain}
    detail = _scrub(f"{type(exc).__name__}: {exc}", request)[:300]
    if any(isinstance(e, socket.gaierror) for e in chain) or "ClientConnectorDNSError" in names:
        return _HostNotFound(f"cannot resolve the host of {request.url.host!r}", request=request)
    if any(isinstance(e, OSError) and e.errno == errno.ECONNREFUSED for e in chain) or (
        names & _REFUSED_NAMES
    ):
        where = f"{request.url.host}:{request.url.port or _default_port(request.url.scheme)}"
        return _Refused(f"connection refused by {where}", request=request)
    aiohttp = _aiohttp_in(chain)
    if aiohttp is not None:
        return _translate_aiohttp(aiohttp, detail, request)
    if isinstance(exc, httpx.TransportError):
        # httpx's own mapping is exact; only the message is rebuilt, without the cause (and
        # without the key: h11 quotes an illegal header value in full).
        return type(exc)(_scrub(str(exc), request) or type(exc).__name__, request=request)
    if isinstance(exc, TimeoutError):
        return httpx.ReadTimeout(detail, request=request)
    # Anything else from a transport means the peer sent something that is not HTTP.
    return httpx.RemoteProtocolError(f"invalid response ({detail})", request=request)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


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

    def __init__(self, inner: httpx.AsyncBaseTransport, *, proxy: str | None = None) -> None:
        self.inner = inner
        #: The proxy every request goes through, if any: its failures are named as its own.
        self.proxy = proxy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if tracing():
            inject_traceparent(request)
        error: httpx.TransportError | None = None
        try:
            response = await self.inner.handle_async_request(request)
        except Exception as exc:
            error = _translate(exc, request, self.proxy)
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
            error = _translate_plain(exc, httpx.Request("GET", "http://closing.invalid/"))
        if error is not None:
            _log.debug("closing the transport failed: %s", error)


def resolve_proxy(settings: Settings) -> str | None:
    """The proxy of a client: `proxy=`, else (with `trust_env`) the environment's for its URL.

    As httpx and aiohttp read it: `HTTPS_PROXY` for an https URL, `HTTP_PROXY` for http,
    `ALL_PROXY` for either (upper or lower case), none when `NO_PROXY` names the host (or a
    domain it is in, or `*`). The URL is the client's one base URL, so it is decided once.
    """
    if settings.proxy is not None or not settings.trust_env:
        return settings.proxy
    proxies = urllib.request.getproxies_environment()
    parts = urlsplit(settings.base_url)
    found = proxies.get(parts.scheme) or proxies.get("all")
    if not found:
        return None
    host = parts.hostname or ""
    if _bypass(host, parts.port, proxies.get("no", "")):
        return None
    if "://" not in found:
        found = f"http://{found}"  # as curl and httpx read a bare host:port
    try:
        return check_proxy(found)
    except ConfigurationError as exc:
        raise ConfigurationError(
            f"{exc} (from the environment; trust_env=False ignores it)"
        ) from None


def _bypass(host: str, port: int | None, no_proxy: str) -> bool:
    """Whether NO_PROXY names the host: `*`, the host (with or without its port), a domain
    it is in (with or without a leading dot), as curl, httpx and aiohttp read it."""
    host = host.lower()
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        entry = entry.split("://", 1)[-1].lstrip(".")
        if entry == "*":
            return True
        if entry and (entry in (host, f"{host}:{port}") or host.endswith("." + entry)):
            return True
    return False


def build_transport(settings: Settings, proxy: str | None = None) -> httpx.AsyncBaseTransport:
    """A pooled transport with as many kept-alive connections as requests in flight.

    `proxy` is the client's resolved proxy (`resolve_proxy`), if any.
    """
    return _pool(settings.http_backend, settings.max_concurrency, settings.keepalive_expiry, proxy)


def _proxy(url: str) -> httpx.Proxy:
    """An httpx.Proxy whose credentials travel as a Proxy-Authorization header.

    Not as httpx's `auth`: httpx-aiohttp hands that to aiohttp's deprecated `BasicAuth`.
    """
    parts = urlsplit(url)
    if parts.username is None:
        return httpx.Proxy(url)
    userinfo = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    token = base64.b64encode(userinfo.encode()).decode()
    return httpx.Proxy(proxy_label(url), headers={"Proxy-Authorization": f"Basic {token}"})


def _pool(
    backend: HttpBackend | str, max_concurrency: int, keepalive_expiry: float, proxy: str | None
) -> httpx.AsyncBaseTransport:
    # Keeping fewer idle connections than the cap would make every burst reconnect.
    limits = httpx.Limits(
        max_connections=max_concurrency,
        max_keepalive_connections=max_concurrency,
        keepalive_expiry=keepalive_expiry,
    )
    via = _proxy(proxy) if proxy else None
    if backend == "httpx":
        # retries=1 lets httpcore retry a failed *connect*, which never reached the server.
        return httpx.AsyncHTTPTransport(limits=limits, retries=1, proxy=via)
    if backend == "aiohttp":
        try:
            from httpx_aiohttp import AiohttpTransport
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise ConfigurationError(
                'http_backend="aiohttp" needs the extra: pip install "homebase-async[aiohttp]"'
            ) from None
        return AiohttpTransport(limits=limits, proxy=via)
    raise ConfigurationError(f'http_backend must be "httpx" or "aiohttp", got {backend!r}')


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
    error: HomebaseError
    if isinstance(exc, _ProxyFailed):
        error = ProxyError(f"{exc}: check the proxy setting (proxy=, HTTPS_PROXY, HTTP_PROXY)")
    elif isinstance(exc, _HostNotFound):
        error = HostNotFoundError(f"{exc}: check the base URL")
    elif isinstance(exc, _Refused):
        error = ConnectRefusedError(f"{exc}: is the server running, is the port right?")
    elif isinstance(exc, httpx.TimeoutException):
        error = RequestTimeoutError(f"request timed out ({name})")
    else:
        detail = str(exc) or name
        error = TransportError(f"network error ({name}): {detail}")
    error.__cause__ = exc
    return error

"""The httpx side: the shared transport, the AsyncClient, and the two error seams.

* `GuardedTransport` wraps every transport (aiohttp's, httpx's, a test's): whatever a transport
  library raises, while sending or while the body streams in, leaves it as an httpx error whose
  type says whether the request can have reached the server, with a sanitised message and no
  chained cause (aiohttp's errors carry the request headers, the API key among them, in their
  repr). `map_transport_error` then turns those into the SDK's errors, in one place.
* Proxies: `resolve_proxy` picks the one proxy of a client (the `proxy=` setting, else the
  environment's `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` unless `NO_PROXY` names the host), and
  `build_transport` gives it to either backend (httpx ignores the environment once it is handed
  a transport, and httpx-aiohttp never reads it). A connection failure to the proxy names the
  proxy (without its credentials), not the API's host.
* `RedactQueries` (a logging filter on httpx's loggers) keeps query strings, which hold
  e-mails and phones, out of httpx's own INFO line "HTTP Request: GET ...".
* `response_hook` (an httpx response hook) reads every body with a size bound, counted after
  decompression, and turns non-2xx statuses into typed errors before the generated code sees
  them, including non-IANA ones such as 520 that the generated `HTTPStatus(...)` call cannot
  represent (openapi-python-client#1442).
"""

from __future__ import annotations

import base64
import contextvars
import errno
import logging
import re
import socket
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

import attrs
import httpx

from ._config import (
    DEFAULT_MAX_RESPONSE_SIZE,
    HttpBackend,
    Settings,
    check_base_url,
    check_proxy,
    proxy_label,
)
from ._errors import (
    MAX_ERROR_BYTES,
    ConfigurationError,
    ConnectRefusedError,
    HomebaseError,
    HostNotFoundError,
    ProxyError,
    RequestTimeoutError,
    ResponseTooLargeError,
    TransportError,
    make_status_error,
)
from ._ratelimit import parse_retry_after
from ._telemetry import inject_traceparent, tracing

__all__ = [
    "EventHook",
    "Exchange",
    "GuardedTransport",
    "HttpBackend",
    "RedactQueries",
    "build_httpx_client",
    "build_transport",
    "check_base_url",
    "current_exchange",
    "install_log_redaction",
    "map_transport_error",
    "raise_for_status",
    "request_not_sent",
    "resolve_proxy",
    "response_hook",
]

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


class _Cookies(httpx.Cookies):
    """httpx's cookie jar, which skips its urllib round trip for a response setting none.

    httpx rebuilds every request and response as urllib objects to look for `Set-Cookie`
    (about a tenth of its cost per request in a profile of sequential gets); the API sets no
    cookies, but a response that does is handled exactly as httpx does.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class SdkAsyncClient(httpx.AsyncClient):
    """httpx's AsyncClient, without the work it repeats for every request to the same path.

    httpx parses the relative URL and re-parses it joined to the base URL on every request
    (two URL parses, each walking every character); the generated client passes the same few
    constant paths again and again, so each is joined once and the immutable `httpx.URL`
    reused. Query parameters are still merged per request, as httpx does.
    """

    _MERGED_MAX = 256  # paths with ids in them vary: bound the cache, never grow it for ever

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cookies = _Cookies()
        self._merged: dict[str, httpx.URL] = {}
        self._merged_base = self.base_url

    def _merge_url(self, url: httpx.URL | str) -> httpx.URL:
        if type(url) is not str:
            return super()._merge_url(url)
        if self._merged_base is not self.base_url:  # base_url was set again
            self._merged.clear()
            self._merged_base = self.base_url
        merged = self._merged.get(url)
        if merged is None:
            merged = super()._merge_url(url)
            if len(self._merged) < self._MERGED_MAX:
                self._merged[url] = merged
        return merged


def build_httpx_client(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport,
    user_agent: str,
    event_hooks: Mapping[str, Sequence[EventHook]] | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient over a shared transport; it never follows redirects (the key would).

    The users' `event_hooks` run before the SDK's own response hook, so they see every
    response, errors included. The proxy lives in the transport (`build_transport`), so the
    AsyncClient itself never reads the environment.
    """
    hooks = {key: list(value) for key, value in (event_hooks or {}).items()}
    hooks.setdefault("response", []).append(response_hook(settings.max_response_size))
    return SdkAsyncClient(
        base_url=settings.base_url,
        headers={**settings.headers, "x-api-key": settings.api_key, "user-agent": user_agent},
        timeout=settings.timeout,
        transport=transport,
        follow_redirects=False,
        event_hooks=hooks,
        trust_env=False,
    )


_QUERY = re.compile(r"\?[^\s\"']*")


class RedactQueries(logging.Filter):
    """Replaces query strings in a log record's message by `?…` (they hold e-mails, phones).

    httpx logs every request at INFO as `HTTP Request: GET URL "HTTP/1.1 200 OK"`: with the
    SDK's lookups, that URL carries the identifiers looked up. Installed on httpx's logger by
    every client, so it applies whoever configures logging.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(("httpx", "httpcore")) and record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            if any(isinstance(a, httpx.URL) or "?" in str(a) for a in args):
                record.msg = _QUERY.sub("?…", record.getMessage())
                record.args = None
        return True


_REDACT = RedactQueries()


def install_log_redaction() -> None:
    """Put `RedactQueries` on httpx's request logger (once; idempotent)."""
    log = logging.getLogger("httpx")
    if _REDACT not in log.filters:
        log.addFilter(_REDACT)


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

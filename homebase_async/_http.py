"""The httpx side: the AsyncClient of a client, its response hook, and httpx's own log.

* `SdkAsyncClient` is httpx's AsyncClient minus the work it repeats on every request (see
  there); it never reads the environment: the proxy lives in the transport (`_transport`).
* `response_hook` (an httpx response hook) reads every body with a size bound, counted after
  decompression, and turns non-2xx statuses into typed errors before the generated code sees
  them, including non-IANA ones such as 520 that the generated `HTTPStatus(...)` call cannot
  represent (openapi-python-client#1442).
* `RedactQueries` (a logging filter on httpx's logger) keeps query strings, which hold
  e-mails and phones, out of httpx's own INFO line "HTTP Request: GET ...".
"""

from __future__ import annotations

import contextvars
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import attrs
import httpx

from ._config import DEFAULT_MAX_RESPONSE_SIZE, Settings
from ._errors import MAX_ERROR_BYTES, ResponseTooLargeError, make_status_error
from ._ratelimit import parse_retry_after

__all__ = [
    "EventHook",
    "Exchange",
    "RedactQueries",
    "SdkAsyncClient",
    "build_httpx_client",
    "current_exchange",
    "install_log_redaction",
    "raise_for_status",
    "response_hook",
]

EventHook = Callable[..., Awaitable[object]]


@attrs.define
class Exchange:
    """What the request path learns of one attempt from inside httpx: the response received."""

    response: httpx.Response | None = None


#: Set by the request path around each attempt; the response hook fills it in.
current_exchange: contextvars.ContextVar[Exchange | None] = contextvars.ContextVar(
    "homebase_exchange", default=None
)


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
) -> SdkAsyncClient:
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

"""The error tree, and the one place where an HTTP status becomes an error class.

```
HomebaseError
├── ConfigurationError        bad client settings (no key, insecure URL)
├── ClientClosedError         the client was closed, or is used from another event loop
├── ValidationError           bad input caught before any request (also a ValueError)
├── JournalError              a bulk run's journal cannot be opened, read or written
│   └── JournalBusyError      another run holds the journal's lease (.holder)
├── TransportError            network failure or protocol garbage (sanitised cause kept)
│   ├── RequestTimeoutError   the request's deadline passed (also a TimeoutError)
│   ├── HostNotFoundError     the base URL's host does not resolve (never retried)
│   ├── ConnectRefusedError   nothing listens at the base URL's port (retried twice, fast)
│   └── ProxyError            the proxy could not be reached (named without credentials)
├── APIStatusError            .status_code .message .body (bounded) .request_id .retry_after
│   ├── BadRequestError 400 · AuthenticationError 401 · PermissionDeniedError 403
│   ├── NotFoundError 404 · RateLimitError 429
│   │                           └── DailyLimitExceededError (SMS quota, never retried)
│   └── ServerError ≥ 500 (non-IANA codes too)
├── WriteOutcomeUnknownError  a create/send that may or may not have happened (.performed)
└── UnexpectedResponseError   a success status with a body that does not parse
    └── ResponseTooLargeError the body passed `max_response_size` (after decompression)
```

No message here ever includes a request header, so the API key cannot leak through one, and
transport errors are re-raised with a sanitised cause (aiohttp's errors carry the request's
headers in their repr).
"""

from __future__ import annotations

import json
from typing import Any

import httpx

__all__ = [
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConnectRefusedError",
    "DailyLimitExceededError",
    "HomebaseError",
    "HostNotFoundError",
    "JournalBusyError",
    "JournalError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProxyError",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseTooLargeError",
    "ServerError",
    "TransportError",
    "UnexpectedResponseError",
    "ValidationError",
    "WriteOutcomeUnknownError",
    "make_status_error",
    "request_id_of",
]

# Error bodies are kept for debugging; an HTML page from a front end can be large, and an
# error object may be kept alive long after the call (a bulk report holds thousands).
MAX_ERROR_TEXT = 2_000
# The first bytes of an error response that are read at all; the rest is never downloaded.
MAX_ERROR_BYTES = 64 * 1024
# Cloud Functions sets these on every response (assumed: see the README's Spec assumptions).
_EXECUTION_ID = "function-execution-id"
_TRACE_CONTEXT = "x-cloud-trace-context"


class HomebaseError(Exception):
    """Base class of every error this SDK raises."""


class ConfigurationError(HomebaseError):
    """The client's settings are unusable (no API key, an insecure base URL, ...)."""


class ClientClosedError(HomebaseError, RuntimeError):
    """The client was closed (`aclose()`), or is used from an event loop other than its own."""


class ValidationError(HomebaseError, ValueError):
    """Input rejected before any request was sent; `field` names the offending argument."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class JournalError(HomebaseError):
    """A bulk run's journal file could not be read or written (locked, full, not SQLite).

    Raised before any request when the journal cannot be opened or read; an item whose
    "in flight" row cannot be committed is not sent and fails with this error.
    """


class JournalBusyError(JournalError):
    """Another run holds the journal's lease: this run sent nothing.

    `holder` says who holds it (pid, host, start time), when the store could tell.
    """

    def __init__(self, journal: str, holder: Any = None) -> None:
        who = holder.describe() if holder is not None else "another run"
        super().__init__(f"journal {journal!r} is in use by {who}; nothing was sent")
        self.journal = journal
        self.holder = holder


class TransportError(HomebaseError):
    """The request failed on the network or the answer was not HTTP; the cause is kept."""


class RequestTimeoutError(TransportError, TimeoutError):
    """The request's deadline passed (connect, send, headers and body together)."""


class HostNotFoundError(TransportError):
    """The base URL's host name does not resolve: a configuration problem, never retried."""


class ConnectRefusedError(TransportError):
    """The host refused the connection (nothing listens on the port): nothing was sent.

    Retried twice at most, with the policy's short first backoffs: a refusal is immediate and
    certain, so a wrong port fails in well under a second, while a local server restarting
    gets a moment.
    """


class ProxyError(TransportError):
    """The proxy (`proxy=` or `HTTPS_PROXY`/`HTTP_PROXY`) could not be reached: nothing was
    sent to the API. The message names the proxy without its user and password."""


class APIStatusError(HomebaseError):
    """The API answered with a non-success status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any = None,
        response: httpx.Response | None = None,
        retry_after: float | None = None,
        request_id: str | None = None,
    ) -> None:
        if request_id is None and response is not None:
            request_id = request_id_of(response.headers)
        text = f"{status_code}: {message}"
        super().__init__(f"{text} (request_id={request_id})" if request_id else text)
        self.status_code = status_code
        self.message = message
        self.body = body
        self.response = response
        #: The server's `Retry-After` in seconds (on 429 and 503), None when absent/unreadable.
        self.retry_after = retry_after
        #: The id the server gave this request (`function-execution-id`), for support.
        self.request_id = request_id


class BadRequestError(APIStatusError):
    """400: the server rejected the request's content."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """403: the feature is not on the business's plan (SMS needs Enterprise)."""


class NotFoundError(APIStatusError):
    """404: no record has that id (also raised by `get` methods on an empty result)."""


class RateLimitError(APIStatusError):
    """429: too many requests; `retry_after` is the server's wait in seconds, when given."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 429,
        body: Any = None,
        response: httpx.Response | None = None,
        retry_after: float | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(
            message,
            status_code=status_code,
            body=body,
            response=response,
            retry_after=retry_after,
            request_id=request_id,
        )


class DailyLimitExceededError(RateLimitError):
    """The SMS daily quota is used up: a quota, not a transient error, so never retried."""


class ServerError(APIStatusError):
    """A 5xx status, including non-IANA ones such as 520 from a front end."""


class WriteOutcomeUnknownError(HomebaseError):
    """A create or send failed in a way that leaves unknown whether the server performed it.

    It is never retried automatically, as a retry could duplicate the write; `cause` is the
    error that made the outcome unknown (also `__cause__`). `performed` is True when a success
    status proved the write happened but its answer could not be read (so its id is unknown),
    and None when nothing is known either way.
    """

    def __init__(
        self, operation: str, cause: HomebaseError, *, performed: bool | None = None
    ) -> None:
        what = (
            "the server performed it but its answer could not be read"
            if performed
            else "the server may or may not have performed it"
        )
        super().__init__(
            f"{operation}: the outcome is unknown, {what} ({type(cause).__name__}: {cause})"
        )
        self.operation = operation
        self.cause = cause
        self.performed = performed
        self.request_id: str | None = getattr(cause, "request_id", None)


class UnexpectedResponseError(HomebaseError):
    """A success status whose body does not have the documented shape."""


class ResponseTooLargeError(UnexpectedResponseError):
    """The response body passed the client's `max_response_size` and was not read further."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def request_id_of(headers: httpx.Headers) -> str | None:
    """The request id Cloud Functions gives a response: its execution id, else the trace id."""
    execution = headers.get(_EXECUTION_ID)
    if execution:
        return execution.strip()[:128] or None
    trace = headers.get(_TRACE_CONTEXT)
    if trace:
        return trace.split("/", 1)[0].strip()[:128] or None
    return None


def parse_body(response: httpx.Response) -> tuple[Any, str]:
    """The decoded body (JSON when it parses, else a text excerpt) and the best message."""
    text = response.text
    try:
        body: Any = json.loads(text) if text else None
    except (ValueError, RecursionError):
        body = text[:MAX_ERROR_TEXT]
    if isinstance(body, str):
        body = body[:MAX_ERROR_TEXT]
    message = ""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, str):
            message = error
        elif isinstance(error, dict) and isinstance(error.get("message"), str):
            message = error["message"]
        elif isinstance(body.get("message"), str):
            message = body["message"]
    message = message[:MAX_ERROR_TEXT]
    return body, message or response.reason_phrase or "HTTP error"


def make_status_error(
    response: httpx.Response, *, retry_after: float | None = None
) -> APIStatusError:
    """The error for a non-2xx response; the one status→class map of the SDK."""
    body, message = parse_body(response)
    status = response.status_code
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIStatusError
    return cls(message, status_code=status, body=body, response=response, retry_after=retry_after)

"""The error tree, and the one place where an HTTP status becomes an error class.

```
HomebaseError
├── ConfigurationError        bad client settings (no key, insecure URL)
├── ValidationError           bad input caught before any request (also a ValueError)
├── TransportError            network failure, the httpx error kept as __cause__
│   └── RequestTimeoutError   also a TimeoutError
├── APIStatusError            .status_code .message .body (JSON or text) .response
│   ├── BadRequestError 400 · AuthenticationError 401 · PermissionDeniedError 403
│   ├── NotFoundError 404 · RateLimitError 429 (.retry_after)
│   │                           └── DailyLimitExceededError (SMS quota, never retried)
│   └── ServerError ≥ 500 (non-IANA codes too)
├── WriteOutcomeUnknownError  a create/send that may or may not have happened
└── UnexpectedResponseError   a success status with a body that does not parse
```

No message here ever includes a request header, so the API key cannot leak through one.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

__all__ = [
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "DailyLimitExceededError",
    "HomebaseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "ServerError",
    "TransportError",
    "UnexpectedResponseError",
    "ValidationError",
    "WriteOutcomeUnknownError",
    "make_status_error",
]

# Error bodies are kept for debugging; an HTML page from a front end can be large.
_MAX_TEXT_BODY = 2_000


class HomebaseError(Exception):
    """Base class of every error this SDK raises."""


class ConfigurationError(HomebaseError):
    """The client's settings are unusable (no API key, an insecure base URL, ...)."""


class ValidationError(HomebaseError, ValueError):
    """Input rejected before any request was sent; `field` names the offending argument."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class TransportError(HomebaseError):
    """The request failed on the network; the httpx error is kept as `__cause__`."""


class RequestTimeoutError(TransportError, TimeoutError):
    """The request timed out (connect, read, write, or waiting for a pooled connection)."""


class APIStatusError(HomebaseError):
    """The API answered with a non-success status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(f"{status_code}: {message}")
        self.status_code = status_code
        self.message = message
        self.body = body
        self.response = response


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
    ) -> None:
        super().__init__(message, status_code=status_code, body=body, response=response)
        self.retry_after = retry_after


class DailyLimitExceededError(RateLimitError):
    """The SMS daily quota is used up: a quota, not a transient error, so never retried."""


class ServerError(APIStatusError):
    """A 5xx status, including non-IANA ones such as 520 from a front end."""


class WriteOutcomeUnknownError(HomebaseError):
    """A create or send failed in a way that leaves unknown whether the server performed it.

    It is never retried automatically, as a retry could duplicate the write; `cause` is the
    error that made the outcome unknown (also `__cause__`).
    """

    def __init__(self, operation: str, cause: HomebaseError) -> None:
        super().__init__(
            f"{operation}: the outcome is unknown, the server may or may not have performed it "
            f"({type(cause).__name__}: {cause})"
        )
        self.operation = operation
        self.cause = cause


class UnexpectedResponseError(HomebaseError):
    """A success status whose body does not have the documented shape."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def parse_body(response: httpx.Response) -> tuple[Any, str]:
    """The decoded body (JSON when it parses, else text) and the best message from it."""
    text = response.text
    try:
        body: Any = json.loads(text) if text else None
    except ValueError:
        body = text[:_MAX_TEXT_BODY]
    message = ""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, str):
            message = error
        elif isinstance(error, dict) and isinstance(error.get("message"), str):
            message = error["message"]
        elif isinstance(body.get("message"), str):
            message = body["message"]
    return body, message or response.reason_phrase or "HTTP error"


def make_status_error(
    response: httpx.Response, *, retry_after: float | None = None
) -> APIStatusError:
    """The error for a non-2xx response; the one status→class map of the SDK."""
    body, message = parse_body(response)
    status = response.status_code
    if status == 429:
        return RateLimitError(message, body=body, response=response, retry_after=retry_after)
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIStatusError
    return cls(message, status_code=status, body=body, response=response)

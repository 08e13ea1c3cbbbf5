"""Async SDK for the Homebase360 API: typed errors, safe retries, complete bulk helpers."""

from importlib.metadata import version as _version

from ._bulk import (
    CreateReport,
    ItemChangedError,
    Journal,
    SendOptions,
    SendReport,
    TruncatedResultWarning,
    UpsertReport,
    WriteOptions,
)
from ._client import NOT_GIVEN, HomebaseClient, NotGiven
from ._config import RetryPolicy
from ._errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConnectRefusedError,
    DailyLimitExceededError,
    HomebaseError,
    HostNotFoundError,
    JournalBusyError,
    JournalError,
    NotFoundError,
    PermissionDeniedError,
    ProxyError,
    RateLimitError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
    WriteOutcomeUnknownError,
)
from ._events import SdkEvent
from ._listing import Listing
from ._lookup import LookupResult
from ._raw import RawResponse
from ._sms_budget import SmsBudget

#: The installed distribution's version (from its metadata, so it never drifts from pyproject).
__version__ = _version("homebase-async")

__all__ = [
    "NOT_GIVEN",
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConnectRefusedError",
    "CreateReport",
    "DailyLimitExceededError",
    "HomebaseClient",
    "HomebaseError",
    "HostNotFoundError",
    "ItemChangedError",
    "Journal",
    "JournalBusyError",
    "JournalError",
    "Listing",
    "LookupResult",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "ProxyError",
    "RateLimitError",
    "RawResponse",
    "RequestTimeoutError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "SdkEvent",
    "SendOptions",
    "SendReport",
    "ServerError",
    "SmsBudget",
    "TransportError",
    "TruncatedResultWarning",
    "UnexpectedResponseError",
    "UpsertReport",
    "ValidationError",
    "WriteOptions",
    "WriteOutcomeUnknownError",
    "__version__",
]

"""Async SDK for the Homebase360 API: typed errors, safe retries, complete bulk helpers."""

from ._bulk import CreateReport, SendReport, TruncatedResultWarning
from ._client import HomebaseClient
from ._config import RetryPolicy
from ._errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    DailyLimitExceededError,
    HomebaseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
    WriteOutcomeUnknownError,
)
from ._lookup import LookupResult
from ._sms_budget import SmsBudget

__all__ = [
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "CreateReport",
    "DailyLimitExceededError",
    "HomebaseClient",
    "HomebaseError",
    "LookupResult",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "RetryPolicy",
    "SendReport",
    "ServerError",
    "SmsBudget",
    "TransportError",
    "TruncatedResultWarning",
    "UnexpectedResponseError",
    "ValidationError",
    "WriteOutcomeUnknownError",
]

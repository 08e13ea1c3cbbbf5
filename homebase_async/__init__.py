"""Async SDK for the Homebase360 API: typed errors, safe retries, complete bulk helpers."""

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

__all__ = [
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "DailyLimitExceededError",
    "HomebaseClient",
    "HomebaseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "UnexpectedResponseError",
    "ValidationError",
    "WriteOutcomeUnknownError",
]

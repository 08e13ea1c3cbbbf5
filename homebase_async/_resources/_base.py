"""What every resource shares: the request path and unwrapping of the success envelope."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import attrs
from homebase_api.types import Response, Unset, WrongShape, loads_json

from .._errors import NotFoundError, UnexpectedResponseError, WriteOutcomeUnknownError
from .._request import SHAPE_ERRORS, Operation, Requester
from .._retry import Kind

__all__ = ["Resource", "data_of", "not_found"]


@attrs.define
class Resource:
    """A group of operations sharing the client's request path."""

    _requester: Requester


class _Envelope(Protocol):
    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Any: ...


def data_of(op: Operation, response: Response[Any], envelope: type[_Envelope] | None = None) -> Any:
    """The `data` of a success envelope, or UnexpectedResponseError.

    The generated parser reads only the success statuses the spec lists (200 and 201 for
    creates); with `envelope`, any other 2xx body is parsed as that model, as the contract
    says clients accept any 2xx. For a write, a success status proves the write happened, so
    an unreadable answer is `WriteOutcomeUnknownError` with `performed=True`, never a failure.
    """
    parsed = response.parsed
    error: UnexpectedResponseError | None = None
    if parsed is None and envelope is not None and 200 <= response.status_code < 300:
        try:
            parsed = envelope.from_dict(loads_json(response.content))
        except WrongShape as exc:
            # The generated models read strictly and name the field (`customer.email: ...`).
            error = UnexpectedResponseError(f"{op.name}: {str(exc)[:300]}")
        except SHAPE_ERRORS as exc:
            error = UnexpectedResponseError(
                f"{op.name}: the response body does not have the documented shape "
                f"({type(exc).__name__}: {str(exc)[:200]})"
            )
    data = getattr(parsed, "data", None)
    if error is None and (data is None or isinstance(data, Unset)):
        error = UnexpectedResponseError(
            f"{op.name}: status {response.status_code} without the documented `data`"
        )
    if error is None:
        return data
    if op.kind is Kind.WRITE:
        raise WriteOutcomeUnknownError(op.name, error, performed=True) from error
    raise error


def not_found(kind: str, ident: str) -> NotFoundError:
    """The error a `get` raises when the search for one id comes back empty."""
    return NotFoundError(f"{kind} {ident!r} not found", status_code=404)

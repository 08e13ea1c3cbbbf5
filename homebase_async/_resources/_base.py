"""What every resource shares: the request path and unwrapping of the success envelope."""

from __future__ import annotations

from typing import Any

import attrs
from homebase_api.types import Response, Unset

from .._errors import NotFoundError, UnexpectedResponseError
from .._request import Operation, Requester

__all__ = ["Resource", "data_of", "not_found"]


@attrs.define
class Resource:
    """A group of operations sharing the client's request path."""

    _requester: Requester


def data_of(op: Operation, response: Response[Any]) -> Any:
    """The `data` of a success envelope, or UnexpectedResponseError."""
    data = getattr(response.parsed, "data", None)
    if data is None or isinstance(data, Unset):
        raise UnexpectedResponseError(
            f"{op.name}: status {response.status_code} without the documented `data`"
        )
    return data


def not_found(kind: str, ident: str) -> NotFoundError:
    """The error a `get` raises when the search for one id comes back empty."""
    return NotFoundError(f"{kind} {ident!r} not found", status_code=404)

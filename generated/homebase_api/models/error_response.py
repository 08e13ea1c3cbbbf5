from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    UNSET,
    WrongShape,
    missing,
)

T = TypeVar("T", bound="ErrorResponse")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "success",
        "error",
    }
)


@_attrs_define
class ErrorResponse:
    """The error envelope.

    Attributes:
        success (bool):
        error (str):
    """

    success: bool
    error: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "success": "success",
        "error": "error",
    }

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("errorResponse", "", "an object", src_dict)
        _get = src_dict.get
        success = _get("success", UNSET)
        if success is UNSET:
            raise missing("errorResponse", "success")
        if not isinstance(success, bool):
            raise WrongShape("errorResponse", "success", "a boolean", success)

        error = _get("error", UNSET)
        if error is UNSET:
            raise missing("errorResponse", "error")
        if not isinstance(error, str):
            raise WrongShape("errorResponse", "error", "a string", error)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        error_response = _new(cls)
        error_response.success = success
        error_response.error = error
        error_response.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            error_response.additional_properties = extra
        return error_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

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

T = TypeVar("T", bound="CreatedCustomer")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "customerId",
    }
)


@_attrs_define
class CreatedCustomer:
    """The id of a new customer.

    Attributes:
        customer_id (str):
    """

    customer_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "customerId": "customer_id",
    }

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customerId": customer_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("createdCustomer", "", "an object", src_dict)
        _get = src_dict.get
        customer_id = _get("customerId", UNSET)
        if customer_id is UNSET:
            raise missing("createdCustomer", "customerId")
        if not isinstance(customer_id, str):
            raise WrongShape("createdCustomer", "customerId", "a string", customer_id)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        created_customer = _new(cls)
        created_customer.customer_id = customer_id
        created_customer.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            created_customer.additional_properties = extra
        return created_customer

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

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

T = TypeVar("T", bound="CreatedLead")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "leadId",
        "customerId",
        "leadNumber",
    }
)


@_attrs_define
class CreatedLead:
    """A new lead, its customer (found or created) and its number.

    Attributes:
        lead_id (str):
        customer_id (str):
        lead_number (int):
    """

    lead_id: str
    customer_id: str
    lead_number: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "leadId": "lead_id",
        "customerId": "customer_id",
        "leadNumber": "lead_number",
    }

    def to_dict(self) -> dict[str, Any]:
        lead_id = self.lead_id

        customer_id = self.customer_id

        lead_number = self.lead_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "leadId": lead_id,
                "customerId": customer_id,
                "leadNumber": lead_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("createdLead", "", "an object", src_dict)
        _get = src_dict.get
        lead_id = _get("leadId", UNSET)
        if lead_id is UNSET:
            raise missing("createdLead", "leadId")
        if not isinstance(lead_id, str):
            raise WrongShape("createdLead", "leadId", "a string", lead_id)

        customer_id = _get("customerId", UNSET)
        if customer_id is UNSET:
            raise missing("createdLead", "customerId")
        if not isinstance(customer_id, str):
            raise WrongShape("createdLead", "customerId", "a string", customer_id)

        lead_number = _get("leadNumber", UNSET)
        if lead_number is UNSET:
            raise missing("createdLead", "leadNumber")
        if type(lead_number) is bool or not isinstance(lead_number, int):
            raise WrongShape("createdLead", "leadNumber", "an integer", lead_number)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        created_lead = _new(cls)
        created_lead.lead_id = lead_id
        created_lead.customer_id = customer_id
        created_lead.lead_number = lead_number
        created_lead.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            created_lead.additional_properties = extra
        return created_lead

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CreatedLead")


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
        d = dict(src_dict)
        lead_id = d.pop("leadId")

        customer_id = d.pop("customerId")

        lead_number = d.pop("leadNumber")

        created_lead = cls(
            lead_id=lead_id,
            customer_id=customer_id,
            lead_number=lead_number,
        )

        created_lead.additional_properties = d
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

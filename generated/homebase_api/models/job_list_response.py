from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    Any,
    ClassVar,
    TypeVar,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job import Job
from ..types import (
    UNSET,
    WrongShape,
    missing,
)

T = TypeVar("T", bound="JobListResponse")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "success",
        "data",
    }
)


@_attrs_define
class JobListResponse:
    """
    Attributes:
        success (bool):
        data (list[Job]):
    """

    success: bool
    data: list[Job]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "success": "success",
        "data": "data",
    }

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("jobListResponse", "", "an object", src_dict)
        _get = src_dict.get
        success = _get("success", UNSET)
        if success is UNSET:
            raise missing("jobListResponse", "success")
        if not isinstance(success, bool):
            raise WrongShape("jobListResponse", "success", "a boolean", success)

        data = _get("data", UNSET)
        if data is UNSET:
            raise missing("jobListResponse", "data")
        if not isinstance(data, list):
            raise WrongShape("jobListResponse", "data", "a list", data)
        _items = data
        data = []
        for _index, _item in enumerate(_items):
            if type(_item) is not dict and not isinstance(_item, Mapping):
                raise WrongShape("jobListResponse", "data" + f"[{_index}]", "an object", _item)
            try:
                data.append(Job.from_dict(_item))
            except WrongShape as exc:
                raise exc.within("data" + f"[{_index}]") from None

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        job_list_response = _new(cls)
        job_list_response.success = success
        job_list_response.data = data
        job_list_response.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            job_list_response.additional_properties = extra
        return job_list_response

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

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

from ..types import (
    UNSET,
    Unset,
    WrongShape,
    bad_datetime,
)

T = TypeVar("T", bound="JobUpdate")
_new = object.__new__
_fromisoformat = datetime.datetime.fromisoformat
_FIELDS = frozenset(
    {
        "start",
        "end",
        "note",
    }
)


@_attrs_define
class JobUpdate:
    """The job fields to change; no field has a default, so only what is set is sent.

    Attributes:
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        note (str | Unset):
    """

    start: datetime.datetime | Unset = UNSET
    end: datetime.datetime | Unset = UNSET
    note: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    #: The API's JSON key of each field -> its attribute name.
    json_names: ClassVar[dict[str, str]] = {
        "start": "start",
        "end": "end",
        "note": "note",
    }

    def to_dict(self) -> dict[str, Any]:
        start: str | Unset = UNSET
        if not isinstance(self.start, Unset):
            start = self.start.isoformat()

        end: str | Unset = UNSET
        if not isinstance(self.end, Unset):
            end = self.end.isoformat()

        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if start is not UNSET:
            field_dict["start"] = start
        if end is not UNSET:
            field_dict["end"] = end
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read the API's JSON object strictly: WrongShape (a TypeError) names a wrong field."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise WrongShape("jobUpdate", "", "an object", src_dict)
        _get = src_dict.get
        start = _get("start", UNSET)
        if start is not UNSET:
            try:
                _moment = _fromisoformat(start)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("jobUpdate", "start", start) from None
            start = _moment

        end = _get("end", UNSET)
        if end is not UNSET:
            try:
                _moment = _fromisoformat(end)
                if _moment.tzinfo is None:
                    raise ValueError
            except (TypeError, ValueError):
                raise bad_datetime("jobUpdate", "end", end) from None
            end = _moment

        note = _get("note", UNSET)
        if note is not UNSET:
            if not isinstance(note, str):
                raise WrongShape("jobUpdate", "note", "a string", note)

        # attrs' __init__ only stores the values: setting them directly skips binding arguments.
        job_update = _new(cls)
        job_update.start = start
        job_update.end = end
        job_update.note = note
        job_update.additional_properties = {}
        if not _FIELDS.issuperset(src_dict):
            extra = {key: value for key, value in src_dict.items() if key not in _FIELDS}
            job_update.additional_properties = extra
        return job_update

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

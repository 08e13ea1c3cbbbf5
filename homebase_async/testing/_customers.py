"""Customers: records in API shape, with the indexes that make searches cheap."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _validate as check
from ._common import Context, Json, bad_request, format_time, not_found


class CustomerBook:
    """Every customer of the business, indexed by phone number and e-mail."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self.records: dict[str, Json] = {}
        self._seq: dict[str, int] = {}
        self._by_phone: dict[str, set[str]] = {}
        self._by_mobile: dict[str, set[str]] = {}
        self._by_email: dict[str, set[str]] = {}

    # -- writes ------------------------------------------------------------------------------

    def create(self, body: Mapping[str, Any]) -> str:
        """POST /customers: string forms of the list fields are accepted here only."""
        fields = check.customer_fields(body, coerce=True)
        check.require_new_customer(fields)
        return self.insert(fields)

    def insert(
        self, fields: Mapping[str, Any], *, customer_id: str | None = None, added: str | None = None
    ) -> str:
        """Store a customer from checked fields, filling every default."""
        customer_id = customer_id or self._context.new_id()
        if customer_id in self.records:
            raise ValueError(f"customer {customer_id} already exists")
        stamp = added or format_time(self._context.now())
        phone = dict.fromkeys(check.STANDARD_PHONE_KEYS, "")
        phone.update(fields.get("phone", {}))
        record: Json = {
            "customerId": customer_id,
            "businessId": self._context.business_id,
            **{name: fields.get(name, "") for name in check.CUSTOMER_TEXT_FIELDS},
            "displayName": "",
            "phone": phone,
            "email": list(fields.get("email", [])),
            "address": list(fields.get("address", [])),
            "notifications": fields.get("notifications", True),
            "tags": list(fields.get("tags", [])),
            "attachments": [],
            "dateAdded": stamp,
            "lastUpdated": stamp,
        }
        _set_display_name(record)
        self.records[customer_id] = record
        self._seq[customer_id] = len(self._seq)
        self._index(record)
        return customer_id

    def update(self, customer_id: str, body: Mapping[str, Any]) -> None:
        """PUT/PATCH: given fields replace stored ones; phone keys merge into the phone object."""
        record = self.get(customer_id)
        fields = check.customer_fields(body, coerce=False)
        self._unindex(record)
        for name, value in fields.items():
            if name == "phone":
                record["phone"].update(value)
            else:
                record[name] = value
        _set_display_name(record)
        record["lastUpdated"] = format_time(self._context.now())
        self._index(record)

    def merge(self, customer_id: str, fields: Mapping[str, Any]) -> None:
        """Lead merge: fill blank fields, union arrays, never overwrite what is stored."""
        record = self.get(customer_id)
        self._unindex(record)
        for name in check.CUSTOMER_TEXT_FIELDS:
            if name in fields and not record[name]:
                record[name] = fields[name]
        for key, number in fields.get("phone", {}).items():
            if not record["phone"].get(key):
                record["phone"][key] = number
        caps = {"email": check.MAX_EMAILS, "address": check.MAX_ADDRESSES, "tags": None}
        for name, cap in caps.items():
            merged = _union(record[name], fields.get(name, []), folded=name == "email")
            record[name] = merged if cap is None else merged[:cap]
        _set_display_name(record)
        record["lastUpdated"] = format_time(self._context.now())
        self._index(record)

    def note_job(self, customer_id: str, start: str) -> None:
        """Keep `lastJob` at the latest job start (same-format UTC strings sort by time)."""
        record = self.records[customer_id]
        if start > record.get("lastJob", ""):
            record["lastJob"] = start

    # -- reads -------------------------------------------------------------------------------

    def get(self, customer_id: str) -> Json:
        try:
            return self.records[customer_id]
        except KeyError:
            raise not_found(f"Customer not found: {customer_id}") from None

    def find_by_mobile(self, mobile: str) -> str | None:
        """The oldest customer whose `phone.mobile` is `mobile`."""
        found = self._by_mobile.get(mobile)
        return min(found, key=self._seq.__getitem__) if found else None

    def search(
        self,
        *,
        customer_id: str | None,
        phone: str | None,
        email: str | None,
        identifiers: str | None,
        limit: int,
    ) -> list[Json]:
        """GET /customers: any criterion may match (OR); no criterion gives nothing."""
        terms = [check.search_term(raw) for raw in (identifiers or "").split(",")]
        terms = [term for term in terms if term]
        if len(terms) > check.MAX_IDENTIFIERS:
            raise bad_request(f"identifiers accepts at most {check.MAX_IDENTIFIERS} values")
        matched: set[str] = set()
        if customer_id:
            matched.update(self._ids_for(customer_id))
        if phone and phone.strip():
            matched.update(self._by_phone.get(check.search_term(phone), ()))
        if email and email.strip():
            matched.update(self._by_email.get(email.strip().casefold(), ()))
        for term in terms:
            matched.update(self._ids_for(term))
            matched.update(self._by_phone.get(term, ()))
            matched.update(self._by_email.get(term.casefold(), ()))
        ordered = sorted(matched, key=self._seq.__getitem__)
        return [self.records[found] for found in self._context.pick(ordered, limit)]

    def _ids_for(self, customer_id: str) -> Iterable[str]:
        return (customer_id,) if customer_id in self.records else ()

    # -- indexes -----------------------------------------------------------------------------

    def _index(self, record: Json) -> None:
        customer_id = record["customerId"]
        for number in record["phone"].values():
            if number:
                self._by_phone.setdefault(number, set()).add(customer_id)
        if record["phone"].get("mobile"):
            self._by_mobile.setdefault(record["phone"]["mobile"], set()).add(customer_id)
        for address in record["email"]:
            self._by_email.setdefault(address.casefold(), set()).add(customer_id)

    def _unindex(self, record: Json) -> None:
        customer_id = record["customerId"]
        keyed = [(self._by_phone, number) for number in record["phone"].values()]
        keyed.append((self._by_mobile, record["phone"].get("mobile", "")))
        keyed.extend((self._by_email, address.casefold()) for address in record["email"])
        for index, key in keyed:
            ids = index.get(key)
            if ids is not None:
                ids.discard(customer_id)
                if not ids:
                    del index[key]


def _set_display_name(record: Json) -> None:
    record["displayName"] = f"{record['firstName']} {record['lastName']}".strip()


def _union(stored: list[str], extra: list[str], *, folded: bool) -> list[str]:
    seen = {item.casefold() if folded else item for item in stored}
    merged = list(stored)
    for item in extra:
        key = item.casefold() if folded else item
        if key not in seen:
            seen.add(key)
            merged.append(item)
    return merged

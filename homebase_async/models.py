"""The API's data models (generated attrs classes), re-exported for users.

`from_dict`/`to_dict` convert to and from the API's JSON; keys the spec does not know are kept
in `additional_properties`. `from_dict` reads strictly: a value of the wrong type raises
`homebase_api.types.WrongShape` (a TypeError) naming the field. An optional field reads as
`X | Unset`; `Unset` is falsy, so `field or default` and `if field:` narrow it (README, "Typed
reading"). `Customer.phone` and `LineItem.tax_rate` are always present, empty when absent.
"""

from homebase_api.models import (
    CreatedLead,
    Customer,
    Job,
    Lead,
    LeadStatus,
    LegacyLeadSource,
    LineItem,
    MessageStats,
    MessageStatsLimits,
    MessageStatsUsage,
    Phone,
    PingData,
    RateLimits,
    SentMessage,
    TaxRate,
)
from homebase_api.types import UNSET, Unset

__all__ = [
    "UNSET",
    "CreatedLead",
    "Customer",
    "Job",
    "Lead",
    "LeadStatus",
    "LegacyLeadSource",
    "LineItem",
    "MessageStats",
    "MessageStatsLimits",
    "MessageStatsUsage",
    "Phone",
    "PingData",
    "RateLimits",
    "SentMessage",
    "TaxRate",
    "Unset",
]

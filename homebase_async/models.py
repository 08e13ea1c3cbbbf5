"""The API's data models (generated attrs classes), re-exported for users.

`from_dict`/`to_dict` convert to and from the API's JSON; keys the spec does not know are kept
in `additional_properties`.
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

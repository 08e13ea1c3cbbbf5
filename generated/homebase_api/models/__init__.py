"""Contains all the data models used in inputs/outputs"""

from .created_customer import CreatedCustomer
from .created_customer_response import CreatedCustomerResponse
from .created_job import CreatedJob
from .created_job_response import CreatedJobResponse
from .created_lead import CreatedLead
from .created_lead_response import CreatedLeadResponse
from .customer import Customer
from .customer_list_response import CustomerListResponse
from .customer_update import CustomerUpdate
from .error_response import ErrorResponse
from .job import Job
from .job_list_response import JobListResponse
from .job_update import JobUpdate
from .lead import Lead
from .lead_list_response import LeadListResponse
from .lead_status import LeadStatus
from .lead_update import LeadUpdate
from .legacy_lead_source import LegacyLeadSource
from .line_item import LineItem
from .message_data import MessageData
from .message_response import MessageResponse
from .message_stats import MessageStats
from .message_stats_limits import MessageStatsLimits
from .message_stats_response import MessageStatsResponse
from .message_stats_usage import MessageStatsUsage
from .new_customer import NewCustomer
from .new_job import NewJob
from .new_lead import NewLead
from .phone import Phone
from .ping_data import PingData
from .ping_response import PingResponse
from .rate_limits import RateLimits
from .send_message_request import SendMessageRequest
from .send_message_response import SendMessageResponse
from .sent_message import SentMessage
from .tax_rate import TaxRate

__all__ = (
    "CreatedCustomer",
    "CreatedCustomerResponse",
    "CreatedJob",
    "CreatedJobResponse",
    "CreatedLead",
    "CreatedLeadResponse",
    "Customer",
    "CustomerListResponse",
    "CustomerUpdate",
    "ErrorResponse",
    "Job",
    "JobListResponse",
    "JobUpdate",
    "Lead",
    "LeadListResponse",
    "LeadStatus",
    "LeadUpdate",
    "LegacyLeadSource",
    "LineItem",
    "MessageData",
    "MessageResponse",
    "MessageStats",
    "MessageStatsLimits",
    "MessageStatsResponse",
    "MessageStatsUsage",
    "NewCustomer",
    "NewJob",
    "NewLead",
    "Phone",
    "PingData",
    "PingResponse",
    "RateLimits",
    "SendMessageRequest",
    "SendMessageResponse",
    "SentMessage",
    "TaxRate",
)

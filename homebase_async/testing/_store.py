"""Everything the fake stores, in one object the routes and the public API share."""

from __future__ import annotations

from ._common import Context, NowSource, Order
from ._customers import CustomerBook
from ._jobs import JobBook
from ._leads import LeadBook
from ._messages import Messenger


class Store:
    """The business account: its key, records and SMS counter."""

    def __init__(
        self,
        *,
        api_key: str,
        business_email: str,
        enterprise: bool,
        sms_daily_limit: int,
        order: Order,
        seed: int,
        now: NowSource,
        timezone: str,
    ) -> None:
        self.api_key = api_key
        self.business_email = business_email
        self.context = Context(seed=seed, order=order, now=now, timezone=timezone)
        self.customers = CustomerBook(self.context)
        self.jobs = JobBook(self.context, self.customers)
        self.leads = LeadBook(self.context, self.customers)
        self.messages = Messenger(
            self.context, self.customers, enterprise=enterprise, daily_limit=sms_daily_limit
        )

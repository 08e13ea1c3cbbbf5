"""A small typed user program reading nested optional fields (checked with `mypy --strict`
by scripts/typecheck_examples.py, with no error code disabled; run by test_typed_reading.py).

Optional fields read as `X | Unset`, and `Unset` is falsy: `field or default` and `if field:`
narrow them as they would `X | None`. An optional object of optional fields (`phone`, a line
item's `tax_rate`) is always there, empty when the answer has none.
"""

from __future__ import annotations

from homebase_async import HomebaseClient
from homebase_async.models import Customer, Job


def contact(customer: Customer) -> str:
    name = customer.display_name or f"{customer.first_name or ''} {customer.last_name or ''}"
    mobile: str | None = customer.phone.mobile or None
    emails: list[str] = customer.email or []
    reach = mobile or (emails[0] if emails else "no contact")
    return f"{name.strip()} <{reach}>"


def job_line(job: Job) -> str:
    total: float = job.job_total or 0.0
    who = contact(job.customer) if job.customer else "unknown customer"
    taxed = [item.name for item in job.line_items or [] if item.tax_rate.rate]
    when = job.start.date().isoformat() if job.start else "unscheduled"
    return f"{when} {who}: ${total:.2f} ({len(taxed)} taxed items)"


async def report(hb: HomebaseClient, email: str, start: str, end: str) -> list[str]:
    """One line for the customer with this e-mail, then one per job of theirs in [start, end]."""
    found = await hb.customers.search(email=email)
    if not found:
        return []
    ada = found[0]
    jobs = await hb.jobs.list(start=start, end=end, limit=100)
    return [contact(ada)] + [job_line(j) for j in jobs if j.customer_id == ada.customer_id]

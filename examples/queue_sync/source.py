"""Where a business's API key and nightly data come from: your own database, in real life.

Here they are made up, the same on every call (a retried task must see the same items), so
the example runs against `FakeBusinesses` with nothing else to set up.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

#: Items per business: customers to upsert, jobs to create, SMS reminders to send.
SIZES = tuple(int(n) for n in os.environ.get("QUEUE_SYNC_SIZES", "20,10,15").split(","))


def businesses(count: int) -> list[str]:
    """The businesses this platform syncs."""
    return [f"biz-{n:03d}" for n in range(count)]


def api_key(business: str) -> str:
    """The business's Homebase360 API key (a secret store, in real life)."""
    return f"key-{business}"


def phone(index: int) -> str:
    return f"+1303555{index:04d}"


def customers(business: str) -> list[dict[str, Any]]:
    count = SIZES[0]
    return [
        {
            "first_name": f"Customer{index}",
            "last_name": business,
            "email": f"c{index}@{business}.example",
            "phone": phone(index),
        }
        for index in range(count)
    ]


def jobs(business: str, night: str, ids: list[str]) -> list[dict[str, Any]]:
    """One job per customer (of the first SIZES[1]), given their ids in `customers` order."""
    day = dt.datetime.fromisoformat(night).replace(hour=8, tzinfo=dt.UTC) + dt.timedelta(days=1)
    return [
        {
            "customer_id": customer_id,
            "start": day + dt.timedelta(minutes=10 * index),
            "end": day + dt.timedelta(minutes=10 * index + 60),
            "line_items": [{"name": "Window Cleaning", "quantity": 1, "unitPrice": "150.00"}],
            "note": f"{business} job {index}",
        }
        for index, customer_id in enumerate(ids[: SIZES[1]])
    ]


def reminders(business: str, night: str) -> list[dict[str, Any]]:
    return [
        {
            "mobile_phone": phone(index),
            "message": f"{business}: see you tomorrow ({night}) #{index}",
        }
        for index in range(SIZES[2])
    ]

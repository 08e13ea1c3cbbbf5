"""A stateful fake Homebase360 server with fault injection, for testing API clients.

```python
fake = FakeHomebase(faults=Faults(error_rates={503: 0.1}))
customer_id = fake.add_customer(first_name="Ada", phone="+13035550100")
async with httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url) as client:
    ...
async with HomebaseClient(fake.api_key, base_url=fake.base_url, transport=fake.transport()) as hb:
    ...
```

`fake.base_url` is `http://127.0.0.1/api/v1`: the in-process transport ignores the host, and a
loopback host is the only one `HomebaseClient` accepts over plain http.

Where the API's documentation is silent, the fake decides as follows:

- Errors are `{"success": false, "error": message}`; a 400's message names the field.
  Creates answer 201, updates and sends 200. Updates take PUT and PATCH alike.
- Customer search: `phone` and `identifiers` match every phone key, e-mails match without
  regard to case, and a query value that is digits after a space is read as `+digits` (a raw
  `+` decodes to a space). Unknown ids give `[]`, not 404.
- Customer update: the phone keys sent are merged into the stored phone object; arrays
  replace; string forms of `email`, `address` and `tags` are accepted on create only.
- Phone numbers: `mobile`, `home`, `work`, `additional` must match `^\\+1\\d{10}$` or be
  empty; other phone keys take any string.
- Jobs: `startDate`/`endDate` bound the job's start, inclusive; `jobId` combines with them.
  Jobs and leads embed their customer as it is when read. A lead's merge caps `email` and
  `address` at 2 values, stored ones first.
- SMS: `/messages/send` and `/messages/stats` answer 403 without Enterprise; the checks
  run in the order 403, 400, 404, 429. The daily counter resets at UTC midnight.
- Injected 429s say "Too many requests" (with `Retry-After` as configured); the SMS quota's
  429 says "Daily SMS limit reached ..." and has no `Retry-After`.

Several businesses, one API key each, behind one server: `FakeBusinesses(["key-1", "key-2"])`.
"""

from .._retry import no_retry_sleeps
from ._businesses import FakeBusinesses
from ._cli import main
from ._fake import FakeHomebase
from ._faults import Faults
from ._log import RequestRecord, RequestStats
from ._middleware import ConnectionDropped
from ._populate import Populated

__all__ = [
    "ConnectionDropped",
    "FakeBusinesses",
    "FakeHomebase",
    "Faults",
    "Populated",
    "RequestRecord",
    "RequestStats",
    "main",
    "no_retry_sleeps",
]

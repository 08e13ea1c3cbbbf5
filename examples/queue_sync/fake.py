"""Fakes of the businesses to try the example on: `python fake.py [COUNT]` serves one
`FakeBusinesses` (an API key per business, from source.api_key) and prints its base URL:
`export HOMEBASE_BASE_URL=<that URL>` before starting the workers. Stop it with Ctrl-C; it
prints each business's customers, jobs and SMS sent."""

from __future__ import annotations

import asyncio
import contextlib
import sys

from source import api_key, businesses

from homebase_async.testing import FakeBusinesses


async def main(count: int) -> None:
    names = businesses(count)
    fakes = FakeBusinesses([api_key(name) for name in names])
    try:
        async with fakes.serve(port=8765) as base_url:
            print(base_url, flush=True)
            await asyncio.Event().wait()
    finally:
        for name in names:
            fake = fakes[api_key(name)]
            print(
                f"{name}: {len(fake.customers)} customers, {len(fake.jobs)} jobs, "
                f"{len(fake.sms_sent)} SMS"
            )


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))

"""The fake served over loopback from a background thread, for the CLI's synchronous tests."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

from homebase_async.testing import FakeHomebase

# Distinctive, so a leak into any output is easy to spot.
API_KEY = "hb-cli-secret-Kq7Wz2xP"
START = datetime(2024, 1, 1, tzinfo=UTC)
END = datetime(2024, 3, 1, tzinfo=UTC)


class ServedFake:
    """Runs `fake.serve()` in its own thread and event loop until `stop()`."""

    def __init__(self, fake: FakeHomebase) -> None:
        self.fake = fake
        self.url = ""
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=asyncio.run, args=(self._main(),), daemon=True)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            async with self.fake.serve() as url:
                self.url = url
                self._ready.set()
                await self._stop.wait()
        finally:
            self._ready.set()

    def start(self) -> str:
        self._thread.start()
        self._ready.wait(10)
        assert self.url, "the fake did not start"
        return self.url

    def stop(self) -> None:
        """Stop serving (the fake "dies"): later connections are refused."""
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)

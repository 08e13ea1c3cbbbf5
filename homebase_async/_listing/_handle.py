"""`Listing`: what `jobs.iterate` and `leads.iterate` return."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from types import TracebackType
from typing import Generic, TypeVar

from .._telemetry import ListingSpan

T = TypeVar("T")

__all__ = ["Listing"]


class Listing(AsyncIterator[T], Generic[T]):
    """An async iterator over a complete listing; also an async context manager.

    Requests run ahead of the loop. Leaving `async with hb.jobs.iterate(...) as jobs:` (or
    `contextlib.aclosing`, or calling `aclose()`) cancels every request in flight and frees
    the client's permits at once; a loop left by `break` alone does so only when the iterator
    is garbage collected.
    """

    def __init__(self, source: AsyncGenerator[T, None], *, name: str = "homebase.listing") -> None:
        self._source = source
        self._span = ListingSpan(name)

    def __aiter__(self) -> Listing[T]:
        return self

    async def __anext__(self) -> T:
        with self._span.step():
            try:
                item = await self._source.__anext__()
            except StopAsyncIteration:
                self._span.end()
                raise
            except BaseException as exc:
                self._span.end(exc)
                raise
        self._span.yielded += 1
        return item

    async def aclose(self) -> None:
        """Stop: cancel what is in flight and release every permit."""
        try:
            await self._source.aclose()
        finally:
            self._span.end()

    def __del__(self) -> None:
        # A loop left by `break` without closing: end the span rather than leak it open.
        self._span.end()

    async def __aenter__(self) -> Listing[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

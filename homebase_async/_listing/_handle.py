"""`Listing`: what `jobs.iterate` and `leads.iterate` return."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")

__all__ = ["Listing"]


class Listing(AsyncIterator[T], Generic[T]):
    """An async iterator over a complete listing; also an async context manager.

    Requests run ahead of the loop. Leaving `async with hb.jobs.iterate(...) as jobs:` (or
    `contextlib.aclosing`, or calling `aclose()`) cancels every request in flight and frees
    the client's permits at once; a loop left by `break` alone does so only when the iterator
    is garbage collected.
    """

    def __init__(self, source: AsyncGenerator[T, None]) -> None:
        self._source = source

    def __aiter__(self) -> Listing[T]:
        return self

    async def __anext__(self) -> T:
        return await self._source.__anext__()

    async def aclose(self) -> None:
        """Stop: cancel what is in flight and release every permit."""
        await self._source.aclose()

    async def __aenter__(self) -> Listing[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

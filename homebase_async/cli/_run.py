"""How a command runs and ends: the event loop and SIGTERM, exit codes, its words on stderr."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Coroutine, Iterable
from typing import Any, NoReturn, TypeVar

import click
import httpx

from .._errors import (
    AuthenticationError,
    ConfigurationError,
    HomebaseError,
    JournalBusyError,
    NotFoundError,
    PermissionDeniedError,
    TransportError,
    ValidationError,
)

__all__ = [
    "EXIT_AUTH",
    "EXIT_BUSY",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "Terminated",
    "describe_error",
    "exit_code_for",
    "fail",
    "finish",
    "item_error",
    "note",
    "path_hint",
    "replay_label",
    "run",
    "worst_exit",
]

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
#: Another run holds the journal's lease: this run sent nothing (run it again later).
EXIT_BUSY = 4
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as shells report it
API_PATH = "/api/v1"


class Terminated(Exception):
    """SIGTERM stopped the command; its cleanups ran, as after Ctrl-C."""


T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run one command's coroutine; Ctrl-C or SIGTERM cancels it, so its cleanups run.

    Ctrl-C re-raises KeyboardInterrupt (asyncio.run's handling); SIGTERM raises Terminated.
    """
    terminated = False

    async def main() -> T:
        nonlocal terminated
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None

        def terminate() -> None:
            nonlocal terminated
            terminated = True
            task.cancel()

        loop.add_signal_handler(signal.SIGTERM, terminate)
        try:
            return await coro
        finally:
            loop.remove_signal_handler(signal.SIGTERM)

    try:
        return asyncio.run(main())
    except asyncio.CancelledError:
        if terminated:
            raise Terminated from None
        raise


def finish(code: int) -> None:
    """End the command with `code` unless it is 0."""
    if code != EXIT_OK:
        raise click.exceptions.Exit(code)


def host_not_found(error: BaseException) -> bool:
    """A DNS failure anywhere in the chain (the SDK's HostNotFoundError, or the raw cause)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror) or type(current).__name__ in (
            "HostNotFoundError",
            "ClientConnectorDNSError",
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


def exit_code_for(error: HomebaseError) -> int:
    if isinstance(error, JournalBusyError):
        return EXIT_BUSY
    if isinstance(error, ConfigurationError | AuthenticationError | PermissionDeniedError):
        return EXIT_AUTH
    if isinstance(error, TransportError) and host_not_found(error):
        return EXIT_AUTH
    if isinstance(error, ValidationError):
        return EXIT_USAGE
    return EXIT_PARTIAL


def worst_exit(errors: Iterable[HomebaseError]) -> int:
    """1 for failed items; 2 when an item's own input was bad; 3 when one failed on the key,
    the account or the host (it affects all)."""
    codes = {exit_code_for(error) for error in errors}
    for code in (EXIT_AUTH, EXIT_USAGE):
        if code in codes:
            return code
    return EXIT_PARTIAL


def path_hint(error: BaseException, base_url: str | None) -> str:
    """For a 404, a hint when the base URL lacks the API's path (the usual cause)."""
    if not isinstance(error, NotFoundError) or base_url is None:
        return ""
    if httpx.URL(base_url).path.rstrip("/").endswith(API_PATH):
        return ""
    return f" (the base URL {base_url} does not end in {API_PATH}: is that path missing?)"


def describe_error(error: HomebaseError, base_url: str | None = None) -> str:
    """A one-line message; SDK errors never carry request headers, so never the key."""
    if isinstance(error, AuthenticationError):
        return f"authentication failed ({error}): check HOMEBASE_API_KEY or --api-key-file"
    if isinstance(error, PermissionDeniedError):
        return f"not allowed for this account ({error})"
    if isinstance(error, ConfigurationError):
        return f"configuration: {error}"
    if isinstance(error, TransportError) and host_not_found(error):
        return f"host not found ({error}): check --base-url or HOMEBASE_BASE_URL"
    return f"{type(error).__name__}: {error}{path_hint(error, base_url)}"


def item_error(error: HomebaseError, base_url: str | None) -> str:
    return f"{type(error).__name__}: {error}{path_hint(error, base_url)}"


def replay_label(report: object, journal: str | None) -> tuple[set[int] | None, str]:
    """Which indexes of `report` an earlier run did (from the journal), when the report says,
    and how to label counts when it cannot say. `journal`: None when no earlier run can have
    written it (no --journal, or its file did not exist before this run)."""
    replayed = getattr(report, "from_journal", None)
    if replayed is not None:
        return set(replayed), ""
    if journal is None:
        return set(), ""
    # TODO(lead): reports gain `from_journal`; until then a count cannot be split.
    return None, " (in this run or, from the journal, by an earlier one)"


def note(message: str) -> None:
    click.echo(f"homebase: {message}", err=True)


def fail(message: str, code: int) -> NoReturn:
    note(message)
    raise click.exceptions.Exit(code)

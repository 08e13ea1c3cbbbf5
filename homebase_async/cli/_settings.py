"""What every API command shares: the connection options, the client, and exit codes."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import attrs
import click
import httpx

from .._client import HomebaseClient
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
from ._progress import wants_progress

__all__ = [
    "EXIT_AUTH",
    "EXIT_BUSY",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "Settings",
    "Terminated",
    "api_options",
    "describe_error",
    "exit_code_for",
    "fail",
    "finish",
    "run",
    "settings",
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


F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@attrs.define
class Settings:
    """The connection options of one command run (kept in click's `ctx.obj`)."""

    api_key_file: str | None = None
    base_url: str | None = None
    concurrency: int | None = None
    progress: bool | None = None
    proxy: str | None = None

    @property
    def show_progress(self) -> bool:
        return wants_progress(self.progress)

    def api_key(self) -> str:
        """The key from `--api-key-file`, else `HOMEBASE_API_KEY`; never printed."""
        if self.api_key_file is not None:
            try:
                key = Path(self.api_key_file).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot read --api-key-file {self.api_key_file!r}: {exc.strerror}"
                ) from None
            if not key:
                raise ConfigurationError(f"--api-key-file {self.api_key_file!r} is empty")
            return key
        key = os.environ.get("HOMEBASE_API_KEY", "").strip()
        if not key:
            raise ConfigurationError("no API key: set HOMEBASE_API_KEY or pass --api-key-file FILE")
        return key

    def client(self) -> HomebaseClient:
        kwargs: dict[str, Any] = {"base_url": self.base_url}
        if self.concurrency is not None:
            kwargs["max_concurrency"] = self.concurrency
        if self.proxy is not None:
            kwargs["proxy"] = self.proxy
        client = HomebaseClient(self.api_key(), **kwargs)
        self.base_url = client.base_url
        if client.proxy is None:  # behind a proxy, the proxy resolves the API's host
            check_host(client.base_url)
        return client


def check_host(base_url: str) -> None:
    """Fail fast, once, on a host that does not resolve: retrying cannot fix a wrong name."""
    url = httpx.URL(base_url)
    try:
        socket.getaddrinfo(url.host, url.port or 443, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigurationError(
            f"cannot resolve host {url.host!r} ({exc.strerror}): check --base-url or "
            "HOMEBASE_BASE_URL, and the network"
        ) from None


def _store(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is not None:
            setattr(ctx.find_root().ensure_object(Settings), name, value)
        return value

    return callback


_API_OPTIONS = (
    click.option(
        "--api-key-file",
        metavar="FILE",
        envvar="HOMEBASE_API_KEY_FILE",
        expose_value=False,
        callback=_store("api_key_file"),
        help="Read the API key from FILE (default: the HOMEBASE_API_KEY variable).",
    ),
    click.option(
        "--base-url",
        metavar="URL",
        envvar="HOMEBASE_BASE_URL",
        expose_value=False,
        callback=_store("base_url"),
        help="API base URL (default: production; plain http only to loopback).",
    ),
    click.option(
        "--concurrency",
        type=click.IntRange(1, 256),
        expose_value=False,
        callback=_store("concurrency"),
        help="Most requests in flight at once (default 16).",
    ),
    click.option(
        "--proxy",
        metavar="URL",
        expose_value=False,
        callback=_store("proxy"),
        help="Send requests through this http(s) proxy (default: HTTPS_PROXY/HTTP_PROXY).",
    ),
    click.option(
        "--progress/--no-progress",
        default=None,
        expose_value=False,
        callback=_store("progress"),
        help="Progress bar on stderr (default: only when stderr is a terminal).",
    ),
)


def api_options(func: F) -> F:
    """Add the connection options to a command; read them with `click.get_current_context`."""
    for option in reversed(_API_OPTIONS):
        func = option(func)
    return func


def settings() -> Settings:
    # On the root context, so the root group's error handling sees the command's settings.
    return click.get_current_context().find_root().ensure_object(Settings)


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


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"homebase: {message}", err=True)
    raise click.exceptions.Exit(code)

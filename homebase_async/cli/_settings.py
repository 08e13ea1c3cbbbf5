"""What every API command shares: the connection options, the client, and exit codes."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import attrs
import click

from .._client import HomebaseClient
from .._errors import (
    AuthenticationError,
    ConfigurationError,
    HomebaseError,
    PermissionDeniedError,
    ValidationError,
)
from ._progress import wants_progress

__all__ = [
    "EXIT_AUTH",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "Settings",
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
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@attrs.define
class Settings:
    """The connection options of one command run (kept in click's `ctx.obj`)."""

    api_key_file: str | None = None
    base_url: str | None = None
    concurrency: int | None = None
    progress: bool | None = None

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
        return HomebaseClient(self.api_key(), **kwargs)


def _store(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is not None:
            setattr(ctx.ensure_object(Settings), name, value)
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
    return click.get_current_context().ensure_object(Settings)


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run one command's coroutine; Ctrl-C cancels it (cleanups run) and re-raises."""
    return asyncio.run(coro)


def finish(code: int) -> None:
    """End the command with `code` unless it is 0."""
    if code != EXIT_OK:
        raise click.exceptions.Exit(code)


def exit_code_for(error: HomebaseError) -> int:
    if isinstance(error, ConfigurationError | AuthenticationError | PermissionDeniedError):
        return EXIT_AUTH
    if isinstance(error, ValidationError):
        return EXIT_USAGE
    return EXIT_PARTIAL


def describe_error(error: HomebaseError) -> str:
    """A one-line message; SDK errors never carry request headers, so never the key."""
    if isinstance(error, AuthenticationError):
        return f"authentication failed ({error}): check HOMEBASE_API_KEY or --api-key-file"
    if isinstance(error, PermissionDeniedError):
        return f"not allowed for this account ({error})"
    if isinstance(error, ConfigurationError):
        return f"configuration: {error}"
    return f"{type(error).__name__}: {error}"


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"homebase: {message}", err=True)
    raise click.exceptions.Exit(code)

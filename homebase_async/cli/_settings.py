"""The connection options every API command shares, and the client made from them."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click
import httpx

from .._client import HomebaseClient
from .._errors import ConfigurationError
from ._progress import wants_progress

__all__ = ["Settings", "api_options", "check_host", "settings"]

F = TypeVar("F", bound=Callable[..., Any])


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

"""What the PostgreSQL journal store and the shared SMS reservations share: the URL, the
connection settings that make a dead worker's session end, the schema and its version.

One database serves many businesses and many runs: every table is keyed by `scope` (a digest
of the business's API key, never the key) and the tables carry a `homebase_` prefix, so they
can live beside the application's own (and procrastinate's) tables.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from typing import TYPE_CHECKING, Any

from .._errors import JournalError, ValidationError
from ._store import COLUMNS_DDL, SCHEMA_VERSION, check_version

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "KEEPALIVE",
    "POSTGRES_SCHEMES",
    "PgUrl",
    "advisory_key",
    "connect",
    "ensure_schema",
    "hide",
    "parse_url",
    "redact_url",
]

#: Seconds of silence before a TCP keepalive probe, the probes' interval and count: a worker
#: whose machine vanished (no FIN, no RST) has its session ended by the server after about
#: 10 + 5 * 3 = 25 s, which releases its lease and its SMS reservations. Both sides probe;
#: the server's side is the one that frees the locks. `tcp_user_timeout` (ms) bounds
#: unacknowledged writes the same way. Not `idle_session_timeout`: a run waiting out a rate
#: limit is idle yet alive, and must keep its lease.
KEEPALIVE = {"idle": 10, "interval": 5, "count": 3, "user_timeout_ms": 30_000}
CONNECT_TIMEOUT = 10

_SERVER_OPTIONS = " ".join(
    [
        f"-c tcp_keepalives_idle={KEEPALIVE['idle']}",
        f"-c tcp_keepalives_interval={KEEPALIVE['interval']}",
        f"-c tcp_keepalives_count={KEEPALIVE['count']}",
        f"-c tcp_user_timeout={KEEPALIVE['user_timeout_ms']}",
        # A commit returns once it is on disk, whatever the database's default says: "in
        # flight" must be durable before the request goes out.
        "-c synchronous_commit=on",
    ]
)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS homebase_journal_meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS homebase_journal_items (
    scope     TEXT NOT NULL,
    run       TEXT NOT NULL,{COLUMNS_DDL}
    PRIMARY KEY (scope, run, operation, key)
);
CREATE TABLE IF NOT EXISTS homebase_journal_holders (
    scope       TEXT PRIMARY KEY,
    pid         INTEGER NOT NULL,
    host        TEXT NOT NULL,
    started     TEXT NOT NULL,
    run         TEXT NOT NULL,
    backend_pid INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS homebase_sms_days (
    scope      TEXT NOT NULL,
    day        DATE NOT NULL,
    used       INTEGER NOT NULL,
    day_limit  INTEGER NOT NULL,
    PRIMARY KEY (scope, day)
);
CREATE TABLE IF NOT EXISTS homebase_sms_reservations (
    token         TEXT PRIMARY KEY,
    scope         TEXT NOT NULL,
    backend_pid   INTEGER NOT NULL,
    backend_start TIMESTAMPTZ NOT NULL,
    created       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS homebase_sms_reservations_scope ON homebase_sms_reservations (scope);
"""


def advisory_key(*parts: str) -> int:
    """A signed 64-bit key for PostgreSQL's advisory locks, from `parts` (a hash: two
    businesses share a key with odds of 1 in 2**64)."""
    digest = hashlib.blake2b("\x00".join(("homebase-async", *parts)).encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


class PgUrl:
    """A `postgresql://` journal URL: `conninfo` to connect with (no `run`), `run`, and
    `name`, the URL as messages show it (password replaced by `***`)."""

    def __init__(self, conninfo: str, run: str, name: str) -> None:
        self.conninfo = conninfo
        self.run = run
        self.name = name

    def __repr__(self) -> str:
        return f"PgUrl({self.name!r})"


#: The URL schemes of a PostgreSQL journal.
POSTGRES_SCHEMES = ("postgresql", "postgres")


def redact_url(location: str) -> str:
    """A location fit for messages: a URL's password replaced by `***`."""
    parts = urllib.parse.urlsplit(location)
    if parts.scheme not in POSTGRES_SCHEMES or parts.password is None:
        return location
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def parse_url(url: str, *, need_run: bool = True) -> PgUrl:
    """Split `?run=NAME` off a journal URL (ValidationError naming the redacted URL when it
    is missing and needed)."""
    name = redact_url(url)
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    runs = [value for field, value in query if field == "run"]
    if need_run and (len(runs) != 1 or not runs[0].strip()):
        raise ValidationError(
            "journal",
            f"{name!r} needs one run name: add ?run=NAME (e.g. ?run=nightly-acme), the "
            "same on every retry of the task",
        )
    # %20, not +, for a space: libpq decodes only percent escapes.
    rest = urllib.parse.urlencode(
        [(field, value) for field, value in query if field != "run"], quote_via=urllib.parse.quote
    )
    conninfo = urllib.parse.urlunsplit(parts._replace(query=rest))
    return PgUrl(conninfo, runs[0] if runs else "", name)


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise ImportError(
            "postgresql:// journals need the PostgreSQL driver: "
            "pip install 'homebase-async[postgres]'"
        ) from None
    return psycopg


def hide(text: str, url: str) -> str:
    """`text` (a driver's message) with the URL's password taken out, should it appear."""
    password = urllib.parse.urlsplit(url).password
    return text.replace(password, "***") if password else text


async def connect(url: PgUrl, what: str) -> psycopg.AsyncConnection[Any]:
    """A connection of its own (never pooled: the session holds the locks), autocommit, with
    keepalives on both sides; JournalError naming the redacted URL if it cannot be made."""
    pg = _driver()
    try:
        # The URL's own `options` (a search_path, say) come first; ours are added.
        given = pg.conninfo.conninfo_to_dict(url.conninfo).get("options") or ""
        conn: psycopg.AsyncConnection[Any] = await pg.AsyncConnection.connect(
            url.conninfo,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT,
            keepalives=1,
            keepalives_idle=KEEPALIVE["idle"],
            keepalives_interval=KEEPALIVE["interval"],
            keepalives_count=KEEPALIVE["count"],
            tcp_user_timeout=KEEPALIVE["user_timeout_ms"],
            application_name=f"homebase-async {what}",
            options=f"{given} {_SERVER_OPTIONS}".strip(),
        )
    except pg.Error as exc:
        raise JournalError(
            f"journal {url.name!r} cannot be opened: {hide(str(exc), url.conninfo)}"
        ) from None
    return conn


async def ensure_schema(conn: psycopg.AsyncConnection[Any], url: PgUrl) -> None:
    """Create the tables on first use (two workers at once wait on one advisory lock), and
    refuse a database whose schema is newer than this SDK's."""
    pg = _driver()
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (advisory_key("schema"),))
            await conn.execute(_SCHEMA)
            await conn.execute(
                "INSERT INTO homebase_journal_meta VALUES ('schema_version', %s)"
                " ON CONFLICT (name) DO NOTHING",
                (str(SCHEMA_VERSION),),
            )
            found = await conn.execute(
                "SELECT value FROM homebase_journal_meta WHERE name = 'schema_version'"
            )
            (version,) = await found.fetchone() or ("0",)
    except pg.Error as exc:
        raise JournalError(
            f"journal {url.name!r} cannot be opened: {hide(str(exc), url.conninfo)}"
        ) from None
    check_version(url.name, version)

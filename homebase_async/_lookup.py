"""Bulk customer lookup: any number of identifiers, complete despite the cap on each answer."""

from __future__ import annotations

import math
import warnings
from collections.abc import Awaitable, Callable, Iterable, Mapping

import attrs
from homebase_api.models import Customer

from ._bulk import Progress, Tally, TruncatedResultWarning, pool, unique
from ._errors import HomebaseError, UnexpectedResponseError, ValidationError
from ._ratelimit import Throttle
from ._validation import (
    CUSTOMERS_DEFAULT_LIMIT,
    E164,
    MAX_QUERY_LENGTH,
    check_phone,
    check_query,
    looks_like_phone,
    may_be_capped,
)

__all__ = ["LookupResult", "lookup"]

MAX_PER_REQUEST = 100
# A response of exactly 100 (or 25, `may_be_capped`) may be truncated and costs a split: aim
# at 99 at most, with a margin of SAFETY standard deviations of the matches a chunk of that
# size would bring.
MOST_RESULTS = 99
SAFETY = 2.0

Search = Callable[[list[str]], Awaitable[list[Customer]]]


@attrs.frozen(kw_only=True)
class LookupResult:
    """Where every identifier of a lookup ended: exactly one of matches, missing, failed.

    `matches` is keyed by the identifier as given; `customers` holds each found customer once.
    `truncated` lists identifiers that alone matched as many customers as an answer can hold
    (100, or exactly 25, where a server ignoring `limit` cuts), so their match lists may be
    incomplete (a TruncatedResultWarning was issued).
    """

    matches: dict[str, list[Customer]]
    missing: list[str]
    failed: dict[str, HomebaseError]
    customers: list[Customer]
    truncated: list[str] = attrs.field(factory=list)
    requests: int = 0


def identifier_key(identifier: object) -> str:
    """The form an identifier is sent and matched in; ValidationError when it cannot be sent.

    Digits and phone punctuation only mean a phone (customer ids carry letters): a common US
    form is normalised to E.164, anything else is refused rather than reported missing.
    """
    if not isinstance(identifier, str) or not identifier.strip():
        raise ValidationError("identifiers", f"empty identifier: {identifier!r:.80}")
    if "," in identifier:
        raise ValidationError("identifiers", f"contains a comma: {identifier!r:.80}")
    if len(identifier) > MAX_QUERY_LENGTH:
        check_query("identifiers", identifier)  # raises, with the message of every query value
    # The common forms first (a bulk lookup calls this 10,000 times): an e-mail is never a
    # phone (`@` is not phone punctuation), and E.164 is already the phone's key.
    if "@" in identifier:
        return identifier.casefold()
    if E164.fullmatch(identifier):
        return identifier
    if looks_like_phone(identifier):
        return check_phone("identifiers", identifier)
    return identifier


def _matched(customer: Customer, wanted: set[str]) -> list[str]:
    """The keys of `wanted` that `customer` matches (see `identifier_key`), each once.

    Tested member by member: building the set of the customer's keys to intersect it cost
    more than the rest of a lookup's bookkeeping.
    """
    hits: list[str] = []
    if customer.customer_id in wanted:
        hits.append(customer.customer_id)
    phone = customer.phone
    if phone:
        numbers = [phone.mobile, phone.home, phone.work, phone.additional]
        if phone.additional_properties:
            numbers += phone.additional_properties.values()
        for number in numbers:
            if number and isinstance(number, str) and number in wanted and number not in hits:
                hits.append(number)
    emails = customer.email
    if isinstance(emails, list):
        for email in emails:
            if isinstance(email, str):
                folded = email.casefold()
                if folded in wanted and folded not in hits:
                    hits.append(folded)
    return hits


def _add(matches: list[Customer], customer: Customer) -> None:
    """`customer` into a key's list, once: an id seen before keeps its place, takes the new."""
    customer_id = customer.customer_id
    for index, seen in enumerate(matches):
        if seen.customer_id == customer_id:
            matches[index] = customer
            return
    matches.append(customer)


@attrs.define
class _Run:
    search: Search
    norms: list[str]
    tally: Tally
    cursor: int = 0
    pending: list[list[str]] = attrs.field(factory=list)
    # Matches per identifier over the answers so far (mean and variance size the chunks).
    identifiers_seen: int = 0
    count_sum: float = 0.0
    count_squares: float = 0.0
    requests: int = 0
    # Key -> its customers, each once: one list a key, handed out as the match list itself.
    found: dict[str, list[Customer]] = attrs.field(factory=dict)
    failed: dict[str, HomebaseError] = attrs.field(factory=dict)
    truncated: list[str] = attrs.field(factory=list)

    def next_chunk(self) -> list[str] | None:
        if self.pending:
            return self.pending.pop()
        if self.cursor >= len(self.norms):
            return None
        size = self.chunk_size()
        chunk = self.norms[self.cursor : self.cursor + size]
        self.cursor += len(chunk)
        return chunk

    def chunk_size(self) -> int:
        """The largest chunk whose matches stay under the cap with a safe margin.

        Until answers arrive, one match per identifier with a variance of one is assumed.
        """
        seen = self.identifiers_seen
        mean = (self.count_sum + 1) / (seen + 1)
        variance = max((self.count_squares + 2) / (seen + 1) - mean * mean, 0.0)
        spread = SAFETY * math.sqrt(variance) + 1e-9
        # k * mean + spread * sqrt(k) <= MOST_RESULTS, solved for sqrt(k).
        root = (-spread + math.sqrt(spread * spread + 4 * mean * MOST_RESULTS)) / (2 * mean)
        return max(1, min(MAX_PER_REQUEST, int(root * root)))

    async def work(self, chunk: list[str]) -> None:
        """One request of the bulk pool; a full answer is split and queued again."""
        self.requests += 1
        try:
            customers = await self.search(chunk)
        except HomebaseError as exc:
            self.failed.update(dict.fromkeys(chunk, exc))
            self.tally.add(len(chunk))
            return
        wanted = set(chunk)
        # Each customer matched once, for both the filter check and the attribution.
        hits = [(customer, _matched(customer, wanted)) for customer in customers]
        strays = [customer.customer_id for customer, keys in hits if not keys]
        if strays:
            # An answer holding customers none of the identifiers asked for was not filtered
            # as asked: what it lacks proves nothing (an upsert would create a duplicate).
            error = UnexpectedResponseError(
                f"getCustomers: customer {strays[0]} matches none of the identifiers asked "
                "for: the server did not filter by `identifiers`"
            )
            self.failed.update(dict.fromkeys(chunk, error))
            self.tally.add(len(chunk))
            return
        capped = may_be_capped(len(customers), CUSTOMERS_DEFAULT_LIMIT)
        if capped and len(chunk) > 1:
            half = len(chunk) // 2
            self.pending += [chunk[half:], chunk[:half]]
            return
        if capped:
            self.truncated.append(chunk[0])
        self._attribute(chunk, hits)
        self.tally.add(len(chunk))

    def _attribute(self, chunk: list[str], hits: list[tuple[Customer, list[str]]]) -> None:
        counts = dict.fromkeys(chunk, 0)
        found = self.found
        for customer, keys in hits:
            for key in keys:
                matches = found.get(key)
                if matches is None:
                    found[key] = [customer]
                else:
                    _add(matches, customer)
                counts[key] += 1
        self.identifiers_seen += len(chunk)
        self.count_sum += sum(counts.values())
        self.count_squares += sum(n * n for n in counts.values())


async def lookup(
    search: Search,
    identifiers: Iterable[str],
    *,
    concurrency: int,
    throttle: Throttle,
    on_progress: Progress | None = None,
) -> LookupResult:
    """Find the customers of every identifier; see `Customers.lookup`."""
    if isinstance(identifiers, str | bytes | Mapping) or not isinstance(identifiers, Iterable):
        raise ValidationError(
            "identifiers", f"expected an iterable of identifiers, got {identifiers!r:.80}"
        )
    try:
        given = unique(identifiers)
    except TypeError:
        # An unhashable identifier (a list, a dict) cannot be de-duplicated, let alone sent.
        raise ValidationError(
            "identifiers", "an identifier is unhashable: identifiers must be strings"
        ) from None
    failed: dict[str, HomebaseError] = {}
    # Each identifier's key is computed once: it was four calls per identifier.
    keys: dict[str, str] = {}
    for ident in given:
        try:
            keys[ident] = identifier_key(ident)
        except ValidationError as exc:
            failed[str(ident)] = exc
    run = _Run(
        search=search,
        norms=(norms := unique(keys.values())),
        tally=Tally(on_progress, len(norms)),
    )
    await pool(run.next_chunk, run.work, concurrency=concurrency, throttle=throttle)
    for ident in run.truncated:
        warnings.warn(
            f"identifier {ident!r} matches as many customers as one answer holds (100, or 25 "
            "where a server ignores `limit`): some may be missing",
            TruncatedResultWarning,
            stacklevel=3,
        )

    matches: dict[str, list[Customer]] = {}
    missing: list[str] = []
    customers: dict[str, Customer] = {}
    found, run_failed = run.found, run.failed
    given_once = len(norms) == len(keys)  # no two identifiers share a key (the usual case)
    for ident, key in keys.items():
        if key in run_failed:
            failed[ident] = run_failed[key]
        elif (hits := found.get(key)) is not None:
            # A key's list is the match list itself, copied only when another identifier of
            # the same key (`A@x.com`, `a@x.com`) gets it too: the lists stay the caller's own.
            matches[ident] = hits if given_once else list(hits)
            for customer in hits:
                customers[customer.customer_id] = customer
        else:
            missing.append(ident)
    truncated = set(run.truncated)
    return LookupResult(
        matches=matches,
        missing=missing,
        failed=failed,
        customers=list(customers.values()),
        truncated=[i for i, key in keys.items() if key in truncated],
        requests=run.requests,
    )

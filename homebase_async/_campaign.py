"""SMS in bulk: `send_many` within the budget, resumable through a journal, never resent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from homebase_api.models import SentMessage

from ._bulk import Outcome, Progress, SendReport, Tally, run_bulk
from ._errors import DailyLimitExceededError, HomebaseError, WriteOutcomeUnknownError
from ._journal import DONE, FAILED, IN_FLIGHT, UNKNOWN, KeyFunc, item_keys, open_journal
from ._ratelimit import Throttle
from ._settle import interrupted

__all__ = ["NOT_SENT", "send_many"]

NOT_SENT = "not_sent"
OPERATION = "sendMessage"
#: Sends one item; calls its second argument right before the request goes out.
Send = Callable[[Mapping[str, Any], Callable[[], object] | None], Awaitable[SentMessage]]


class _EarlierRun(HomebaseError):
    """What an earlier run recorded in the journal about this message."""


async def send_many(
    send: Send,
    items: Sequence[Mapping[str, Any]],
    *,
    concurrency: int,
    throttle: Throttle,
    on_progress: Progress | None,
    journal: str | None,
    key: KeyFunc | None,
) -> SendReport:
    """See `Messages.send_many`."""
    plain = [i if isinstance(i, Mapping) else {"item": repr(i)} for i in items]
    keys = item_keys(plain, key)
    book = open_journal(journal, "messages.send")
    sent: dict[int, SentMessage] = {}
    not_sent: dict[int, DailyLimitExceededError] = {}
    failed: dict[int, HomebaseError] = {}
    unknown: dict[int, WriteOutcomeUnknownError] = {}
    todo: list[int] = []
    earlier = book.read(keys) if book is not None else {}
    for index in range(len(items)):
        entry = earlier.get(keys[index])
        if entry is None or entry.state in (FAILED, NOT_SENT):
            todo.append(index)
        elif entry.state == DONE:
            sent[index] = SentMessage.from_dict(entry.result)
        elif entry.state == IN_FLIGHT:
            # The run that sent it died before hearing back: it may have gone out.
            unknown[index] = interrupted(OPERATION)
            assert book is not None
            book.finish(keys[index], UNKNOWN, error=str(unknown[index]))
        else:
            unknown[index] = WriteOutcomeUnknownError(OPERATION, _EarlierRun(str(entry.error)))
    tally = Tally(on_progress, len(items), done=len(items) - len(todo))

    async def one(index: int) -> SentMessage:
        def sending() -> None:
            if book is not None:
                book.start(keys[index], plain[index], action="send")

        return await send(items[index], sending)

    def after(position: int, outcome: Outcome[SentMessage]) -> None:
        index = todo[position]
        error = outcome.error
        if outcome.value is not None:
            sent[index] = outcome.value
        elif isinstance(error, DailyLimitExceededError):
            not_sent[index] = error
        elif isinstance(error, WriteOutcomeUnknownError):
            unknown[index] = error
        elif error is not None:
            failed[index] = error
        if book is None:
            return
        if outcome.value is not None:
            book.finish(keys[index], DONE, outcome="sent", result=outcome.value.to_dict())
        else:
            state = (
                NOT_SENT
                if isinstance(error, DailyLimitExceededError)
                else UNKNOWN
                if isinstance(error, WriteOutcomeUnknownError)
                else FAILED
            )
            text = f"{type(error).__name__}: {error}"
            book.finish(keys[index], state, error=text, item=plain[index])

    try:
        await run_bulk(
            todo,
            one,
            concurrency=concurrency,
            throttle=throttle,
            tally=tally,
            after=after,
        )
    finally:
        if book is not None:
            book.close()
    return SendReport(
        sent=dict(sorted(sent.items())),
        not_sent=dict(sorted(not_sent.items())),
        failed=dict(sorted(failed.items())),
        outcome_unknown=dict(sorted(unknown.items())),
    )

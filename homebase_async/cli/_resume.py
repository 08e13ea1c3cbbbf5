"""`jobs export -o F --resume`: continue an export where the file F ends.

With `--resume` the export writes F as it goes (one flushed JSON line per job) instead of
atomically, so an interrupted run leaves every complete line behind. The next run with
`--resume` drops a torn last line, reads the (start, jobId) of the last complete one and
continues after it (`jobs.iterate(after=...)`): jobs come in a fixed order, so nothing is
written twice and nothing is skipped.

F remembers which export it holds in a sidecar file, `F.export.json` (its range, in UTC):
resuming F with another range is refused, as it would mix two exports in one file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from ._output import OutputPathError

__all__ = ["bind_export", "forget_export", "resumable_output", "resume_point", "sidecar"]

_TAIL = 64 * 1024  # bytes read from the end to find the last line: far more than one job


def resume_point(path: str | os.PathLike[str]) -> tuple[dt.datetime, str] | None:
    """(start, jobId) of the last complete line of F, after dropping a torn last line.

    None when F is missing or empty. A last line that is not a job in the API's shape is an
    OutputPathError: F is not an export this command wrote.
    """
    target = Path(path)
    if not target.exists():
        return None
    with target.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        window = _TAIL
        while True:  # widen until the window holds the last complete line whole
            begin = max(0, size - window)
            handle.seek(begin)
            tail = handle.read()
            if begin == 0 or tail.count(b"\n") >= 2:
                break
            window *= 4
        end = tail.rfind(b"\n")
        keep = begin + end + 1  # 0 when no line is complete
        if keep < size:  # a line cut short by the interruption
            handle.truncate(keep)
        lines = tail[: end + 1].splitlines()[1 if begin else 0 :]
    last = next((line for line in reversed(lines) if line.strip()), None)
    if last is None:
        return None
    try:
        record = json.loads(last)
        start = dt.datetime.fromisoformat(record["start"])
        job_id = record["jobId"]
    except (ValueError, KeyError, TypeError):
        raise OutputPathError(
            f"-o {os.fspath(path)}: its last line is not an exported job"
        ) from None
    if not isinstance(job_id, str) or start.tzinfo is None:
        raise OutputPathError(f"-o {os.fspath(path)}: its last line is not an exported job")
    return start, job_id


def sidecar(path: str | os.PathLike[str]) -> Path:
    """Where F records the export it holds."""
    return Path(f"{os.fspath(path)}.export.json")


def _describe(record: dict[str, Any]) -> str:
    return f"--from {record.get('from')} --to {record.get('to')}"


def bind_export(path: str | os.PathLike[str], record: dict[str, Any]) -> None:
    """Before `--resume` writes F: refuse an F holding another export; record this one.

    An F with lines but no record (written by an export without --resume, or by hand) is
    refused too: nothing says which range it holds.
    """
    target, side = Path(path), sidecar(path)
    name = os.fspath(path)
    if target.exists() and target.stat().st_size > 0:
        try:
            recorded = json.loads(side.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise OutputPathError(
                f"-o {name}: no {side.name} says which export it holds (was it written with "
                "--resume?): remove it or export to another file"
            ) from None
        except (OSError, ValueError) as exc:
            raise OutputPathError(f"-o {name}: {side.name} cannot be read ({exc})") from None
        if recorded != record:
            raise OutputPathError(
                f"-o {name} holds the export {_describe(recorded)}; resuming it with "
                f"{_describe(record)} would mix two exports: use another file"
            )
        return
    temp = side.with_name(f".{side.name}.tmp")
    try:
        temp.write_text(json.dumps(record) + "\n", encoding="utf-8")
        os.replace(temp, side)
    except OSError as exc:
        raise OutputPathError(f"-o {name}: {side.name}: {exc.strerror or exc}") from None


def forget_export(path: str | os.PathLike[str]) -> None:
    """F was rewritten whole by an export without --resume: its old record no longer holds."""
    with contextlib.suppress(FileNotFoundError):
        sidecar(path).unlink()


@contextlib.contextmanager
def resumable_output(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """F opened for appending, line-buffered, so each job is on disk once written."""
    try:
        handle = open(path, "a", encoding="utf-8", newline="", buffering=1)  # noqa: SIM115
    except OSError as exc:
        raise OutputPathError(f"-o {os.fspath(path)}: {exc.strerror or exc}") from None
    with handle:
        yield handle

"""Atomic output files and the row writers."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from homebase_async.cli._output import CSV_FIELDS, atomic_text, row_writer


def test_the_file_appears_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with atomic_text(target) as handle:
        handle.write("one\n")
        assert not target.exists()
    assert target.read_text() == "one\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


@pytest.mark.parametrize("interruption", [RuntimeError, KeyboardInterrupt])
def test_an_interruption_keeps_the_previous_file(
    tmp_path: Path, interruption: type[BaseException]
) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("previous\n")

    def write_half() -> None:
        with atomic_text(target) as handle:
            handle.write("half a line")
            raise interruption

    with pytest.raises(interruption):
        write_half()
    assert target.read_text() == "previous\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_the_permissions_of_the_replaced_file_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_text(target) as handle:
        handle.write("new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        with atomic_text(tmp_path / "new.txt") as handle:
            handle.write("x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


def test_csv_rows_flatten_the_customer_and_nested_values() -> None:
    buffer = io.StringIO()
    write = row_writer(buffer, "csv", "job")
    items = [{"name": "Window Cleaning", "quantity": 1}]
    write(
        {
            "jobId": "J1",
            "customer": {"customerId": "C1", "firstName": "Ada", "lastName": "Lovelace"},
            "jobTotal": 160.5,
            "isRecurring": False,
            "lineItems": items,
        }
    )
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert list(rows[0]) == list(CSV_FIELDS["job"])
    assert rows[0]["customerId"] == "C1"
    assert rows[0]["customerName"] == "Ada Lovelace"
    assert rows[0]["isRecurring"] == "false"
    assert json.loads(rows[0]["lineItems"]) == items

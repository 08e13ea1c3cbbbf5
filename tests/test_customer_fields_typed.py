"""`customers.update` takes its fields as `**fields: Unpack[CustomerFields]`, and `create`
writes the same fields out (callers pass them by position too) under a test that holds the two
equal; mypy checks every keyword a caller passes: a misspelt field or a wrong type fails
type-checking, as it did when each field was written out in the signature."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

from homebase_async import HomebaseClient
from homebase_async._resources._customer_fields import FIELDS, CustomerFields

ROOT = Path(__file__).resolve().parents[1]

PROGRAM = """\
from homebase_async import HomebaseClient


async def right(hb: HomebaseClient) -> None:
    await hb.customers.create(
        first_name="Ada", email=["ada@example.com"], phone={"mobile": "+13038284444"},
        address="1 Main St", notes=None, tags="a,b", notifications=True, last_name="L",
    )
    await hb.customers.update("c1", notes="x", phone="+13038284444")
    await hb.customers.create("Ada", "Lovelace", "+13038284444")  # by position, as always


async def wrong(hb: HomebaseClient) -> None:
    await hb.customers.create(frist_name="Ada")  # E: misspelt
    await hb.customers.update("c1", notifications="yes")  # E: wrong type
    await hb.customers.update(customer="c1", notes="x")  # E: no such keyword
"""


def test_mypy_rejects_a_wrong_customer_keyword(tmp_path: Path) -> None:
    (tmp_path / "program.py").write_text(PROGRAM)
    env = {**os.environ, "MYPYPATH": os.pathsep.join([str(ROOT), str(ROOT / "generated")])}
    cache = str(ROOT / ".mypy_cache" / "typed-fields")
    command = [sys.executable, "-m", "mypy", "--config-file", os.devnull, "--strict"]
    result = subprocess.run(
        [*command, "--cache-dir", cache, "program.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    flagged = {int(n) for n in re.findall(r"^program\.py:(\d+): error", result.stdout, re.M)}
    expected = {n for n, line in enumerate(PROGRAM.splitlines(), 1) if "# E:" in line}
    assert flagged == expected, result.stdout
    assert "frist_name" in result.stdout


def test_the_fields_are_keyword_parameters_at_run_time_too() -> None:
    hb = HomebaseClient("k" * 20)
    create = inspect.signature(hb.customers.create).parameters
    update = inspect.signature(hb.customers.update).parameters
    assert list(create) == list(FIELDS)
    assert list(update) == ["customer_id", *FIELDS]
    # `create` writes its fields out (callers pass them by position too); they must stay
    # `CustomerFields`, in order, with the same annotations.
    assert all(create[n].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for n in FIELDS)
    assert {n: create[n].annotation for n in FIELDS} == {
        n: getattr(t, "__forward_arg__", t) for n, t in CustomerFields.__annotations__.items()
    }
    assert all(update[name].kind is inspect.Parameter.KEYWORD_ONLY for name in FIELDS)

"""The typed user program of tests/typed/reading.py runs as it type-checks (issue 22).

`make typecheck` holds it to `mypy --strict` with no error code disabled; here it reads a
customer with and without the optional fields it touches.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from homebase_async import HomebaseClient
from homebase_async.testing import FakeHomebase

START, END = "2025-03-01T00:00:00Z", "2025-03-31T00:00:00Z"


def _program() -> ModuleType:
    path = Path(__file__).with_name("typed") / "reading.py"
    spec = importlib.util.spec_from_file_location("typed_reading", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_the_typed_program_reads_present_and_absent_fields() -> None:
    program = _program()
    fake = FakeHomebase()
    ada = fake.add_customer(first_name="Ada", phone="+13038284444", email="ada@example.com")
    plain = {"name": "y", "quantity": 2, "unitPrice": "5.00"}
    fake.add_job(ada, start="2025-03-02T10:00:00Z", line_items=[plain])
    taxed = {"name": "x", "quantity": 1, "unitPrice": "10.00", "taxRate": {"rate": "7.00"}}
    fake.add_job(ada, start="2025-03-03T10:00:00Z", line_items=[taxed])
    fake.add_customer(last_name="Hopper", email="grace@example.com")  # no phone at all
    async with HomebaseClient(
        fake.api_key, base_url=fake.base_url, transport=fake.transport()
    ) as hb:
        lines = await program.report(hb, "ada@example.com", START, END)
        assert lines[0] == "Ada <+13038284444>"
        assert sorted(lines) == [
            "2025-03-02 Ada <+13038284444>: $10.00 (0 taxed items)",
            "2025-03-03 Ada <+13038284444>: $10.70 (1 taxed items)",
            "Ada <+13038284444>",
        ]
        grace = await program.report(hb, "grace@example.com", START, END)
        assert grace == ["Hopper <grace@example.com>"]

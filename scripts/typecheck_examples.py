"""mypy over what users copy: the tests and the README's Python blocks (part of `make typecheck`).

Each README block is written to a file padded with blank lines so that mypy's line numbers are
the README's, and reported as `README.md:LINE`. Each test directory is checked on its own
(they share module names such as `conftest`), with its helpers importable as pytest sees them.

README blocks are checked with `--strict` and no error code disabled: what users copy must
type-check as their own strict programs would. Tests are not `--strict` (they pass wrong types
on purpose to test validation, so `arg-type` and `list-item` are off), but every test body is
checked (`--check-untyped-defs`): a renamed model attribute or keyword fails with a file and
line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_DIRS = ["tests", "tests/cli", "tests/testing", "tests/integration"]
# Typed user programs, held to `--strict` like the README (issue 22).
STRICT_DIRS = ["tests/typed"]
FLAGS = ["--python-version=3.11"]
# Tests hand wrong types to the facade on purpose, to check its ValidationErrors, and read
# fields the fake always sends; they are checked, not held to `--strict`.
TEST_FLAGS = [
    "--check-untyped-defs",
    "--disable-error-code=arg-type",
    "--disable-error-code=list-item",
    # `assert await hb.customers.update(...) is None` checks what a `-> None` returns.
    "--disable-error-code=func-returns-value",
    # yaml ships no stubs; tests only load openapi.yaml with it.
    "--disable-error-code=import-untyped",
    # Tests read optional fields the fake always sends (`job.job_total`), without narrowing.
    "--disable-error-code=union-attr",
]
# What users copy is held to what they may run: `--strict`, no error code disabled.
README_FLAGS = ["--strict"]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def readme_blocks(text: str) -> list[tuple[int, str]]:
    """(first line number, code) of every ```python block."""
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in _BLOCK.finditer(text)]


def padded(line: int, code: str) -> str:
    """The block as a module whose line numbers are the README's.

    A program (`asyncio.run(`) or a pytest module stands as written; any other block is a
    snippet with top-level `await` on a client `hb` (as tests/test_readme.py runs it), so it
    becomes the body of `async def _snippet(hb)`.
    """
    program = "asyncio.run(" in code or re.search(r"^(async )?def test_", code, re.MULTILINE)
    if program or line < 3:
        return "\n" * (line - 1) + code
    body = "".join(f"    {row}" if row.strip() else row for row in code.splitlines(True))
    header = "from homebase_async import HomebaseClient\n" + "\n" * (line - 3)
    return header + "async def _snippet(hb: HomebaseClient) -> None:\n" + body


def write_blocks(readme: Path, into: Path) -> dict[str, str]:
    """One padded file per block; returns file name -> README label."""
    names = {}
    for index, (line, code) in enumerate(readme_blocks(readme.read_text())):
        name = f"readme_block_{index:02d}.py"
        (into / name).write_text(padded(line, code))
        names[name] = readme.name
    return names


def mypy(
    paths: list[str], mypy_path: list[str], cwd: Path, extra: list[str] | None = None
) -> tuple[int, str]:
    # This checkout's packages, ahead of whatever the virtualenv has installed.
    roots = [str(ROOT), str(ROOT / "generated")]
    env = {**os.environ, "MYPYPATH": os.pathsep.join([*mypy_path, *roots])}
    config = ["--config-file", os.devnull]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", *config, *FLAGS, *(extra or []), *paths],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = [
        line
        for line in result.stdout.splitlines()
        if not line.startswith(("Success:", os.devnull)) and "No [mypy] section" not in line
    ]
    return result.returncode, "\n".join(lines)


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory(prefix="readme-blocks-") as tmp:
        names = write_blocks(ROOT / "README.md", Path(tmp))
        code, out = mypy(sorted(names), [], Path(tmp), README_FLAGS)
        for name, label in names.items():
            out = re.sub(rf"(?m)^{re.escape(name)}:", f"{label}:", out)
        if code:
            failed = True
            print(out)
    for directory in TEST_DIRS:
        files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / directory).glob("*.py"))
        code, out = mypy(files, [str(ROOT / directory), str(ROOT / "tests")], ROOT, TEST_FLAGS)
        if code:
            failed = True
            print(out)
    for directory in STRICT_DIRS:
        files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / directory).glob("*.py"))
        code, out = mypy(files, [str(ROOT / directory)], ROOT, README_FLAGS)
        if code:
            failed = True
            print(out)
    if not failed:
        checked = ", ".join(TEST_DIRS + [f"{d} (strict)" for d in STRICT_DIRS])
        print(f"README Python blocks ({len(names)}, strict), {checked}: no issues")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

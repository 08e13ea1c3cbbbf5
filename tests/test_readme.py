"""README.md: its Python examples run as written against the fake, its tables match the code.

Every ```python block runs, unless it contains the marker `# not run`:

- a block calling `asyncio.run(` is a program: it runs in a worker thread, with
  HOMEBASE_API_KEY and HOMEBASE_BASE_URL pointing at a FakeHomebase served on loopback;
- a block defining `test_` functions is a pytest module: it runs in a pytest subprocess;
- any other block is a snippet with top-level `await` (as in `python -m asyncio`): it runs
  with `hb = HomebaseClient()`, built from the same environment.

The fake is started in a subprocess exactly as the README's Quickstart says (with
`--example-data`), on a free port; the environment is what its `export` line sets. The pytest
block runs in a fresh directory with only the configuration the README shows. Tracebacks give
README.md line numbers.

The ```console blocks of "Command line" run as one shell session against that fake, in an empty
folder, each `$ ` line with bash; what it prints (stdout and stderr) must be the lines under it.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import CodeType
from typing import Any

import attrs
import pytest
import yaml

from homebase_async import HomebaseClient, RetryPolicy

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")
NOT_RUN = "# not run"


@attrs.frozen
class Block:
    """One ```python block: where it starts in README.md, and its code."""

    line: int
    code: str

    @property
    def kind(self) -> str:
        if "asyncio.run(" in self.code:
            return "program"
        if re.search(r"^(async )?def test_", self.code, re.MULTILINE):
            return "pytest"
        return "snippet"

    def compiled(self) -> CodeType:
        # Padded so that the code's line numbers are README.md's.
        source = "\n" * (self.line - 1) + self.code
        return compile(source, str(README), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)

    def __str__(self) -> str:
        return f"README.md:{self.line}"


def _blocks() -> list[Block]:
    found = []
    for match in re.finditer(r"^```python\n(.*?)^```$", TEXT, re.MULTILINE | re.DOTALL):
        code = match.group(1)
        if NOT_RUN not in code:
            found.append(Block(TEXT.count("\n", 0, match.start(1)) + 1, code))
    return found


BLOCKS = _blocks()


def _of_kind(kind: str) -> list[Block]:
    return [block for block in BLOCKS if block.kind == kind]


def _section(heading: str) -> str:
    """The text under `heading` up to the next heading of the same or a higher level."""
    level = heading.split(" ", 1)[0]
    start = TEXT.index(f"\n{heading}\n")
    rest = TEXT[start + len(heading) + 2 :]
    end = re.search(rf"^#{{1,{len(level)}}} ", rest, re.MULTILINE)
    return rest if end is None else rest[: end.start()]


def _console(section: str) -> list[str]:
    """The `$ ` command lines of the ```console blocks under a heading."""
    blocks = re.findall(r"^```console\n(.*?)^```$", _section(section), re.MULTILINE | re.DOTALL)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def _session(section: str) -> list[tuple[str, str]]:
    """(command, the output shown under it) for every `$ ` line of the ```console blocks under a
    heading."""
    steps: list[tuple[str, str]] = []
    blocks = re.findall(r"^```console\n(.*?)^```$", _section(section), re.MULTILINE | re.DOTALL)
    for block in blocks:
        for line in block.splitlines(keepends=True):
            if line.startswith("$ "):
                steps.append((line[2:].rstrip("\n"), ""))
            else:
                command, shown = steps[-1]
                steps[-1] = (command, shown + line)
    return steps


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The fake started exactly as the Quickstart says (`--port 0` for a free port), and the
    environment set by the Quickstart's `export` line, pointing at it."""
    serve, export = _console("## Quickstart")
    assert "--example-data" in serve
    command = shlex.split(serve.replace("--port 8000", "--port 0"))
    assert command[0] == "python"
    process = subprocess.Popen(
        [sys.executable, *command[1:]], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), process.stderr.read()
        assert "key test-key" in process.stderr.readline()
        port = url.split(":")[2].split("/")[0]
        words = shlex.split(export.replace("127.0.0.1:8000", f"127.0.0.1:{port}"))
        assert words[0] == "export"
        for name, value in (word.split("=", 1) for word in words[1:]):
            monkeypatch.setenv(name, value)
        yield url
    finally:
        process.terminate()
        process.communicate(timeout=10)  # also closes the pipes


def test_every_kind_of_example_is_found() -> None:
    assert {block.kind for block in BLOCKS} == {"program", "pytest", "snippet"}


@pytest.mark.parametrize("block", _of_kind("program"), ids=str)
async def test_program(block: Block, served: str) -> None:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    # In a thread: the program runs its own event loop while this one serves the fake.
    await asyncio.to_thread(exec, block.compiled(), namespace)


@pytest.mark.parametrize("block", _of_kind("snippet"), ids=str)
async def test_snippet(block: Block, served: str) -> None:
    async with HomebaseClient() as hb:
        result = eval(block.compiled(), {"__name__": "readme", "hb": hb})
        if inspect.iscoroutine(result):
            await result


def test_the_command_line_session_prints_what_the_readme_shows(served: str, tmp_path: Path) -> None:
    steps = _session("## Command line")
    assert len(steps) >= 5
    address = served.split("/")[2]
    # Only what the session's own `export` sets: not the Quickstart's, not the developer's.
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMEBASE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for command, shown in steps:
        command = command.replace("127.0.0.1:8000", address)
        if command.startswith("export "):
            for name, value in (word.split("=", 1) for word in shlex.split(command)[1:]):
                env[name] = value
            continue
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.stdout == shown, f"$ {command}"
    assert env.get("HOMEBASE_BASE_URL") == served


@pytest.mark.parametrize("block", _of_kind("pytest"), ids=str)
def test_pytest_module(block: Block, tmp_path: Path) -> None:
    module = tmp_path / "test_readme_example.py"
    module.write_text(block.code, encoding="utf-8")
    # The configuration the README shows, in a fresh project: nothing else is passed.
    [config] = re.findall(r"^```toml\n(.*?)^```$", TEXT, re.MULTILINE | re.DOTALL)
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    command = [
        *(sys.executable, "-m", "pytest", str(module), "-q", "-p", "no:cacheprovider"),
        *("-W", "error"),
    ]
    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"{block}:\n{done.stdout}\n{done.stderr}"


def test_the_two_commands_come_first_and_ci_runs_the_same() -> None:
    title, _, rest = TEXT.partition("\n")
    assert title.startswith("# ")
    before, fence, after = rest.partition("```")
    assert fence
    assert not re.search(r"^#", before, re.MULTILINE), "a paragraph, then at once the commands"
    commands = [line.split("#")[0].strip() for line in after.split("```")[0].splitlines()[1:]]
    assert commands == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "make test" in ci


def test_retry_policy_table_matches_the_defaults() -> None:
    rows = re.findall(r"^\| `(\w+)` \| `([^`]+)` \|", _section("### Retries: `RetryPolicy`"), re.M)
    documented = {name: ast.literal_eval(value) for name, value in rows}
    assert documented == {field.name: field.default for field in attrs.fields(RetryPolicy)}


def test_client_signature_matches_the_code() -> None:
    match = re.search(r"`HomebaseClient(\(api_key[^`]*\))`", TEXT)
    assert match is not None
    documented = ast.parse(f"def f{match.group(1)}: pass").body[0]
    assert isinstance(documented, ast.FunctionDef)
    args = documented.args
    names = [arg.arg for arg in args.args + args.kwonlyargs]
    defaults = [*args.defaults, *args.kw_defaults]
    actual = inspect.signature(HomebaseClient).parameters
    assert names == list(actual)
    for name, node in zip(names, defaults, strict=True):
        assert node is not None
        value = eval(ast.unparse(node), {"RetryPolicy": RetryPolicy})
        assert value == actual[name].default, name


def _assumed(node: Any, where: str) -> Iterator[str]:
    """The readable path (as the README's table writes it) of every `x-assumed` note."""
    if isinstance(node, dict):
        if "x-assumed" in node:
            yield where
        for key, value in node.items():
            if key == "parameters" and isinstance(value, list):
                for index, parameter in enumerate(value):
                    name = parameter.get("name", index) if isinstance(parameter, dict) else index
                    yield from _assumed(parameter, f"{where}.parameters[{name}]")
            else:
                yield from _assumed(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _assumed(value, f"{where}[{index}]")


def test_every_assumption_of_the_spec_has_a_row() -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    table = _section("## Spec assumptions")
    notes = list(_assumed(spec, ""))
    assert len(notes) > 20
    missing = [where for where in notes if f"| `{where}` |" not in table]
    assert not missing, f"add a row to README.md's Spec assumptions table for {missing}"

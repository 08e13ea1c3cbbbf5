"""README.md: its Python examples run as written against the fake, its tables match the code.

Every ```python block runs, unless it contains the marker `# not run`:

- a block calling `asyncio.run(` is a program: saved as a file in an empty folder, it runs
  from there as `__main__` (as `python FILE` runs it), with HOMEBASE_API_KEY and
  HOMEBASE_BASE_URL pointing at a FakeHomebase served on loopback;
- a block defining `test_` functions is a pytest module: it runs in a pytest subprocess;
- there is no other kind: a block with top-level `await` fails when saved as a file, so it
  fails here.

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
import contextlib
import inspect
import os
import re
import runpy
import shlex
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
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

    @property
    def padded(self) -> str:
        """The code, with README.md's line numbers (for tracebacks)."""
        return "\n" * (self.line - 1) + self.code

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
    """The text under `heading` up to the next heading of the same or a higher level (a `#`
    line inside a fenced block is code, not a heading)."""
    level = len(heading.split(" ", 1)[0])
    start = TEXT.index(f"\n{heading}\n")
    rest = TEXT[start + len(heading) + 2 :]
    fenced = False
    taken = []
    for line in rest.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(rf"#{{1,{level}}} ", line):
            break
        taken.append(line)
    return "".join(taken)


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
    serve, export = _console("## Quickstart")[:2]
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


def test_every_example_is_a_program_or_a_pytest_module() -> None:
    assert {block.kind for block in BLOCKS} == {"program", "pytest"}
    assert len(_of_kind("program")) >= 15
    for block in BLOCKS:
        # As `python FILE` compiles it: a top-level `await` is a SyntaxError.
        compile(block.padded, str(README), "exec")


async def _run_as_file(block: Block, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The block saved as `example.py` in `folder` and run from there as `__main__`, as
    `python example.py` runs it (in this interpreter, to save a process start per example),
    with the environment the Quickstart's `export` set."""
    path = folder / "example.py"
    path.write_text(block.padded, encoding="utf-8")
    monkeypatch.chdir(folder)
    # In a thread: the program runs its own event loop while this one serves the fake.
    await asyncio.to_thread(runpy.run_path, str(path), run_name="__main__")


@pytest.mark.parametrize("block", _of_kind("program"), ids=str)
async def test_program(
    block: Block, served: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _run_as_file(block, tmp_path, monkeypatch)


async def test_the_journal_query_shows_what_the_journal_program_leaves(
    served: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [block] = [b for b in _of_kind("program") if "nightly-crm-sync.journal" in b.code]
    await _run_as_file(block, tmp_path, monkeypatch)
    [(command, shown)] = [
        step
        for step in _session("### Journals: a run that survives a crash")
        if "sqlite3" in step[0]
    ]
    words = shlex.split(command)
    assert words[:2] == ["sqlite3", "nightly-crm-sync.journal"]
    # Python's sqlite3 in place of the sqlite3 shell (which may not be installed): its default
    # output mode prints `|` between columns and nothing for NULL.
    with contextlib.closing(sqlite3.connect(tmp_path / words[1])) as db:
        rows = db.execute(words[2]).fetchall()
    printed = "".join("|".join("" if v is None else str(v) for v in row) + "\n" for row in rows)
    assert printed == shown


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


def _installed_by(specs: list[str]) -> set[Path]:
    """Every file that `pip install SPECS` puts in place: the distributions named and, through
    their requirements (with the extras asked for), everything they pull in."""
    from importlib import metadata

    from packaging.requirements import Requirement

    files: set[Path] = set()
    todo = [Requirement(spec) for spec in specs]
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        key = f"{name}{sorted(req.extras)}"
        if key in seen:
            continue
        seen.add(key)
        dist = metadata.distribution(name)
        if name == "homebase-async":  # installed editable here: its files are this checkout
            files |= {p.resolve() for p in (ROOT / "homebase_async").rglob("*.py")}
            files |= {p.resolve() for p in (ROOT / "generated").rglob("*.py")}
        files |= {Path(str(dist.locate_file(f))).resolve() for f in dist.files or []}
        for line in dist.requires or []:
            sub = Requirement(line)
            wanted = [{"extra": extra} for extra in (req.extras or {""})]
            if sub.marker is None or any(sub.marker.evaluate(env) for env in wanted):
                todo.append(sub)
    return files


def _third_party_imports(code: str) -> list[tuple[str, Path]]:
    """(module, its file) of every module the code imports from outside the standard library."""
    import importlib.util
    import sysconfig

    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    found = []
    for node in ast.walk(ast.parse(code)):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        for name in names:
            spec = importlib.util.find_spec(name)
            assert spec is not None, name
            if spec.origin in (None, "built-in", "frozen"):
                continue
            origin = Path(spec.origin).resolve()
            if stdlib in origin.parents and "site-packages" not in origin.parts:
                continue
            found.append((name, origin))
    return found


def test_the_otel_example_needs_only_what_the_readme_says_to_install() -> None:
    section = _section("### Observability")
    [install] = re.findall(r"^pip install (.+)$", section, re.MULTILINE)
    specs = shlex.split(install)
    [example] = [
        code
        for code in re.findall(r"^```python\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
        if "TracerProvider" in code
    ]
    imports = _third_party_imports(example)
    assert any(name.startswith("opentelemetry.sdk") for name, _ in imports)
    provided = _installed_by(specs)
    missing = [name for name, origin in imports if origin not in provided]
    assert not missing, f"`pip install {install}` does not install {missing}"
    # The check can fail: the extra alone lacks the SDK (issue 22's ModuleNotFoundError).
    alone = _installed_by(["homebase-async[otel]"])
    assert [n for n, origin in imports if origin not in alone] == [
        name for name, _ in imports if name.startswith("opentelemetry.sdk")
    ]

"""`homebase` installed without its `cli` extra: one line saying what to install, exit 3."""

from __future__ import annotations

import subprocess
import sys

import pytest

from homebase_async.cli import EXIT_NO_EXTRA, NO_EXTRA

# Makes `import click` (or rich) fail as it does where the extra is not installed.
BLOCK = "import sys; sys.modules[{module!r}] = None; "


@pytest.mark.parametrize("module", ["click", "rich"])
@pytest.mark.parametrize(
    "launch",
    [
        "from homebase_async.cli import main; raise SystemExit(main(['ping']))",
        "import runpy; sys.argv = ['homebase', 'ping']; "
        "runpy.run_module('homebase_async', run_name='__main__')",
    ],
    ids=["entry point", "python -m homebase_async"],
)
def test_without_the_extra_one_line_names_the_install(module: str, launch: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCK.format(module=module) + launch],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_NO_EXTRA == 3
    assert done.stderr.splitlines() == [NO_EXTRA]
    assert "pip install 'homebase-async[cli]'" in NO_EXTRA
    assert done.stdout == ""

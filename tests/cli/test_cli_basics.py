"""ping, messages stats, the key and the exit codes 0, 2 and 3."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _cli_support import API_KEY
from click.testing import CliRunner, Result

from homebase_async.cli import cli, main
from homebase_async.testing import FakeHomebase


def _no_key(result: Result) -> None:
    assert API_KEY not in result.output
    assert API_KEY not in result.stderr


@pytest.mark.usefixtures("env")
def test_ping_prints_the_business_and_never_the_key(runner: CliRunner, fake: FakeHomebase) -> None:
    result = runner.invoke(cli, ["ping"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["email"] == fake.business_email
    _no_key(result)


def test_key_from_a_file(
    runner: CliRunner, base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(API_KEY + "\n")
    monkeypatch.setenv("HOMEBASE_API_KEY", "not-the-key")
    result = runner.invoke(
        cli, ["messages", "stats", "--api-key-file", str(key_file), "--base-url", base_url]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["limits"]["perDay"] == 3
    _no_key(result)


def test_wrong_key_exits_3_without_echoing_it(
    runner: CliRunner, base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMEBASE_API_KEY", "wrong-" + API_KEY)
    result = runner.invoke(cli, ["ping", "--base-url", base_url])
    assert result.exit_code == 3
    assert "authentication failed" in result.stderr
    _no_key(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ping"], "no API key"),
        (["ping", "--api-key-file", "/nonexistent/key"], "cannot read --api-key-file"),
    ],
)
def test_missing_key_exits_3(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(cli, [*args, "--base-url", "http://127.0.0.1:9/api/v1"])
    assert result.exit_code == 3
    assert message in result.stderr


def test_insecure_base_url_exits_3(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMEBASE_API_KEY", API_KEY)
    result = runner.invoke(cli, ["ping", "--base-url", "http://api.example.com/v1"])
    assert result.exit_code == 3
    assert "https" in result.stderr
    _no_key(result)


@pytest.mark.parametrize(
    "args",
    [
        ["nope"],
        ["jobs", "export", "--to", "2024-01-01"],
        ["jobs", "export", "--from", "yesterday", "--to", "2024-01-01"],
        ["jobs", "export", "--from", "2024-02-01", "--to", "2024-01-01"],
        ["jobs", "export", "--from", "2024-01-01", "--to", "2024-02-01", "--format", "xml"],
        ["leads", "export", "--status", "won"],
        ["ping", "--concurrency", "0"],
        ["messages", "send", "--message", "hi"],
        ["messages", "send", "--to", "+13035550100"],
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, args, env={"HOMEBASE_API_KEY": API_KEY})
    assert result.exit_code == 2, result.output


def test_empty_identifier_list_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["customers", "lookup", "-"], input="\n  \n")
    assert result.exit_code == 2
    assert "no identifiers" in result.stderr


def test_main_returns_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "customers" in capsys.readouterr().out
    assert main(["jobs", "export"]) == 2
    assert "--from" in capsys.readouterr().err


def test_fake_serve_passes_its_options_through(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["fake", "serve", "--help"])
    assert result.exit_code == 0
    assert "--sms-daily-limit" in result.stdout


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "homebase_async", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0
    assert "Exit codes" in done.stdout

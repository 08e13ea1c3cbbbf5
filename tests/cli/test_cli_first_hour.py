"""Issue 14, the first hour of a new user: one test (at least) per numbered item."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _cli_support import API_KEY
from click.testing import CliRunner

from homebase_async.cli import cli
from homebase_async.cli._output import plural
from homebase_async.testing import FakeHomebase, Faults
from homebase_async.testing import main as fake_main

HOMEBASE = [sys.executable, "-m", "homebase_async"]


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


# 3: input files -----------------------------------------------------------------------------


def test_3_a_file_not_in_utf8_is_one_line_naming_it(
    runner: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "latin1.txt"
    source.write_bytes("café@example.com\n".encode("latin-1"))
    result = runner.invoke(cli, ["customers", "lookup", str(source)])
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert str(source) in line
    assert "UTF-8" in line


def test_3_bom_and_crlf_are_read_as_plain_utf8(
    runner: CliRunner, env: dict[str, str], fake: FakeHomebase, tmp_path: Path
) -> None:
    email = next(iter(fake.customers.values()))["email"][0]
    source = tmp_path / "ids.csv"
    source.write_bytes(b"\xef\xbb\xbf" + f"{email}\r\nnobody@example.com\r\n".encode())
    result = runner.invoke(cli, ["customers", "lookup", str(source)])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["identifier"] == email
    assert rows[0]["customers"], "the first identifier must not carry the BOM"


# 4 and 12: phones, comments -----------------------------------------------------------------


def test_4_and_12_us_phone_forms_are_found_and_comments_skipped(
    runner: CliRunner, env: dict[str, str], fake: FakeHomebase, tmp_path: Path
) -> None:
    mobile = next(iter(fake.customers.values()))["phone"]["mobile"]
    digits = mobile[2:]
    forms = [
        f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
        f"({digits[:3]}) {digits[3:6]}-{digits[6:]}",
    ]
    source = tmp_path / "ids.txt"
    source.write_text("# customers to check\n" + "\n".join([*forms, digits, "555-01"]) + "\n")
    result = runner.invoke(cli, ["customers", "lookup", str(source)])
    rows = {row["identifier"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert "# customers to check" not in rows
    for form in [*forms, digits]:
        assert rows[form]["customers"][0]["phone"]["mobile"] == mobile
    assert "ValidationError" in rows["555-01"]["error"]
    assert result.exit_code == 2  # an identifier's own input was bad


def test_4_a_us_phone_line_in_messages_send_is_a_phone(
    runner: CliRunner, env: dict[str, str], fake: FakeHomebase, tmp_path: Path
) -> None:
    mobile = next(iter(fake.customers.values()))["phone"]["mobile"]
    digits = mobile[2:]
    source = tmp_path / "to.txt"
    source.write_text(f"# reminders\n({digits[:3]}) {digits[3:6]}-{digits[6:]}\n")
    result = runner.invoke(cli, ["messages", "send", str(source), "--message", "Hi"])
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["status"] == "sent", row
    assert fake.sms_sent[-1]["mobilePhone"] == mobile


# 5, 6, 7: errors a person can act on --------------------------------------------------------


def test_5_an_unresolvable_host_is_one_line_and_exit_3(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMEBASE_API_KEY", API_KEY)
    result = runner.invoke(cli, ["ping", "--base-url", "https://no-such-host.invalid/api/v1"])
    assert result.exit_code == 3
    line = _one_line(result.stderr)
    assert "no-such-host.invalid" in line
    assert "resolve" in line


def test_6_a_busy_port_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert fake_main(["serve", "--port", str(port)]) == 1
    line = _one_line(capsys.readouterr().err)
    assert f"port {port}" in line
    assert "in use" in line


def test_7_a_base_url_without_the_api_path_gets_a_hint(
    runner: CliRunner, env: dict[str, str], base_url: str
) -> None:
    result = runner.invoke(cli, ["ping", "--base-url", base_url.removesuffix("/api/v1")])
    assert result.exit_code == 1
    assert "/api/v1" in _one_line(result.stderr)


# 8: help shows defaults ---------------------------------------------------------------------


def test_8_serve_help_shows_defaults_and_the_server_prints_its_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        fake_main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(default: 8000)" in text
    assert "(default: test-key)" in text
    assert "customers to generate (0; 200 with --example-data)" in text


def test_8_demo_help_shows_defaults(runner: CliRunner) -> None:
    text = " ".join(runner.invoke(cli, ["demo", "--help"]).stdout.split())
    for default in ("[default: 3000;", "[default: 20000;", "[default: 250;", "[default: 200;"):
        assert default in text


def test_8_the_server_prints_its_key_on_start() -> None:
    process = subprocess.Popen(
        [*HOMEBASE, "fake", "serve", "--port", "0", "--example-data"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.readline().startswith("http://127.0.0.1:")
        info = process.stderr.readline()
        assert "key test-key" in info
        assert "202 customers" in info
        assert "1,000 jobs from 2025-01-01 to 2026-01-01" in info
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0


# 9, 10, 11: pipes, signals, -o --------------------------------------------------------------


def test_9_a_closed_pipe_ends_quietly(env: dict[str, str], fake: FakeHomebase) -> None:
    identifiers = "\n".join(f"nobody{n}@example.com" for n in range(3_000))
    reader = "import sys; sys.stdin.readline()"
    producer = subprocess.Popen(
        [*HOMEBASE, "customers", "lookup", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )
    head = subprocess.Popen([sys.executable, "-c", reader], stdin=producer.stdout)
    assert producer.stdout is not None
    producer.stdout.close()  # only `head` reads it now
    _, err = producer.communicate(identifiers.encode(), timeout=60)
    head.wait(timeout=10)
    assert producer.returncode == 0
    assert b"Broken pipe" not in err
    assert b"Traceback" not in err


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_10_sigterm_cleans_up_like_ctrl_c(
    env: dict[str, str], fake: FakeHomebase, tmp_path: Path, signum: int, code: int
) -> None:
    fake.set_faults(Faults(latency=5.0))
    out = tmp_path / "leads.jsonl"
    process = subprocess.Popen(
        [*HOMEBASE, "leads", "export", "-o", str(out)],
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 20
    while not list(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.iterdir()), "the export never started"
    process.send_signal(signum)
    _, err = process.communicate(timeout=20)
    assert process.returncode == code
    assert list(tmp_path.iterdir()) == []
    assert "Traceback" not in err.decode()


@pytest.mark.parametrize("where", ["missing/out.jsonl", "."])
def test_11_an_unusable_o_path_names_the_path_given_and_exits_2(
    runner: CliRunner, env: dict[str, str], tmp_path: Path, where: str
) -> None:
    target = str(tmp_path / where)
    result = runner.invoke(cli, ["leads", "export", "-o", target])
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert f"-o {target}:" in line
    assert ".tmp" not in line


# 13: exit codes of bad per-message input, and the demo's contract ----------------------------


@pytest.mark.parametrize(
    "options",
    [["--message", "x" * 201], ["--media-url", "http://example.com/a.jpg"]],
    ids=["message of 201 characters", "http media url"],
)
def test_13_bad_per_message_input_exits_2(
    runner: CliRunner, env: dict[str, str], options: list[str]
) -> None:
    result = runner.invoke(cli, ["messages", "send", "--to", "+13035550100", *options])
    assert result.exit_code == 2
    # Checked before the first request (issue 18): nothing sent, so no per-message line.
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "homebase: 1 bad message: nothing sent"


def test_13_demo_help_says_what_the_demo_returns(runner: CliRunner) -> None:
    text = " ".join(runner.invoke(cli, ["demo", "--help"]).stdout.split())
    assert "0 the demo ran to the end" in text
    assert "1 the run stopped on an error" in text


# 14: small things ---------------------------------------------------------------------------


def test_14_plurals() -> None:
    assert [plural(n, "lead") for n in (0, 1, 2, 1000)] == [
        "0 leads",
        "1 lead",
        "2 leads",
        "1,000 leads",
    ]


def test_14_one_identifier_is_singular(
    runner: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "one.txt"
    source.write_text("nobody@example.com\n")
    result = runner.invoke(cli, ["customers", "lookup", str(source)])
    assert "lookup: 1 identifier," in result.stderr


def test_14_the_cli_reads_a_bare_date_the_sdk_asks_for_an_offset(
    runner: CliRunner, env: dict[str, str]
) -> None:
    import asyncio

    from homebase_async import HomebaseClient, ValidationError

    async def sdk() -> None:
        async with HomebaseClient("k", base_url="http://127.0.0.1:9/api/v1") as hb:
            hb.jobs.iterate("2025-01-01", "2025-12-31T00:00:00Z")

    with pytest.raises(ValidationError, match="2025-01-01T00:00:00Z"):
        asyncio.run(sdk())


# The documented exit codes are the ones returned --------------------------------------------


def test_every_documented_exit_code_is_returned(
    runner: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    help_text = " ".join(runner.invoke(cli, ["ping", "--help"]).stdout.split())
    for code in ("0 done", "1 not everything done", "2 usage", "3 authentication", "130", "143"):
        assert code in help_text
    assert runner.invoke(cli, ["ping"]).exit_code == 0
    # The fake's quota is 3: the fourth message is not sent.
    to = [arg for _ in range(4) for arg in ("--to", "+13035550100")]
    assert runner.invoke(cli, ["messages", "send", *to, "--message", "Hi"]).exit_code == 1
    assert runner.invoke(cli, ["jobs", "export", "--from", "soon", "--to", "later"]).exit_code == 2
    wrong = tmp_path / "wrong-key.txt"
    wrong.write_text("wrong\n")
    assert runner.invoke(cli, ["ping", "--api-key-file", str(wrong)]).exit_code == 3
    # 130 and 143: test_10_sigterm_cleans_up_like_ctrl_c.

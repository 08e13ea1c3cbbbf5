"""Kill and resume: `homebase customers sync` and `messages send` killed with SIGKILL mid-run,
then run again with the same journal to completion, against a fake in its own process.

    python scripts/bench/killrun.py --trials 3 --seed 1     # prints one JSON object

Each trial runs the command on fresh items, kills it after a random number of its writes (so
the kill lands mid-run on any machine), then runs it again with the same journal (a sync until
every row is done).

Counts what the issue asks for: duplicate customers, messages sent twice, items lost (an item
lost is one neither on the server nor reported failed/unknown by the final run).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_FAKE = Path(__file__).with_name("fake_server.py")
_HOMEBASE = [sys.executable, "-m", "homebase_async"]
# Some load shedding and lost answers, so kills land on retries and settles too.
FAULTS = {"latency": 0.02, "error_rates": {503: 0.05}, "drop_after": 0.02, "seed": 11}
RUN_TIMEOUT = 60.0


class Fake:
    """`fake_server.py` in its own process, with its control channel (stdin/stdout)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            # A quota above every trial's messages: each one is meant to go out once.
            [sys.executable, str(_FAKE), "--sms-daily-limit", "100000"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.info = json.loads(self.proc.stdout.readline())

    def command(self, op: str, **fields: Any) -> Any:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"op": op, **fields}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _env(fake: Fake) -> dict[str, str]:
    return {
        **os.environ,
        "HOMEBASE_API_KEY": fake.info["api_key"],
        "HOMEBASE_BASE_URL": fake.info["base_url"],
    }


def _killed_run(
    args: list[str], env: dict[str, str], fake: Fake, count: int, rng: random.Random
) -> bool:
    """Start the command and SIGKILL it once the fake has taken a random number of its writes
    (1 to 80 % of `count`), so the kill lands mid-run however fast the machine is; False if the
    command ended first."""
    target = fake.command("writes") + rng.randint(1, max(1, count * 4 // 5))
    proc = subprocess.Popen(
        [*_HOMEBASE, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + RUN_TIMEOUT
    while proc.poll() is None and time.monotonic() < deadline:
        if fake.command("writes") >= target:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    if proc.poll() is None:
        proc.kill()
        proc.wait()
        return True
    return False


def _final_run(args: list[str], env: dict[str, str], output: Path) -> tuple[int, list[Any]]:
    done = subprocess.run(
        [*_HOMEBASE, *args, "-o", str(output)],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    lines = output.read_text().splitlines() if output.exists() else []
    return done.returncode, [json.loads(line) for line in lines]


def _phone(trial: int, index: int) -> tuple[str, str]:
    """A number unique to (trial, index): as a spreadsheet writes it, and in E.164."""
    return f"(720) 5{trial:02d}-{index:04d}", f"+17205{trial:02d}{index:04d}"


def customers(fake: Fake, folder: Path, trial: int, count: int, rng: random.Random) -> Any:
    """One sync killed mid-run, then run again with its journal until done."""
    tag = f"kill:{time.time_ns()}"
    source = folder / f"customers{trial}.csv"
    rows = ["First Name,Last Name,Email,Phone,Notes"]
    for i in range(count):
        rows.append(f"Kill,Row {i},k{i}.{tag[5:]}@kill.example,{_phone(trial, i)[0]},{tag}:{i}")
    # As spreadsheets export it: UTF-8 with a BOM, CRLF line ends.
    source.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode())
    journal = folder / f"customers{trial}.journal"
    args = ["customers", "sync", str(source), "--journal", str(journal), "--concurrency", "2"]
    killed = _killed_run(args, _env(fake), fake, count, rng)
    runs, code, lines = 0, 1, []
    while code != 0 and runs < 4:  # a re-run also retries items that failed (not created)
        runs += 1
        code, lines = _final_run(args, _env(fake), folder / "customers.out")
    stored: dict[str, int] = fake.command("notes", prefix=tag + ":")
    on_server = {int(note.rsplit(":", 1)[1]): n for note, n in stored.items()}
    statuses = {line["index"]: line["status"] for line in lines}
    unresolved = [i for i, s in statuses.items() if s in ("failed", "outcome_unknown")]
    return {
        "killed": killed,
        "final_runs": runs,
        "done": code == 0,
        "duplicates": sum(1 for n in on_server.values() if n > 1),
        "lost": sum(1 for i in range(count) if i not in on_server and i not in unresolved),
        "unreported": count - len(statuses),
        "unresolved": len(unresolved),
    }


def campaign(fake: Fake, folder: Path, trial: int, count: int, rng: random.Random) -> Any:
    """One campaign (to the trial's synced customers) killed, then run again with its journal."""
    tag = f"kill:{time.time_ns()}"
    source = folder / f"campaign{trial}.jsonl"
    lines = [{"mobilePhone": _phone(trial, i)[1], "message": f"{tag} #{i}"} for i in range(count)]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    journal = folder / f"campaign{trial}.journal"
    args = ["messages", "send", str(source), "--journal", str(journal), "--concurrency", "2"]
    killed = _killed_run(args, _env(fake), fake, count, rng)
    _, out = _final_run(args, _env(fake), folder / "campaign.out")
    texts: dict[str, int] = fake.command("sms", prefix=tag)
    statuses = {line["index"]: line["status"] for line in out}
    sent_texts = {f"{tag} #{i}" for i, s in statuses.items() if s == "sent"}
    not_sent = {f"{tag} #{i}" for i, s in statuses.items() if s in ("failed", "not_sent")}
    return {
        "killed": killed,
        "sent_twice": sum(1 for n in texts.values() if n > 1),
        "lost": count - len(statuses),
        "sent_but_not_on_server": len(sent_texts - set(texts)),
        "reported_not_sent_but_on_server": len(not_sent & set(texts)),
        "sent": len(sent_texts),
        "not_sent": sum(1 for s in statuses.values() if s == "not_sent"),
        "outcome_unknown": sum(1 for s in statuses.values() if s == "outcome_unknown"),
    }


def _total(trials: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k, v in trials[0].items() if isinstance(v, int | bool)]
    return {k: sum(int(t[k]) for t in trials) for k in keys} | {"trials": len(trials)}


def run(trials: int, *, seed: int = 1, count: int = 60) -> dict[str, Any]:
    """`trials` sync trials then `trials` campaign trials (texting the synced customers), on
    one fake; the totals over the trials."""
    rng = random.Random(seed)
    fake = Fake()
    started = time.perf_counter()
    try:
        fake.command("faults", faults=FAULTS)
        with tempfile.TemporaryDirectory() as folder:
            synced = [customers(fake, Path(folder), t, count, rng) for t in range(trials)]
            sent = [campaign(fake, Path(folder), t, count, rng) for t in range(trials)]
    finally:
        fake.close()
    return {
        "customers": _total(synced),
        "campaign": _total(sent),
        "items_per_trial": count,
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=60, help="items per trial")
    args = parser.parse_args()
    print(json.dumps(run(args.trials, seed=args.seed, count=args.count)))


if __name__ == "__main__":
    main()

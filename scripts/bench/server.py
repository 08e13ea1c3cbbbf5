"""Start `fake_server.py` in its own process and talk to it over its control channel."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

_SCRIPT = Path(__file__).with_name("fake_server.py")


class FakeProcess:
    """A running fake server: `info` is its ready line, `command()` its control channel."""

    def __init__(self, proc: asyncio.subprocess.Process, info: dict[str, Any]) -> None:
        self._proc = proc
        self.info = info
        self.base_url: str = info["base_url"]
        self.api_key: str = info["api_key"]
        self._lock = asyncio.Lock()

    @classmethod
    async def start(cls, *args: str, script: Path = _SCRIPT) -> FakeProcess:
        """Start `script` (default: the fake; `lean_server.py` speaks the same protocol)."""
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(script),
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 26,
        )
        assert proc.stdout is not None
        line = await proc.stdout.readline()
        if not line:
            await proc.wait()
            raise RuntimeError(f"the fake server exited with {proc.returncode}")
        return cls(proc, json.loads(line))

    @property
    def pid(self) -> int:
        return self._proc.pid

    async def command(self, op: str, **fields: Any) -> Any:
        assert self._proc.stdin is not None
        assert self._proc.stdout is not None
        async with self._lock:
            self._proc.stdin.write(json.dumps({"op": op, **fields}).encode() + b"\n")
            await self._proc.stdin.drain()
            reply = json.loads(await self._proc.stdout.readline())
        if isinstance(reply, dict) and "error" in reply:
            raise RuntimeError(f"fake server: {reply['error']}")
        return reply

    async def faults(self, **spec: Any) -> None:
        """Replace the server's faults (no arguments: none)."""
        await self.command("faults", faults=spec or None)

    async def close(self) -> None:
        if self._proc.returncode is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                await asyncio.wait_for(self._proc.wait(), 10)
            except TimeoutError:
                self._proc.kill()
                await self._proc.wait()

    async def __aenter__(self) -> FakeProcess:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

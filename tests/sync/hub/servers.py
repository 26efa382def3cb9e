"""Running `chanjiao-hub` as a real process on a free loopback port, and always stopping it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

HUB_COMMAND = str(Path(sys.executable).parent / "chanjiao-hub")
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(base_url: str, process: subprocess.Popen[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the hub exited with {process.returncode}")
        try:
            if httpx.get(base_url + "/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"no answer from {base_url} within {timeout} s")


def stop(process: subprocess.Popen[str]) -> None:
    """SIGINT (uvicorn's graceful stop), then SIGKILL if it hangs; the process group goes too."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@dataclass
class HubProcess:
    url: str
    process: subprocess.Popen[str]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def hub_process(
    args: Sequence[str], port: int, env: dict[str, str] | None = None
) -> Iterator[HubProcess]:
    """`chanjiao-hub *args` started in its own process group, healthy, and stopped after.

    Its output goes to a file, never a pipe that a chatty server could fill and block on."""
    with tempfile.TemporaryDirectory(prefix="chanjiao-hub-test-") as scratch:
        log = Path(scratch) / "hub.log"
        with log.open("w", encoding="utf-8") as sink:
            process = subprocess.Popen(
                [HUB_COMMAND, *args],
                stdout=sink,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                start_new_session=True,
            )
        running = HubProcess(f"http://{LOOPBACK}:{port}", process, log)
        try:
            wait_until_healthy(running.url, process)
            yield running
        finally:
            stop(process)

"""A hub in a process of its own, for tests that kill client processes: the test process then
has no server thread that a client could inherit mid-request (clients are started with
subprocess, never forked, since a fork copies whatever locks another thread holds).

Run as `python -m tests.sync.engine.hub_process HUB.sqlite3`; prints the port it serves on.
"""

from __future__ import annotations

import socket
import sys

import uvicorn

from sync.hub.app import create_app, open_hub
from tests.sync.hub.conftest import FAST_HASHER

LOOPBACK = "127.0.0.1"


def main(database: str) -> None:
    hub = open_hub(f"sqlite:///{database}")
    hub.auth.hasher = FAST_HASHER
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((LOOPBACK, 0))
    print(listener.getsockname()[1], flush=True)
    config = uvicorn.Config(create_app(hub), log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    main(sys.argv[1])

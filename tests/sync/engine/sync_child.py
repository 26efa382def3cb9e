"""The client process of the kill -9 test: syncs a store until a pass succeeds."""

from __future__ import annotations

import sys
from pathlib import Path

from sync.client import HubClient, RetryPolicy
from sync.engine import SyncEngine
from sync.store import Store


class FixedToken:
    def __init__(self, token: str | None) -> None:
        self.token = token

    def get(self) -> str | None:
        return self.token

    def set(self, token: str) -> None:
        self.token = token

    def delete(self) -> None:
        self.token = None


def sync_until_done(store_path: Path, hub_url: str, token: str, passes: int = 20) -> int:
    """0 once a pass succeeds, 1 when none of `passes` did."""
    retry = RetryPolicy(attempts=20, backoff_base=0.05, backoff_cap=0.5, in_progress_wait=0.2)
    with (
        Store.open(store_path) as store,
        HubClient(hub_url, token_store=FixedToken(token), retry=retry) as client,
    ):
        # Small batches and pages: many commits for a kill to land between, and a sync long
        # enough that the kills land in it on a fast, quiet machine too.
        engine = SyncEngine(store, client, batch_size=50, pull_limit=100)
        for _ in range(passes):
            summary = engine.sync()
            if summary.ok:
                return 0
            print(f"sync failed: {summary.outcome}: {summary.error!r}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    # Imports are done: the test's kills from here on land in the sync, not in start-up.
    print("ready", flush=True)
    sys.exit(sync_until_done(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))

"""Where a user's data lives on this machine, and how to reach the hub from it.

    >>> profile = Profile.default()          # <user data dir>/chanjiao/profiles/default/
    >>> store = profile.open_store()
    >>> client = profile.open_client(store)  # hub and user from the store, token from the keyring

A profile is a directory holding the store file and the cached reference data. The hub URL and
username come from the store's sync state (written at login); the token from the client's token
store under `token_account(hub_url, username)`. The desktop and `chanjiao sync` both use this.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from sync.client import (
    AuthenticationRequired,
    HubClient,
    HubError,
    RetryPolicy,
    TokenStore,
    open_token_store,
)
from sync.engine import ReferenceCache
from sync.store import Store

if TYPE_CHECKING:
    # Only named in annotations: the network stack is imported when a client is made.
    import httpx

__all__ = [
    "PROFILE_APP_DIR",
    "REFERENCE_FILE",
    "STORE_FILE",
    "NotSignedIn",
    "Profile",
    "token_account",
]

PROFILE_APP_DIR = "chanjiao"
STORE_FILE = "store.sqlite3"
REFERENCE_FILE = "reference.json"


class NotSignedIn(AuthenticationRequired):
    """The profile has never been signed in to a hub: no hub URL or username in its store."""

    def __init__(self) -> None:
        HubError.__init__(
            self,
            "本机尚未登录中心服务器，请先在客户端中登录。",
            "This computer has not signed in to a hub yet: log in from the app first.",
        )


def token_account(hub_url: str, username: str) -> str:
    """The key of a user's token in the token store: one token per hub and user."""
    return f"{username}@{hub_url.rstrip('/')}"


@dataclass(frozen=True, slots=True)
class Profile:
    directory: Path

    @classmethod
    def default(cls) -> Profile:
        data_dir = Path(platformdirs.user_data_dir(PROFILE_APP_DIR, appauthor=False))
        return cls(data_dir / "profiles" / "default")

    @property
    def store_path(self) -> Path:
        return self.directory / STORE_FILE

    @property
    def reference_path(self) -> Path:
        return self.directory / REFERENCE_FILE

    def reference_cache(self) -> ReferenceCache:
        return ReferenceCache(self.reference_path)

    def open_store(self) -> Store:
        """The profile's store, created (with its directory) on first use."""
        self.directory.mkdir(parents=True, exist_ok=True)
        return Store.open(self.store_path)

    def token_store(self, hub_url: str, username: str) -> TokenStore:
        return open_token_store(token_account(hub_url, username))

    def open_client(
        self,
        store: Store,
        *,
        language: str = "zh-CN",
        ca_bundle: str | os.PathLike[str] | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        token_store: TokenStore | None = None,
    ) -> HubClient:
        """A client of the hub the store last synced with, as its user. Raises NotSignedIn
        when the store names no hub or user."""
        state = store.sync_state()
        if not state.hub_url or not state.username:
            raise NotSignedIn()
        return HubClient(
            state.hub_url,
            token_store=token_store or self.token_store(state.hub_url, state.username),
            language=language,
            ca_bundle=ca_bundle,
            transport=transport,
            retry=retry,
        )

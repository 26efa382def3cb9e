"""Where a user's data lives on this machine, and how to reach the hub from it.

    >>> profile = Profile.default()          # <user data dir>/chanjiao/profiles/default/
    >>> store = profile.open_store()
    >>> client = profile.open_client(store)  # hub and user from the store, token from the keyring

A profile is a directory holding the store file and the cached reference data. The hub URL and
username come from the store's sync state (written at login); the token from the client's token
store under `token_account(hub_url, username)`. The desktop and `chanjiao sync` both use this.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from sync.store import Store

if TYPE_CHECKING:
    import httpx

    from sync.client import AuthenticationRequired, HubClient, RetryPolicy, TokenStore
    from sync.engine import ReferenceCache

# The hub client and the engine (with the protocol's pydantic models and the network stack) are
# imported by the methods that make them, not with the profile: the desktop opens a profile at
# every start and syncs only after its window shows (issue 6).

__all__ = [
    "PROFILE_APP_DIR",
    "REFERENCE_FILE",
    "STORE_FILE",
    "Profile",
    "token_account",
]

PROFILE_APP_DIR = "chanjiao"
STORE_FILE = "store.sqlite3"
REFERENCE_FILE = "reference.json"


@functools.cache
def _not_signed_in() -> type[AuthenticationRequired]:
    """The error of a profile never signed in to a hub (no hub URL or username in its store):
    an AuthenticationRequired, so that the engine reads it as "log in", in words of its own."""
    from sync.client import AuthenticationRequired, HubError

    class NotSignedIn(AuthenticationRequired):
        def __init__(self) -> None:
            HubError.__init__(
                self,
                "本机尚未登录中心服务器，请先在客户端中登录。",
                "This computer has not signed in to a hub yet: log in from the app first.",
            )

    return NotSignedIn


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
        from sync.engine import ReferenceCache

        return ReferenceCache(self.reference_path)

    def open_store(self, *, check_later: bool = False) -> Store:
        """The profile's store, created (with its directory) on first use. `check_later`: see
        Store.open."""
        self.directory.mkdir(parents=True, exist_ok=True)
        return Store.open(self.store_path, check_later=check_later)

    def token_store(self, hub_url: str, username: str) -> TokenStore:
        from sync.client import open_token_store

        return open_token_store(token_account(hub_url, username))

    def open_client(
        self,
        store: Store,
        *,
        language: str = "zh-CN",
        ca_bundle: str | os.PathLike[str] | None = None,
        proxy: str | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        token_store: TokenStore | None = None,
    ) -> HubClient:
        """A client of the hub the store last synced with, as its user. Raises
        AuthenticationRequired (saying so) when the store names no hub or user."""
        from sync.client import HubClient

        state = store.sync_state()
        if not state.hub_url or not state.username:
            raise _not_signed_in()()
        return HubClient(
            state.hub_url,
            token_store=token_store or self.token_store(state.hub_url, state.username),
            language=language,
            ca_bundle=ca_bundle,
            proxy=proxy,
            transport=transport,
            retry=retry,
        )

"""Fixtures of the county workspace tests: devices (a store, client and engine per user) on the
desktop tests' loopback hub."""

from tests.sync.engine.conftest import devices

__all__ = ["devices"]

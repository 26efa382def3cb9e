"""The central hub of Chanjiao Collect: PROTOCOL.md v1 over FastAPI, stored with SQLAlchemy Core
in a SQLite file or PostgreSQL.

    app        routes, error bodies, the checks every request passes first
    service    what each endpoint does, without HTTP (Hub, HubError)
    push       one batch of mutations applied in one transaction
    pull       pages over the change order, and the cursor
    records    a record as stored, rendered to its wire form
    scope      who sees which records, in Python and in SQL
    auth       users, argon2 passwords, hashed tokens, the login limit
    schema     tables and the migration runner
    database   engines, transactions, retries
    i18n       messages in zh-CN and en
    demo, cli  `chanjiao-hub`
"""

from sync.hub.app import create_app, open_hub
from sync.hub.service import Hub, HubError

__all__ = ["Hub", "HubError", "create_app", "open_hub"]

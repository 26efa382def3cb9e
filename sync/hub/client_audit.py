"""`POST /audit`: lines of the clients' audit logs (exports with ID numbers) into the hub's.

A line carries its client's id and number (`client_id`, `seq`) in its detail. A client that
lost the hub's answer sends the lines again, so a line may appear twice with the same pair;
looking for it first would scan the audit table, which grows by a line per pushed change.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, insert

from sync.hub import schema
from sync.hub.auth import Caller
from sync.hub.database import Database
from sync.protocol import AuditRequest, format_utc

# The hub's audit action of a client's line: "client_" and the client's action.
ACTION_PREFIX = "client_"


def record_client_audit(db: Database, caller: Caller, request: AuditRequest) -> None:
    """Write the request's lines into the hub's audit in one transaction."""
    client_id = str(request.client_id)
    rows = [
        {
            "at": format_utc(entry.at),
            "username": caller.username,
            "action": ACTION_PREFIX + entry.action,
            "detail": json.dumps(
                {"client_id": client_id, "seq": entry.seq, **entry.detail},
                ensure_ascii=False,
                sort_keys=True,
            ),
        }
        for entry in request.entries
    ]

    def write(connection: Connection) -> None:
        connection.execute(insert(schema.audit), rows)

    db.write(write)

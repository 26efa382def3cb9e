"""The hub without HTTP: what each endpoint does, given a caller and parsed input.

    HubError        an answer other than 2xx: status, protocol code, details, headers

Forms are compiled once per process (bundled definitions plus those published into the
database); `push` guards a batch by its Idempotency-Key, then applies it in one transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from importlib import metadata as package_metadata
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

import forms
from sync.hub import schema
from sync.hub.auth import Authenticator, Caller
from sync.hub.database import Database
from sync.hub.i18n import Lang
from sync.hub.pull import BadCursor, pull_page
from sync.hub.push import BatchApplier, prepare, results_json
from sync.hub.records import dumps
from sync.protocol import Mutation, format_utc, utc_now

# A batch still marked in progress after this long was abandoned (its worker died).
ABANDONED_BATCH = datetime.timedelta(minutes=10)
MAINTENANCE_CHECK_SECONDS = 2.0


def hub_version() -> str:
    try:
        return package_metadata.version("chanjiao-collect")
    except package_metadata.PackageNotFoundError:
        return "0+unknown"


class HubError(Exception):
    """An HTTP error answer; `code` is a protocol error code (or a more precise message key
    whose protocol code is `protocol_code`)."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        message_key: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message_key = message_key or code
        self.details = details or {}
        self.headers = headers


def _published(connection: Connection) -> list[forms.FormDefinition]:
    rows = connection.execute(
        select(schema.form_definitions.c.definition).order_by(
            schema.form_definitions.c.id, schema.form_definitions.c.version
        )
    )
    return [forms.load_definition(json.loads(row.definition)) for row in rows]


class Hub:
    def __init__(self, db: Database, auth: Authenticator | None = None) -> None:
        self.db = db
        self.auth = auth or Authenticator(db)
        self.version = hub_version()
        with db.read() as connection:
            definitions = list(forms.bundled_definitions().values()) + _published(connection)
        self.registry = forms.FormRegistry(definitions)
        self._forms_json = dumps(
            {
                "forms": [
                    {"id": d.id, "version": d.version, "definition": d.to_json()}
                    for d in sorted(definitions, key=lambda d: (d.id, d.version))
                ]
            }
        )
        self._maintenance = (0.0, False)

    # Push ------------------------------------------------------------------------------------

    def push(
        self,
        caller: Caller,
        mutations: list[Mutation],
        body_hash: str,
        idempotency_key: str | None,
        lang: Lang,
    ) -> str:
        if idempotency_key is not None:
            self.db.write(lambda c: self._begin_batch(c, caller, idempotency_key, body_hash))
        now = utc_now()
        # Before the transaction: other workers write meanwhile, and row locks are held shorter.
        prepared = prepare(self.registry, mutations, now.date())

        def apply(connection: Connection) -> str:
            applier = BatchApplier(
                connection, self.registry, caller, format_utc(now), now.date(), lang
            )
            applier.load(mutations)
            results = [applier.apply(m, p) for m, p in zip(mutations, prepared, strict=True)]
            applier.flush()
            if idempotency_key is not None:
                connection.execute(
                    update(schema.push_batches)
                    .where(schema.push_batches.c.key == idempotency_key)
                    .values(state="done")
                )
            return results_json(results, lang)

        try:
            return self.db.write(apply)
        except BaseException:
            if idempotency_key is not None:
                self.db.write(
                    lambda c: c.execute(
                        delete(schema.push_batches).where(
                            schema.push_batches.c.key == idempotency_key,
                            schema.push_batches.c.state == "in_progress",
                        )
                    )
                )
            raise

    def _begin_batch(
        self, connection: Connection, caller: Caller, key: str, body_hash: str
    ) -> None:
        batches = schema.push_batches
        now = utc_now()
        if connection.dialect.name == "postgresql":
            # A marker lost in a crash only means the batch is applied again, from the stored
            # results of its mutations: not worth waiting for a disk flush on every push.
            connection.execute(text("SET LOCAL synchronous_commit TO OFF"))
        insert_new = (
            sqlite_insert(batches)
            if connection.dialect.name == "sqlite"
            else postgresql_insert(batches)
        )
        created = connection.execute(
            insert_new.values(
                key=key,
                username=caller.username,
                body_hash=body_hash,
                state="in_progress",
                started_at=format_utc(now),
            )
            .on_conflict_do_nothing(index_elements=[batches.c.key])
            .returning(batches.c.key)
        )
        if created.first() is not None:
            return
        row = connection.execute(select(batches).where(batches.c.key == key)).one()
        if row.username != caller.username or row.body_hash != body_hash:
            raise HubError(422, "idempotency_mismatch")
        if row.state == "in_progress":
            if row.started_at > format_utc(now - ABANDONED_BATCH):
                raise HubError(409, "in_progress")
            connection.execute(
                update(batches).where(batches.c.key == key).values(started_at=format_utc(now))
            )

    # Pull, forms, reference --------------------------------------------------------------------

    def pull(self, caller: Caller, cursor: str | None, limit: int, lang: Lang) -> str:
        try:
            with self.db.read() as connection:
                return pull_page(connection, caller, cursor, limit, lang)
        except BadCursor:
            raise HubError(
                400, "invalid_request", message_key="bad_cursor", details={"cursor": cursor}
            ) from None

    def forms_json(self) -> str:
        return self._forms_json

    def reference(self) -> tuple[str, str]:
        """(body, ETag) of the reference data."""
        with self.db.read() as connection:
            orgs = connection.execute(select(schema.orgs).order_by(schema.orgs.c.code)).all()
            enterprises = connection.execute(
                select(schema.enterprises).order_by(schema.enterprises.c.uscc)
            ).all()
        body = dumps(
            {
                "orgs": [
                    {
                        "code": o.code,
                        "name": o.name,
                        "kind": o.kind,
                        "county": o.county,
                        "school_kind": o.school_kind,
                    }
                    for o in orgs
                ],
                "enterprises": [
                    {
                        "uscc": e.uscc,
                        "name": e.name,
                        "industry": e.industry,
                        "integration_level": e.integration_level,
                    }
                    for e in enterprises
                ],
            }
        )
        return body, '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'

    # Maintenance -------------------------------------------------------------------------------

    def maintenance_known(self) -> bool | None:
        """Whether the hub is in maintenance, from a check at most a few seconds old, or None
        when it is time to look again (`in_maintenance`)."""
        checked, value = self._maintenance
        if time.monotonic() - checked > MAINTENANCE_CHECK_SECONDS:
            return None
        return value

    def in_maintenance(self) -> bool:
        value = self.maintenance_known()
        if value is None:
            with self.db.read() as connection:
                setting = connection.execute(
                    select(schema.settings.c.value).where(schema.settings.c.name == "maintenance")
                ).scalar()
            value = setting == "on"
            self._maintenance = (time.monotonic(), value)
        return value


def set_maintenance(db: Database, on: bool) -> None:
    def store(connection: Connection) -> None:
        connection.execute(delete(schema.settings).where(schema.settings.c.name == "maintenance"))
        connection.execute(
            insert(schema.settings).values(name="maintenance", value="on" if on else "off")
        )

    db.write(store)


def publish_form(db: Database, definition: forms.FormDefinition) -> None:
    """Publish a form version; hub workers serve it from their next start."""

    def store(connection: Connection) -> None:
        table = schema.form_definitions
        exists = connection.execute(
            select(table.c.id).where(
                table.c.id == definition.id, table.c.version == definition.version
            )
        ).first()
        if exists is not None or (definition.id, definition.version) in {
            (d.id, d.version) for d in forms.bundled_definitions().values()
        }:
            raise ValueError(f"{definition.id} version {definition.version} is published already")
        connection.execute(
            insert(table).values(
                id=definition.id,
                version=definition.version,
                definition=dumps(definition.to_json()),
                published_at=format_utc(utc_now()),
            )
        )

    db.write(store)

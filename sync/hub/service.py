"""The hub without HTTP: what each endpoint does, given a caller and parsed input.

    HubError        an answer other than 2xx: status, protocol code, details, headers

Forms are compiled once per process: the bundled definitions, and those published into the
database, as `Hub.refresh_forms` finds them (on GET /forms, and when a push names a version this
process does not have). `push` checks a batch's values, then claims its Idempotency-Key and
applies it in one transaction (on SQLite it marks the key in progress first, see
`_mark_in_progress`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import threading
import time
from importlib import metadata as package_metadata
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

import forms
from sync.hub import schema
from sync.hub.auth import Authenticator, Caller
from sync.hub.database import Database
from sync.hub.i18n import Lang
from sync.hub.pull import BadCursor, pull_page
from sync.hub.push import BatchApplier, prepare, results_json
from sync.hub.records import dumps
from sync.protocol import Mutation, ResolveMutation, SaveMutation, format_utc, utc_now

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


# The advisory lock held by the transaction applying a batch (PostgreSQL): its Idempotency-Key.
BATCH_LOCK_KEY = "hashtextextended(:key, 7411)"
# The lock, and the key's row when the lock was taken, in one round trip.
_LOCK_AND_CLAIM_BATCH = text(
    f"WITH lock AS (SELECT pg_try_advisory_xact_lock({BATCH_LOCK_KEY}) AS taken), "
    "claimed AS (INSERT INTO push_batches (key, username, body_hash, state, started_at) "
    "SELECT :key, :username, :body_hash, 'done', :now FROM lock WHERE taken "
    "ON CONFLICT (key) DO NOTHING RETURNING key) "
    "SELECT taken, EXISTS (SELECT 1 FROM claimed) FROM lock"
)

# How long a key stays marked in progress (SQLite) before the mark is taken for one left by a hub
# process that died inside its batch: well past the 30 s a batch may wait for its turn to write.
IN_PROGRESS_TIMEOUT = datetime.timedelta(minutes=2)


def _claim_batch(
    connection: Connection, caller: Caller, key: str, body_hash: str, now: str
) -> None:
    """Take a batch's Idempotency-Key in the transaction that applies it.

    The key is done when that transaction commits, so a batch is never half applied under its
    key, and one seen before is answered again by applying it once more: each of its mutations
    then answers from its stored result. On PostgreSQL a batch whose key another transaction is
    applying right now is refused at once with 409; on SQLite, where a batch waits for its turn
    to write, `_mark_in_progress` has refused it before."""
    values = {"key": key, "username": caller.username, "body_hash": body_hash, "now": now}
    if connection.dialect.name == "postgresql":
        taken, created = connection.execute(_LOCK_AND_CLAIM_BATCH, values).one()
        if not taken:
            raise HubError(409, "in_progress")
    else:
        created = connection.execute(_NEW_BATCH, values).first() is not None
    if created:
        return
    row = connection.execute(_BATCH, {"key": key}).one()
    _check_same_batch(row, caller, body_hash)
    if row.state != "done":
        connection.execute(_BATCH_DONE, {"b_key": key})


def _check_same_batch(row: Any, caller: Caller, body_hash: str) -> None:
    if row.username != caller.username or row.body_hash != body_hash:
        raise HubError(422, "idempotency_mismatch")


def _in_progress(row: Any, now: datetime.datetime) -> bool:
    """Whether the key of `row` is being applied by a live hub (SQLite's marks)."""
    return bool(
        row.state == "in_progress" and row.started_at > format_utc(now - IN_PROGRESS_TIMEOUT)
    )


def _mark_in_progress(
    db: Database, caller: Caller, key: str, body_hash: str, now: datetime.datetime
) -> str | None:
    """SQLite: commit the key as in progress before its batch waits for its turn to write, so a
    request of the same key meanwhile, in any hub process, is refused with 409 instead of
    waiting; the mark's time, or None for a key already done (the batch is answered again).

    Looked up first in a read, which SQLite never makes wait: the write lock may be held by
    the very batch of this key."""
    with db.read() as connection:
        row = connection.execute(_BATCH, {"key": key}).first()
    if row is not None:
        if _in_progress(row, now):
            raise HubError(409, "in_progress")
        _check_same_batch(row, caller, body_hash)
        if row.state == "done":
            return None
    started = format_utc(now)

    def mark(connection: Connection) -> str | None:
        values = {"key": key, "username": caller.username, "body_hash": body_hash, "now": started}
        if connection.execute(_MARK_BATCH, values).first() is not None:
            return started
        row = connection.execute(_BATCH, {"key": key}).one()
        if _in_progress(row, now):
            raise HubError(409, "in_progress")
        _check_same_batch(row, caller, body_hash)
        if row.state == "done":
            return None
        connection.execute(_TAKE_OVER_BATCH, {"b_key": key, "now": started})
        return started

    return db.write(mark)


def _unmark(db: Database, key: str, started: str) -> None:
    """Free the key of a batch that failed, unless another hub took it over meanwhile."""
    db.write(lambda connection: connection.execute(_UNMARK_BATCH, {"key": key, "now": started}))


def _new_batch(insert: Any, state: str) -> Any:
    batches = schema.push_batches
    return (
        insert(batches)
        .values(
            key=bindparam("key"),
            username=bindparam("username"),
            body_hash=bindparam("body_hash"),
            state=state,
            started_at=bindparam("now"),
        )
        .on_conflict_do_nothing(index_elements=[batches.c.key])
        .returning(batches.c.key)
    )


_NEW_BATCH = _new_batch(sqlite_insert, "done")
_MARK_BATCH = _new_batch(sqlite_insert, "in_progress")
_BATCH = select(
    schema.push_batches.c.username,
    schema.push_batches.c.body_hash,
    schema.push_batches.c.state,
    schema.push_batches.c.started_at,
).where(schema.push_batches.c.key == bindparam("key"))
_BATCH_DONE = (
    update(schema.push_batches)
    .where(schema.push_batches.c.key == bindparam("b_key"))
    .values(state="done")
)
_TAKE_OVER_BATCH = (
    update(schema.push_batches)
    .where(schema.push_batches.c.key == bindparam("b_key"))
    .values(started_at=bindparam("now"))
)
_UNMARK_BATCH = delete(schema.push_batches).where(
    schema.push_batches.c.key == bindparam("key"),
    schema.push_batches.c.state == "in_progress",
    schema.push_batches.c.started_at == bindparam("now"),
)


_PUBLISHED_KEYS = select(schema.form_definitions.c.id, schema.form_definitions.c.version)


def _may_need_new_forms(registry: forms.FormRegistry, mutations: list[Mutation]) -> bool:
    """Whether a batch may need a form version another hub process published since this one
    looked: a save naming a version it does not have, or a resolve (its record may have been
    saved at such a version). Either is checked against the database before it is rejected."""
    for mutation in mutations:
        if isinstance(mutation, ResolveMutation):
            return True
        if (
            isinstance(mutation, SaveMutation)
            and (mutation.form, mutation.form_version) not in registry
        ):
            return True
    return False


class Hub:
    def __init__(self, db: Database, auth: Authenticator | None = None) -> None:
        self.db = db
        self.auth = auth or Authenticator(db)
        self.version = hub_version()
        bundled = list(forms.bundled_definitions().values())
        self.registry = forms.FormRegistry(bundled)
        self._definitions = {(d.id, d.version): d for d in bundled}
        self._published: set[tuple[str, int]] = set()
        self._forms_lock = threading.Lock()
        self._forms_json = ""
        self.refresh_forms()
        self._maintenance = (0.0, False)

    # Forms -------------------------------------------------------------------------------------

    def refresh_forms(self) -> None:
        """Add the form versions published (by `form publish`, into the database every hub
        process shares) since this process last looked. One small query when none is new."""
        table = schema.form_definitions
        with self.db.read() as connection:
            keys = {(row.id, row.version) for row in connection.execute(_PUBLISHED_KEYS)}
            if self._forms_json and keys <= self._published:
                return
            rows = connection.execute(select(table.c.id, table.c.version, table.c.definition))
            new = [
                forms.load_definition(json.loads(row.definition))
                for row in rows
                if (row.id, row.version) not in self._published
            ]
        with self._forms_lock:
            for definition in new:
                self._definitions[definition.id, definition.version] = definition
                self._published.add((definition.id, definition.version))
            # A new registry, not added to: other threads are reading the one they hold.
            self.registry = forms.FormRegistry(list(self._definitions.values()))
            definitions = [self._definitions[key] for key in sorted(self._definitions)]
            self._forms_json = dumps(
                {
                    "forms": [
                        {"id": d.id, "version": d.version, "definition": d.to_json()}
                        for d in definitions
                    ]
                }
            )

    # Push ------------------------------------------------------------------------------------

    def push(
        self,
        caller: Caller,
        mutations: list[Mutation],
        body_hash: str,
        idempotency_key: str | None,
        lang: Lang,
    ) -> bytes:
        """The answer to a push, in UTF-8."""
        now = utc_now()
        if _may_need_new_forms(self.registry, mutations):
            self.refresh_forms()
        registry = self.registry
        # Before the transaction: other workers write meanwhile, and row locks are held shorter.
        prepared = prepare(registry, mutations, now.date())
        marked = None
        if idempotency_key is not None and self.db.is_sqlite:
            marked = _mark_in_progress(self.db, caller, idempotency_key, body_hash, now)

        def apply(connection: Connection) -> bytes:
            if idempotency_key is not None:
                _claim_batch(connection, caller, idempotency_key, body_hash, format_utc(now))
            applier = BatchApplier(connection, registry, caller, format_utc(now), now.date(), lang)
            results = applier.apply_batch(mutations, prepared)
            applier.flush()
            return results_json(results, lang)

        if marked is None:
            return self.db.write(apply)
        assert idempotency_key is not None
        try:
            return self.db.write(apply)
        except BaseException:
            _unmark(self.db, idempotency_key, marked)
            raise

    # Pull, forms, reference --------------------------------------------------------------------

    def pull(self, caller: Caller, cursor: str | None, limit: int, lang: Lang) -> bytes:
        try:
            with self.db.read() as connection:
                return pull_page(connection, caller, cursor, limit, lang)
        except BadCursor:
            raise HubError(
                400, "invalid_request", message_key="bad_cursor", details={"cursor": cursor}
            ) from None

    def forms_json(self) -> str:
        self.refresh_forms()
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
    """Publish a form version; running hub processes serve it from their next GET /forms, and
    accept it in a push at once (`Hub.refresh_forms`)."""

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

"""The Store: the durable offline replica of one user's records on this machine."""

from __future__ import annotations

import datetime
import json
import logging
import sqlite3
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from forms import (
    FormDefinition,
    FormRegistry,
    Severity,
    coerce,
    issues_of_typed,
    load_definition,
    to_wire,
)
from sync.store import outbox
from sync.store.backups import daily_backup_due, good_backups, list_backups, write_backup
from sync.store.database import (
    CACHE_KIB,
    DEFAULT_BUSY_TIMEOUT,
    HUB_SYNCHRONOUS,
    PULL_AUTOCHECKPOINT_PAGES,
    PULL_CACHE_KIB,
    busy_as_store_error,
    configure,
    connect,
    write_transaction,
)
from sync.store.errors import (
    CorruptDatabaseError,
    OperationRefusedError,
    RecordNotFoundError,
    StoreError,
)
from sync.store.hub_answers import HubAnswers, holds_hub_version, system_state, wire_fields
from sync.store.models import (
    AuditEntry,
    FormCounts,
    OutboxBatch,
    OutboxEntry,
    Page,
    PageKey,
    RecordHistory,
    RecordQuery,
    Revision,
    SaveResult,
    StoredRecord,
    SyncState,
)
from sync.store.queries import RecordLists, audit_entries, form_counts, revisions
from sync.store.records import FormRecords, issues_json
from sync.store.schema import migrations_pending, quote
from sync.store.verification import Verification
from sync.wire import (
    MAX_MUTATIONS_PER_PUSH,
    MAX_PUSH_BYTES,
    Decision,
    Op,
    RecordStatus,
    RejectCode,
    format_utc,
    new_id,
    utc_now,
)

if TYPE_CHECKING:
    # The protocol's pydantic models are imported where they are made: opening the store
    # does not import pydantic.
    from sync.protocol import Conflict, MutationResult, Record

_log = logging.getLogger(__name__)

_EDITABLE = (RecordStatus.DRAFT, RecordStatus.RETURNED)
# decision → (statuses it applies to, status it leads to)
_REVIEWS = {
    Decision.APPROVE: ((RecordStatus.SUBMITTED,), RecordStatus.APPROVED),
    Decision.RETURN: ((RecordStatus.SUBMITTED,), RecordStatus.RETURNED),
    Decision.REOPEN: ((RecordStatus.APPROVED,), RecordStatus.RETURNED),
}


def _now() -> str:
    return format_utc(utc_now())


def _readable_journal_mode(conn: sqlite3.Connection, path: Path) -> str:
    """The file's journal mode, read with its header and schema: what must work before
    anything else is tried. Raises CorruptDatabaseError when it is not a database."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(path, str(exc), good_backups(path)) from exc


class Store:
    """Records, outbox, history and sync state in one SQLite file.

    A Store wraps one connection and belongs to the thread that opened it; another thread
    calls `for_thread()` for its own. Open with `Store.open(path)`.
    """

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        registry: FormRegistry,
        busy_timeout: float,
        today: Callable[[], datetime.date],
        clock: Callable[[], datetime.datetime],
        verification: Verification,
    ) -> None:
        self.path = path
        self._verification = verification
        # What _follow_forms last saw: nothing yet.
        self._data_version: int | None = None
        self._stored_forms = 0
        # Set by `open`; Stores of other threads (for_thread) share its verification.
        self._opened_file = False
        self.registry = registry
        self.busy_timeout = busy_timeout
        self._conn = conn
        self._today = today
        # What daily backups are due by (backup_if_due).
        self._clock = clock
        self._forms: dict[str, FormRecords] = {}
        self._in_batch = False
        self._lists: dict[str, RecordLists] = {}

    @classmethod
    def open(
        cls,
        path: str | Path,
        registry: FormRegistry | None = None,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        today: Callable[[], datetime.date] = datetime.date.today,
        clock: Callable[[], datetime.datetime] = utc_now,
        check_later: bool = False,
    ) -> Store:
        """Open (or create) the store at `path` in a few milliseconds: the header and schema
        are read here, the full integrity check and the daily backup run in the background
        (see sync.store.verification; `verified()` waits for them). Writes wait for the check
        as long as for a lock (`busy_timeout`, then IntegrityCheckPendingError); a migration
        checks and backs up first, here. `clock` tells when the daily backup is due
        (`backup_if_due`). With `check_later`, the background check starts on `start_check()`,
        or on the first write or `verified()` before that.

        Raises CorruptDatabaseError, with the good backups, when the file is not a database
        or, when it is checked here, fails its check; so do writes when the background check
        fails. The file is left as it is."""
        path = Path(path)
        existed = path.exists() and path.stat().st_size > 0
        conn = connect(path, busy_timeout)
        try:
            verification = (
                Verification(path, clock) if existed else Verification.known_good(path, clock)
            )
            journal_mode = _readable_journal_mode(conn, path) if existed else "wal"
            store = cls(
                path, conn, registry or FormRegistry(), busy_timeout, today, clock, verification
            )
            store._opened_file = True
            migrating = store._pending_migrations(store.registry.latest())
            # Switching a file to WAL writes to it (a restored backup is in rollback mode).
            checked_here = existed and (migrating or journal_mode != "wal")
            if checked_here:
                verification.check_now(conn)
            configure(conn, path)
            store._migrate(store.registry.latest(), backup_first=existed)
            store._follow_forms()  # versions added since the app shipped (add_form)
            if existed:
                verification.hold(busy_timeout, check=not checked_here)
                if not check_later:
                    verification.release()
        except BaseException:
            conn.close()
            raise
        return store

    def start_check(self) -> None:
        """Start the background check `open(..., check_later=True)` held back."""
        self._verification.release()

    def verified(self, timeout: float | None = None) -> bool:
        """Wait for the integrity check of `open` (and the daily backup after it): True when
        the file passed, False when the check takes longer than `timeout` seconds. Raises
        CorruptDatabaseError, with the good backups, when it failed."""
        return self._verification.wait(timeout)

    def for_thread(self) -> Store:
        """Another Store on the same file for the calling thread (checked and migrated once,
        by `open`)."""
        conn = connect(self.path, self.busy_timeout)
        try:
            configure(conn, self.path)
        except BaseException:
            conn.close()
            raise
        return Store(
            self.path,
            conn,
            self.registry,
            self.busy_timeout,
            self._today,
            self._clock,
            self._verification,
        )

    def close(self) -> None:
        """Close the connection; the Store that opened the file first waits for its background
        check and backup (seconds at most, on 100,000 records)."""
        self._conn.close()
        if self._opened_file:
            self._verification.join()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # Forms and migrations -----------------------------------------------------------------

    def _use(self, form: FormDefinition) -> None:
        records = FormRecords(form)
        self._forms[form.id] = records
        self._lists[form.id] = RecordLists(records)

    def _pending_migrations(self, forms: Iterable[FormDefinition]) -> bool:
        with busy_as_store_error(self.path, self.busy_timeout):
            return migrations_pending(self._conn, forms)

    def _migrate(self, forms: Iterable[FormDefinition], backup_first: bool) -> None:
        forms = list(forms)
        if not self._pending_migrations(forms):
            return
        # Here, not at the top: see schema.migrations_pending.
        from sqlite_utils import Database

        from sync.store.migrations import STORE_MIGRATIONS, form_migrations

        db = Database(self._conn, execute_plugins=False)
        migrations = form_migrations(forms)
        with busy_as_store_error(self.path, self.busy_timeout):
            self._verification.require(self.busy_timeout)
            if backup_first:
                self.backup("pre-migration")
            STORE_MIGRATIONS.apply(db)
            migrations.apply(db)
            with write_transaction(self._conn, self.path, self.busy_timeout):
                self._conn.execute(
                    "INSERT OR IGNORE INTO _sync_state (id, client_id) VALUES (1, ?)",
                    (str(uuid.uuid4()),),
                )
                self._conn.execute(
                    "INSERT OR IGNORE INTO _meta (key, value) VALUES ('created_at', ?)",
                    (_now(),),
                )

    def add_form(self, form: FormDefinition) -> None:
        """Start using a form definition (a new form, or a new version from the hub): its tables
        get the new columns, after a backup. Existing values are kept. Stores of other threads
        sharing the registry follow on their next call."""
        forms = {(f.id, f.version): f for f in self.registry.latest()}
        forms[(form.id, form.version)] = form
        # Into the registry and the file only once the columns exist, for the other
        # connections' sake (they follow in _follow_forms).
        self._migrate(forms.values(), backup_first=True)
        with self._write():
            self._conn.execute(
                "INSERT OR REPLACE INTO _form_definitions (form, version, definition) "
                "VALUES (?, ?, ?)",
                (form.id, form.version, json.dumps(form.to_json(), ensure_ascii=False)),
            )
        self.registry.add(form)

    def _follow_forms(self) -> None:
        """Take up definitions another connection added (a Store of another registry, another
        process): `PRAGMA data_version` changes only when another connection has committed,
        and costs a microsecond, so `_form_definitions` is read only then."""
        data_version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if data_version == self._data_version:
            return
        self._data_version = data_version
        (stored,) = self._conn.execute("SELECT count(*) FROM _form_definitions").fetchone()
        if stored == self._stored_forms:
            return
        for form_id, version, definition in self._conn.execute(
            "SELECT form, version, definition FROM _form_definitions"
        ).fetchall():
            if (form_id, version) not in self.registry:
                self.registry.add(load_definition(definition))
        self._stored_forms = stored

    def _records(self, form_id: str) -> FormRecords:
        """The form's tables under the newest definition in the registry. Raises
        forms.UnknownFormError."""
        self._follow_forms()
        latest = self.registry.get(form_id)
        records = self._forms.get(form_id)
        if records is None or records.form.version != latest.version:
            self._use(latest)
            records = self._forms[form_id]
        return records

    def _current_forms(self) -> dict[str, FormRecords]:
        self._follow_forms()
        return {form.id: self._records(form.id) for form in self.registry.latest()}

    # Plumbing -----------------------------------------------------------------------------

    @contextmanager
    def _write(self, synchronous: str | None = None) -> Iterator[None]:
        """A write transaction, once the file is known to be good (Verification)."""
        if self._in_batch:  # save_drafts: the batch's one transaction is open
            yield
            return
        self._verification.require(self.busy_timeout)
        with write_transaction(self._conn, self.path, self.busy_timeout, synchronous):
            yield

    @contextmanager
    def _read(self) -> Iterator[None]:
        with busy_as_store_error(self.path, self.busy_timeout):
            yield

    def _located(self, record_id: str) -> tuple[FormRecords, sqlite3.Row]:
        found = self._conn.execute("SELECT form FROM _records WHERE id = ?", (record_id,))
        form_row = found.fetchone()
        if form_row is not None and form_row[0] in self.registry:
            records = self._records(form_row[0])
            row = records.row(self._conn, record_id)
            if row is not None:
                return records, row
        raise RecordNotFoundError(record_id)

    def _live(self, record_id: str) -> tuple[FormRecords, sqlite3.Row]:
        records, row = self._located(record_id)
        if row["_deleted"]:
            raise RecordNotFoundError(record_id)
        return records, row

    def _keep_base(self, records: FormRecords, row: sqlite3.Row) -> None:
        """Before the first local change of a record that holds the hub's version: that
        version into the history, where merges and the history dialog find it."""
        if holds_hub_version(row):
            HubAnswers(self._conn, self._current_forms(), _now(), self.registry).keep_bases(
                records, [row]
            )

    def _audit(
        self,
        user: str,
        action: str,
        record_id: str | None,
        form: str | None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        now = _now()
        last = self._conn.execute(
            "SELECT seq, user, action, record_id FROM _audit ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        # Autosave fires every few hundred milliseconds: one line per editing session.
        if action == "save" and last is not None and tuple(last)[1:] == (user, action, record_id):
            self._conn.execute("UPDATE _audit SET at = ? WHERE seq = ?", (now, last["seq"]))
            return
        self._conn.execute(
            "INSERT INTO _audit (at, user, action, record_id, form, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (now, user, action, record_id, form, json.dumps(detail or {}, ensure_ascii=False)),
        )

    def _transition(
        self,
        record_id: str,
        user: str,
        op: Op,
        allowed: tuple[RecordStatus, ...],
        status: RecordStatus,
        payload: dict[str, Any],
        **columns: Any,
    ) -> FormRecords:
        records, row = self._live(record_id)
        current = RecordStatus(row["_status"])
        if current not in allowed:
            raise OperationRefusedError(
                "invalid_transition", f"cannot {op} a record that is {current}"
            )
        self._keep_base(records, row)
        now = _now()
        records.update(
            self._conn,
            record_id,
            _status=str(status),
            _updated_at=now,
            _updated_by=user,
            _attention=None,
            _pending=1,
            **columns,
        )
        outbox.enqueue(self._conn, record_id, op, row["_base_rev"], payload, now)
        self._audit(user, str(op), record_id, records.table.name, payload)
        return records

    # Local edits --------------------------------------------------------------------------

    def save(
        self,
        form_id: str,
        record_id: str | None,
        fields: Mapping[str, Any],
        user: str,
        *,
        org: str | None = None,
        county: str | None = None,
        edited_from: int | None = None,
    ) -> SaveResult:
        """Validate and store a record (a new one when record_id is None) and queue its save,
        in one transaction. Drafts with issues are saved; values the forms engine cannot read
        raise forms.CoercionError and nothing is written. org and county of a new record
        default to the signed-in user's (sync_state).

        `edited_from`: the hub revision the fields were edited from, when a pull replaced the
        record with a newer one while the user typed (an editor saves after the sync). The
        save goes with that base, as if saved before the pull: the hub merges the fields with
        its newer version or reports a conflict."""
        records = self._records(form_id)  # follows versions other connections added
        form = records.form
        typed = coerce(form, fields)
        issues = issues_of_typed(form, typed, self._today())
        severities = {issue.severity for issue in issues}
        record_id = str(uuid.UUID(record_id)) if record_id else new_id()
        now = _now()
        with self._write():
            known = self._conn.execute("SELECT form FROM _records WHERE id = ?", (record_id,))
            known_form = known.fetchone()
            if known_form is not None and known_form[0] != form_id:
                raise OperationRefusedError(
                    "wrong_form", f"record {record_id} belongs to {known_form[0]}"
                )
            row = records.row(self._conn, record_id)
            if row is None:
                state = self._new_state(record_id, org, county, now)
            else:
                if row["_deleted"] or row["_status"] == RecordStatus.APPROVED:
                    raise OperationRefusedError("locked", f"record {record_id} is locked")
                self._keep_base(records, row)
                state = system_state(row)
                if edited_from is not None and edited_from < state["_base_rev"]:
                    state["_base_rev"] = edited_from
            state |= {
                "_form_version": form.version,
                "_updated_at": now,
                "_updated_by": user,
                "_issues": issues_json(issues),
                "_has_errors": int(Severity.ERROR in severities),
                "_has_warnings": int(Severity.WARNING in severities),
                "_attention": None,
                "_pending": 1,
            }
            records.write(self._conn, state, typed, is_new=row is None)
            payload = {
                "form": form.id,
                "form_version": form.version,
                "fields": to_wire(form, typed),
            }
            outbox.enqueue(self._conn, record_id, Op.SAVE, state["_base_rev"], payload, now)
            self._audit(user, "save", record_id, form.id)
        return SaveResult(record_id, issues)

    def save_drafts(
        self,
        form_id: str,
        records: Iterable[Mapping[str, Any]],
        user: str,
        *,
        org: str | None = None,
        county: str | None = None,
    ) -> list[SaveResult]:
        """Save new records (an import) in one transaction: every one, or none when one
        fails (forms.CoercionError, a busy database)."""
        with self._write():
            self._in_batch = True
            try:
                return [
                    self.save(form_id, None, fields, user, org=org, county=county)
                    for fields in records
                ]
            finally:
                self._in_batch = False

    def _new_state(
        self, record_id: str, org: str | None, county: str | None, now: str
    ) -> dict[str, Any]:
        signed_in = self.sync_state()
        return {
            "_id": record_id,
            "_org": org if org is not None else signed_in.org or "",
            "_county": county if county is not None else signed_in.county or "",
            "_status": str(RecordStatus.DRAFT),
            "_deleted": 0,
            "_rev": 0,
            "_base_rev": 0,
            "_created_at": now,
            "_review": None,
            "_conflict_id": None,
            "_extra": None,
        }

    def submit(self, record_id: str, user: str) -> None:
        """Queue a submit. Refused (`has_errors`) while an error issue remains."""
        with self._write():
            _, row = self._live(record_id)
            if row["_has_errors"]:
                raise OperationRefusedError("has_errors", "fix the errors before submitting")
            self._transition(record_id, user, Op.SUBMIT, _EDITABLE, RecordStatus.SUBMITTED, {})

    def withdraw(self, record_id: str, user: str) -> None:
        """Take a submitted record back to draft."""
        with self._write():
            self._transition(
                record_id, user, Op.WITHDRAW, (RecordStatus.SUBMITTED,), RecordStatus.DRAFT, {}
            )

    def review(
        self, record_id: str, decision: Decision, user: str, comment: str | None = None
    ) -> None:
        """A county decision: approve or return a submitted record, reopen an approved one.
        return and reopen need a comment."""
        allowed, status = _REVIEWS[decision]
        if decision is not Decision.APPROVE and not (comment and comment.strip()):
            raise OperationRefusedError("comment_required", f"{decision} needs a comment")
        from sync.protocol import Review

        review = Review(decision=decision, comment=comment, by=user, at=utc_now())
        with self._write():
            self._transition(
                record_id,
                user,
                Op.REVIEW,
                allowed,
                status,
                {"decision": str(decision), "comment": comment},
                _review=review.model_dump_json(),
            )

    def take_hub_version(self, record_id: str, user: str) -> None:
        """Give up a change the hub refused (the record needs attention), with whatever was
        queued after it: the record becomes the hub's newest version known here, to be worked
        on again (a county decision refused as stale is made again on what the school sent).
        The hub's history keeps no review, so a review shown on that version is dropped."""
        with self._write():
            # A refused delete too: the record is deleted here only, and comes back.
            records, row = self._located(record_id)
            if row["_attention"] is None:
                raise OperationRefusedError("not_rejected", f"record {record_id} was not refused")
            known = revisions(self._conn, record_id)
            if not known:
                raise OperationRefusedError(
                    "never_synced", f"record {record_id} has no hub version"
                )
            newest = known[-1]
            form = records.form
            typed = coerce(form, newest.fields)
            issues = issues_of_typed(form, typed, self._today())
            severities = {issue.severity for issue in issues}
            state = system_state(row) | {
                "_status": str(newest.status),
                "_deleted": int(newest.deleted),
                "_rev": newest.rev,
                "_base_rev": newest.rev,
                "_updated_at": newest.updated_at,
                "_updated_by": newest.updated_by,
                "_issues": issues_json(issues),
                "_has_errors": int(Severity.ERROR in severities),
                "_has_warnings": int(Severity.WARNING in severities),
                "_review": None,
                "_attention": None,
                "_pending": 0,
            }
            records.write(self._conn, state, typed, is_new=False)
            outbox.drop_untaken(self._conn, record_id)
            self._audit(user, "take_hub_version", record_id, form.id, {"rev": newest.rev})

    def delete(self, record_id: str, user: str) -> None:
        """Delete a draft or returned record (kept as a tombstone). A record the hub has never
        seen is simply dropped from the outbox."""
        with self._write():
            records, row = self._live(record_id)
            if row["_conflict_id"] is not None:
                # Queued behind the conflict, a delete would wait for ever: a deleted record
                # cannot be resolved. The conflict is settled first (the editor says so).
                raise OperationRefusedError("has_conflict", "resolve the conflict before deleting")
            if row["_rev"] == 0 and not outbox.has_taken_entries(self._conn, record_id):
                if row["_status"] not in _EDITABLE:
                    raise OperationRefusedError("invalid_transition", "cannot delete it now")
                outbox.drop_untaken(self._conn, record_id)
                records.update(self._conn, record_id, _deleted=1, _pending=0, _updated_by=user)
                self._audit(user, "delete", record_id, records.table.name)
                return
            self._transition(
                record_id, user, Op.DELETE, _EDITABLE, RecordStatus(row["_status"]), {}, _deleted=1
            )

    def resolve(self, record_id: str, fields: Mapping[str, Any], user: str) -> SaveResult:
        """Close the record's open conflict with these values (taken from either side or
        typed). They replace any local edits still queued for the record."""
        with self._write():
            records, row = self._live(record_id)
            conflict_id = row["_conflict_id"]
            if conflict_id is None:
                raise OperationRefusedError("no_conflict", f"record {record_id} has no conflict")
            form = records.form
            typed = coerce(form, fields)
            issues = issues_of_typed(form, typed, self._today())
            severities = {issue.severity for issue in issues}
            self._keep_base(records, row)
            now = _now()
            state = system_state(row) | {
                "_form_version": form.version,
                "_updated_at": now,
                "_updated_by": user,
                "_issues": issues_json(issues),
                "_has_errors": int(Severity.ERROR in severities),
                "_has_warnings": int(Severity.WARNING in severities),
                "_conflict_id": None,
                "_attention": None,
                "_pending": 1,
            }
            records.write(self._conn, state, typed, is_new=False)
            outbox.drop_untaken(self._conn, record_id, Op.SAVE)
            payload = {"conflict_id": conflict_id, "fields": to_wire(form, typed)}
            outbox.enqueue(self._conn, record_id, Op.RESOLVE, row["_base_rev"], payload, now)
            # What was queued behind the mutation that conflicted (rebased on the conflict's
            # revision, see HubAnswers._conflicted) goes after the resolve: the hub closes the
            # conflict first, and a delete then lands instead of conflicting again. The
            # record came back for the resolve; with a delete still queued it is gone again.
            (resolve_seq,) = self._conn.execute(
                "SELECT max(seq) FROM _outbox WHERE record_id = ?", (record_id,)
            ).fetchone()
            if Op.DELETE in outbox.requeue_untaken(self._conn, record_id, resolve_seq):
                records.update(self._conn, record_id, _deleted=1)
            self._conn.execute(
                "UPDATE _conflicts SET resolved_at = ? WHERE id = ?", (now, conflict_id)
            )
            self._audit(user, "resolve", record_id, form.id, {"conflict_id": conflict_id})
        return SaveResult(record_id, issues)

    # Queries ------------------------------------------------------------------------------

    def get(self, record_id: str) -> StoredRecord:
        """The record with typed fields, its issues (re-validated, both languages), review,
        open conflict and the hub's errors if it needs attention."""
        from sync.protocol import MutationError, Review

        with self._read():
            records, row = self._located(record_id)
            fields = records.typed_fields(self._conn, row)
            conflict = self._conflict(row["_conflict_id"]) if row["_conflict_id"] else None
            pending = outbox.has_entries(self._conn, record_id)
        attention = json.loads(row["_attention"]) if row["_attention"] else []
        return StoredRecord(
            id=record_id,
            form=records.table.name,
            form_version=row["_form_version"],
            org=row["_org"],
            county=row["_county"],
            status=RecordStatus(row["_status"]),
            deleted=bool(row["_deleted"]),
            rev=row["_rev"],
            base_rev=row["_base_rev"],
            fields=fields,
            issues=issues_of_typed(records.form, fields, self._today()),
            review=Review.model_validate_json(row["_review"]) if row["_review"] else None,
            conflict=conflict,
            attention=[MutationError.model_validate(error) for error in attention],
            pending=pending,
            created_at=row["_created_at"],
            updated_at=row["_updated_at"],
            updated_by=row["_updated_by"],
        )

    def _conflict(self, conflict_id: str) -> Conflict | None:
        from sync.protocol import Conflict, ConflictField

        row = self._conn.execute("SELECT * FROM _conflicts WHERE id = ?", (conflict_id,)).fetchone()
        if row is None:
            return None
        return Conflict(
            id=row["id"],
            mutation_id=row["mutation_id"],
            by=row["by"],
            at=datetime.datetime.fromisoformat(row["at"]),
            base_rev=row["base_rev"],
            fields=[ConflictField.model_validate(f) for f in json.loads(row["fields"])],
        )

    def list_records(
        self,
        query: RecordQuery,
        after: PageKey | None = None,
        limit: int = 50,
        *,
        offset: int = 0,
        mask_ids: bool = True,
    ) -> Page:
        """One page of list rows; pass `page.next_after` back as `after` for the next.

        `offset` skips that many rows first (after `after`, if given): the way to a page far
        from any key known, such as the last one. It costs a scan of the rows skipped, in the
        index the list sorts by (~10 ms per 100,000 unless a filter needs the wide rows)."""
        with self._read():
            self._records(query.form)  # follows a newer version
            lists = self._lists[query.form]
            return lists.page(self._conn, query, after, limit, mask_ids, offset)

    def count(self, query: RecordQuery) -> int:
        with self._read():
            self._records(query.form)
            return self._lists[query.form].count(self._conn, query)

    def counts(self) -> list[FormCounts]:
        """Live records of every form by status, with issue, conflict and pending totals."""
        with self._read():
            return [form_counts(self._conn, r) for r in self._current_forms().values()]

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for read-only SQL over the form tables (reports, exports), inside one
        read transaction so that every query sees the same snapshot. Write nothing through it."""
        with self._read():
            self._current_forms()  # the tables follow the newest definitions
            began = not self._conn.in_transaction
            if began:
                self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                if began and self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")

    def audit(self, user: str, action: str, detail: Mapping[str, Any]) -> None:
        """Note something a user did that concerns no single record (an export) in `_audit`."""
        with self._write():
            self._audit(user, action, None, None, detail)

    def unsent_audit(self, action: str, limit: int) -> list[tuple[int, AuditEntry]]:
        """The oldest `action` lines of `_audit` not yet marked sent (audit_sent), with their
        numbers."""
        with self._read():
            sent = self._conn.execute(
                "SELECT value FROM _meta WHERE key = 'audit_sent_seq'"
            ).fetchone()
            rows = self._conn.execute(
                "SELECT seq, at, user, action, detail FROM _audit WHERE action = ? AND seq > ? "
                "ORDER BY seq LIMIT ?",
                (action, int(sent[0]) if sent else 0, limit),
            ).fetchall()
        return [
            (
                row["seq"],
                AuditEntry(row["at"], row["user"], row["action"], json.loads(row["detail"])),
            )
            for row in rows
        ]

    def audit_sent(self, seq: int) -> None:
        """Mark the audit lines up to `seq` as sent to the hub."""
        with self._write():
            self._conn.execute(
                "INSERT INTO _meta (key, value) VALUES ('audit_sent_seq', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (str(seq),),
            )

    def history(self, record_id: str) -> RecordHistory:
        """The hub's revisions of the record and what users did to it on this machine."""
        with self._read():
            records, row = self._located(record_id)
            kept = revisions(self._conn, record_id)
            if holds_hub_version(row) and row["_rev"] not in {r.rev for r in kept}:
                # A pulled record's revision is in its row until it changes (keep_bases).
                current = Revision(
                    rev=row["_rev"],
                    status=RecordStatus(row["_status"]),
                    deleted=bool(row["_deleted"]),
                    fields=wire_fields(self._conn, records, row, self.registry),
                    updated_at=row["_updated_at"],
                    updated_by=row["_updated_by"],
                )
                kept = sorted([*kept, current], key=lambda revision: revision.rev)
            return RecordHistory(kept, audit_entries(self._conn, record_id))

    # Sync ---------------------------------------------------------------------------------

    def sync_state(self) -> SyncState:
        row = self._conn.execute("SELECT * FROM _sync_state WHERE id = 1").fetchone()
        last = row["last_sync_at"]
        return SyncState(
            client_id=row["client_id"],
            hub_url=row["hub_url"],
            username=row["username"],
            org=row["org"],
            county=row["county"],
            cursor=row["cursor"],
            last_sync_at=datetime.datetime.fromisoformat(last) if last else None,
        )

    def set_sync_state(self, state: SyncState) -> None:
        """Store hub, user, cursor and last sync time. client_id never changes."""
        last = format_utc(state.last_sync_at) if state.last_sync_at else None
        with self._write():
            self._conn.execute(
                "UPDATE _sync_state SET hub_url = ?, username = ?, org = ?, county = ?, "
                "cursor = ?, last_sync_at = ? WHERE id = 1",
                (state.hub_url, state.username, state.org, state.county, state.cursor, last),
            )

    def pending_count(self) -> int:
        with self._read():
            return outbox.count(self._conn)

    def next_batch(
        self,
        limit: int = MAX_MUTATIONS_PER_PUSH,
        in_flight: Collection[str] = (),
        language: str = "zh-CN",
        max_bytes: int = MAX_PUSH_BYTES,
    ) -> OutboxBatch | None:
        """The batch to push: an unanswered one if there is one (same key, same mutations),
        else up to `limit` queued mutations under a new key, in a push body of at most
        `max_bytes`. Mutations of a record that needs attention or has an open conflict wait,
        and so do those of a record with a mutation in an unanswered batch. `in_flight` are
        the keys of batches the caller has sent and not yet applied the answers of: they are
        not returned again, so several batches can be on their way at once. None when there
        is nothing (more) to push.

        A mutation too large for any push body would be refused for ever: its record is
        marked as needing attention instead (in `language`, as the hub's errors are), its
        mutations wait until the user makes it smaller, and the rest of the queue goes on."""
        # FULL: a batch taken must outlive a power cut once sent, or a save could merge into
        # a mutation the hub has applied (the edit lost, as rekey_batch explains).
        with self._write():
            batch = outbox.open_batch(self._conn, in_flight)
            if batch is None:
                batch, too_large = outbox.take_batch(self._conn, limit, self._held(), max_bytes)
                for entry in too_large:
                    self._mark_too_large(entry, max_bytes, language)
            return batch

    def _mark_too_large(self, entry: OutboxEntry, max_bytes: int, language: str) -> None:
        records, _ = self._located(entry.record_id)
        size, limit = len(entry.encoded().json) / 2**20, max_bytes / 2**20
        if language.lower().startswith("zh"):
            message = (
                f"这条记录太大（约 {size:.1f} MB），无法发送到中心服务器"
                f"（每次最多 {limit:.0f} MB）。"
                "请删除过长的文字或不需要的明细行后重新保存，保存后会再次同步。"
            )
        else:
            message = (
                f"This record is too large to send to the hub (about {size:.1f} MB; at most "
                f"{limit:.0f} MB can be sent). Remove long text or rows that are not needed and "
                "save it again: it is sent at the next sync."
            )
        error = {"path": None, "code": str(RejectCode.INVALID), "message": message}
        records.update(
            self._conn, entry.record_id, _attention=json.dumps([error], ensure_ascii=False)
        )

    def rekey_batch(self, batch: OutboxBatch) -> None:
        """Send an unanswered batch again under a new key with the same mutation ids (the hub
        answers one it has seen from its record): for a key the hub holds for another body
        (idempotency_mismatch). The batch stays taken until it is answered."""
        with self._write():
            outbox.rekey_batch(self._conn, batch.key)

    def _held(self) -> set[str]:
        """The records that need attention or have an open conflict: the few rows the partial
        indexes of each form keep (FormTable.list_indexes). Read once per batch taken, rather
        than looking each record of the batch up in `_records` and then in its form's table."""
        held: set[str] = set()
        for records in self._current_forms().values():
            table = quote(records.table.name)
            held.update(
                record_id
                for (record_id,) in self._conn.execute(
                    f"SELECT _id FROM {table} WHERE _attention IS NOT NULL UNION ALL "
                    f"SELECT _id FROM {table} WHERE _conflict_id IS NOT NULL"
                )
            )
        return held

    def apply_push_results(self, batch: OutboxBatch, results: list[MutationResult]) -> None:
        """Apply the hub's answer to a batch in one transaction. An answer that is not one
        result per mutation, in order, raises UnexpectedAnswerError and changes nothing: the
        batch stays taken under its key, to be sent again."""
        with self._write(HUB_SYNCHRONOUS):
            HubAnswers(self._conn, self._current_forms(), _now(), self.registry).push_results(
                batch, results
            )

    def apply_pull_page(self, records: list[Record], cursor: str) -> None:
        """Store a pulled page and its cursor in one transaction. Raises forms.UnknownFormError
        (and stores nothing) for a form this store does not have: call add_form first.

        The records' search entries wait in `_search_pending` (searches find them there) until
        `index_pending`, which the engine calls after its pull loop; so do the list indexes
        of a form whose table was empty (an initial pull), which it builds in one go."""
        self._conn.execute(f"PRAGMA wal_autocheckpoint = {PULL_AUTOCHECKPOINT_PAGES}")
        self._conn.execute(f"PRAGMA cache_size = -{PULL_CACHE_KIB}")
        with self._write(HUB_SYNCHRONOUS):
            HubAnswers(self._conn, self._current_forms(), _now(), self.registry).pull_page(records)
            self._conn.execute("UPDATE _sync_state SET cursor = ? WHERE id = 1", (cursor,))

    def index_pending(self) -> int:
        """Write the search entries that pulled pages left out (apply_pull_page), build the
        list indexes a pull into an empty table left out, checkpoint the WAL they grew and
        give back the pull's page cache (PULL_CACHE_KIB); the sync engine calls it once its
        pull loop is done. A transaction per chunk of records and per index, so the UI's
        saves wait little. Searches are right before it too, and lists only slower. Returns
        how many records were indexed."""
        indexed = 0
        built = False
        for records in self._current_forms().values():
            # Looked for before taking the write lock: a pass that pulled nothing writes nothing.
            for statement in records.missing_list_indexes(self._conn):
                with self._write(HUB_SYNCHRONOUS):
                    self._conn.execute(statement)
                built = True
            while records.has_pending(self._conn):
                with self._write(HUB_SYNCHRONOUS):
                    indexed += records.index_pending(self._conn)
        if indexed or built:
            # What the pull left in the WAL (PULL_AUTOCHECKPOINT_PAGES), copied now rather than
            # by the UI's next save; PASSIVE: never waits for readers.
            with busy_as_store_error(self.path, self.busy_timeout):
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        self._conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        return indexed

    # Backups ------------------------------------------------------------------------------

    def backup(self, reason: str = "manual") -> Path:
        """A consistent online copy in `backups/` beside the database; keeps the newest 7."""
        self._verification.require(self.busy_timeout)  # only good files are backed up
        with self._read():
            return write_backup(self._conn, self.path, reason)

    def backup_if_due(self) -> Path | None:
        """The daily backup, when the newest backup is a day old (by the store's clock): for a
        process that stays open for days, whose only other daily backup is the one after
        `open`'s check. Costs a directory listing when none is due; the sync engine calls it
        after each pass. None when none was due, while `open`'s check and backup still run,
        or when writing it failed (logged: the file is as good as it was, and the next call
        tries again). Raises CorruptDatabaseError when the file failed its check."""
        if not self._verification.wait(0) or not daily_backup_due(self.path, self._clock()):
            return None
        try:
            with self._read():
                return write_backup(self._conn, self.path, "daily")
        except (StoreError, sqlite3.Error, OSError) as exc:
            _log.warning("daily backup of %s failed: %s", self.path, exc)
            return None

    def backups(self) -> list[Path]:
        return list_backups(self.path)

"""One sync pass between the local store and the hub.

    >>> engine = SyncEngine(store, client, reference=ReferenceCache(profile.reference_path))
    >>> summary = engine.sync(progress=on_progress, cancel=stop_event)
    >>> summary.outcome, summary.pushed, summary.pulled

A pass: refresh the form definitions (on the engine's first pass, every
`forms_refresh_interval`, and at once when a pulled record names a form version this machine
lacks) and the reference data (on the first pass and every `reference_refresh_interval`, fetched
only when its ETag changed) → push the outbox in batches of at most 500, each under the
Idempotency-Key the store persisted with it, two on their way at once (the next goes as soon as
one is answered) → apply each batch's results in one transaction → pull pages until `has_more`
is false, each page stored with its cursor in one transaction while the next is fetched → send
this machine's export lines of the audit log (sync.excel) to the hub's audit → record the time
of the last sync.

A pass with nothing to do makes one request (an empty pull) and writes nothing to the store,
except the time of the last sync once a minute (it is shown to the minute).

Nothing is lost whichever way a pass ends: a batch without an answer stays in the store under
its key and goes again, unchanged, at the next pass (the hub answers a repeat from its record);
a 401 stops the pass with everything still queued. Network calls (and building and reading
their bodies) run on worker threads, so that a pass can give up waiting on cancellation or when
nothing moved for `stall_timeout` seconds; the store is only ever touched from the calling
thread.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import functools
import gc
import json
import logging
import os
import queue
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import forms
from sync.client import (
    AuthenticationRequired,
    HubClient,
    HubError,
    HubUnavailable,
    NetworkError,
    RateLimited,
    RequestRejected,
    TlsError,
    UpgradeRequired,
)
from sync.protocol import (
    MAX_AUDIT_ENTRIES,
    MAX_MUTATIONS_PER_PUSH,
    MAX_PULL_LIMIT,
    ClientAuditEntry,
    ErrorCode,
    MutationResult,
    Outcome,
    PullResponse,
    PushResponse,
    ReferenceResponse,
    utc_now,
)
from sync.store import OutboxBatch, Store, StoreError
from sync.store.errors import (
    IntegrityCheckPendingError,
    StoreBusyError,
    UnexpectedAnswerError,
)

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_STALL_TIMEOUT",
    "FORMS_REFRESH_INTERVAL",
    "LAST_SYNC_RESOLUTION",
    "PASS_YOUNG_THRESHOLD",
    "PULL_PAGE_SIZE",
    "PUSH_WINDOW",
    "REFERENCE_REFRESH_INTERVAL",
    "Cancel",
    "Progress",
    "ReferenceCache",
    "SyncEngine",
    "SyncOutcome",
    "SyncPhase",
    "SyncSummary",
    "outcome_message",
    "outcome_of",
]

DEFAULT_STALL_TIMEOUT = 120.0
# The hub serves newly published forms from its next start: checking hourly is plenty.
FORMS_REFRESH_INTERVAL = 3600.0
# Orgs and enterprises change when IT edits them, a few times a term: every 10 minutes, not on
# every pass (a request, even answered 304, is most of a pass with nothing to do).
REFERENCE_REFRESH_INTERVAL = 600.0
# The last sync time is shown to the minute: a pass that changed nothing writes it only when the
# stored one is at least this old (seconds).
LAST_SYNC_RESOLUTION = 60.0
# Pages are pulled at the largest size the hub serves (about 1.2 MB of JSON): half the round
# trips and transactions of its default, which bench_sync measured 20-35 % faster.
PULL_PAGE_SIZE = MAX_PULL_LIMIT
# Push batches on their way at once: the hub works on one while the other waits for it, and
# the next goes as soon as one is answered, while this machine applies that answer.
PUSH_WINDOW = 2
# Allocations between collections of the garbage collector's young generation during a pass
# (_YoungCollections).
PASS_YOUNG_THRESHOLD = 20_000
# How often a pass waiting on the network looks at its cancel flag.
_POLL_SECONDS = 0.05

_T = TypeVar("_T")


class SyncPhase(StrEnum):
    FORMS = "forms"
    REFERENCE = "reference"
    PUSH = "push"
    PULL = "pull"


class SyncOutcome(StrEnum):
    """How a pass ended. Only SYNCED recorded a last sync time; every other outcome kept all
    queued edits for the next pass."""

    SYNCED = "synced"
    CANCELLED = "cancelled"
    STALLED = "stalled"
    OFFLINE = "offline"
    UNTRUSTED_CERTIFICATE = "untrusted_certificate"
    LOGIN_REQUIRED = "login_required"
    UPGRADE_REQUIRED = "upgrade_required"
    HUB_UNAVAILABLE = "hub_unavailable"
    HUB_REFUSED = "hub_refused"
    UNKNOWN_FORM = "unknown_form"
    BUSY = "busy"
    DATABASE = "database"
    UNEXPECTED = "unexpected"


def _words(error: HubError) -> tuple[str, str]:
    return error.message_zh, error.message_en


# Plain words for each outcome, for when no HubError carries its own (more precise) message.
_MESSAGES: dict[SyncOutcome, tuple[str, str]] = {
    SyncOutcome.SYNCED: ("同步完成。", "Sync finished."),
    SyncOutcome.CANCELLED: (
        "同步已取消，未同步的数据仍保留在本机。",
        "Sync cancelled. Everything not yet synced is still on this computer.",
    ),
    SyncOutcome.STALLED: (
        "中心服务器长时间没有应答，同步已停止。未同步的数据仍保留在本机，请稍后再试。",
        "The hub stopped answering, so sync stopped. Everything not yet synced is still on "
        "this computer: try again later.",
    ),
    SyncOutcome.OFFLINE: _words(NetworkError()),
    SyncOutcome.UNTRUSTED_CERTIFICATE: _words(TlsError()),
    SyncOutcome.LOGIN_REQUIRED: _words(AuthenticationRequired()),
    SyncOutcome.UPGRADE_REQUIRED: _words(UpgradeRequired(None)),
    SyncOutcome.HUB_UNAVAILABLE: _words(HubUnavailable(503)),
    SyncOutcome.HUB_REFUSED: (
        "中心服务器拒绝了同步请求，请联系 IT 人员。",
        "The hub refused the sync: tell IT.",
    ),
    SyncOutcome.UNKNOWN_FORM: (
        "中心服务器发来了本机无法识别的表单，请升级客户端或联系 IT 人员。",
        "The hub sent a form this app cannot read: update the app or tell IT.",
    ),
    # Another program (usually the running app) holds the lock: nothing is damaged, so nothing
    # here may suggest restoring a backup, which would lose the work saved since.
    SyncOutcome.BUSY: (
        "本机数据库正被另一个程序（通常是正在运行的本应用）占用，无法同步。请关闭它后再试。",
        "The database on this computer is in use by another program (usually the running app), "
        "so sync cannot run. Close it and try again.",
    ),
    SyncOutcome.DATABASE: (
        "本机数据库出现问题，无法同步。请联系 IT 人员（可从备份恢复）。",
        "The database on this computer has a problem, so sync cannot run. Tell IT "
        "(it can be restored from a backup).",
    ),
    # A fault of this app's (a value it could not handle, a bug): the data is fine, so no
    # restore either; the log has the details IT can send us.
    SyncOutcome.UNEXPECTED: (
        "同步时出现意外错误，同步已停止。未同步的数据仍保留在本机。请联系 IT 人员并提供日志。",
        "Sync stopped on an unexpected error. Everything not yet synced is still on this "
        "computer. Tell IT and send them the log.",
    ),
}


Progress = Callable[[SyncPhase, int, int | None], None]
"""Called as (phase, done, total) after each step; total is None while unknown (pull)."""

Cancel = threading.Event | Callable[[], bool]


@dataclass(frozen=True, slots=True)
class SyncSummary:
    """What one pass did and how it ended."""

    outcome: SyncOutcome
    started_at: datetime.datetime
    finished_at: datetime.datetime
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    forms_added: tuple[str, ...] = ()
    reference_updated: bool = False
    # Mutations still queued when the pass ended, including held ones (needs attention).
    pending: int = 0
    last_sync_at: datetime.datetime | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is SyncOutcome.SYNCED

    @property
    def min_protocol(self) -> int | None:
        """The sync protocol the hub needs, when it said so (UPGRADE_REQUIRED)."""
        return self.error.min_protocol if isinstance(self.error, UpgradeRequired) else None

    def message(self, language: str = "zh-CN") -> str:
        """How the pass ended, in plain words for a user or for IT."""
        return outcome_message(self.outcome, self.error, language)


def outcome_message(outcome: SyncOutcome, error: BaseException | None, language: str) -> str:
    """Plain words for how a pass ended: the hub error's own message when there is one."""
    if isinstance(error, HubError | IntegrityCheckPendingError):
        return error.message(language)
    zh, en = _MESSAGES[outcome]
    return zh if language.lower().startswith("zh") else en


class ReferenceCache:
    """The hub's orgs and enterprises with their ETag, in a JSON file written atomically. The
    ETag is read from the file once and then kept, so an unchanged check costs no parsing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._etag: str | None = None
        self._etag_known = False

    def load(self) -> tuple[str | None, ReferenceResponse | None]:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            return stored["etag"], ReferenceResponse.model_validate(stored["reference"])
        except (OSError, ValueError, KeyError, TypeError):
            # Missing or unreadable: fetch it again rather than fail the pass.
            return None, None

    def etag(self) -> str | None:
        if not self._etag_known:
            self._etag, self._etag_known = self.load()[0], True
        return self._etag

    def save(self, etag: str | None, reference: ReferenceResponse) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        body = {"etag": etag, "reference": reference.model_dump(mode="json")}
        partial.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.path)
        self._etag, self._etag_known = etag, True


class _Stopped(Exception):
    def __init__(self, outcome: SyncOutcome) -> None:
        super().__init__(str(outcome))
        self.outcome = outcome


@dataclass(slots=True)
class _Tally:
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    forms_added: list[str] = dataclasses.field(default_factory=list)
    reference_updated: bool = False
    forms_checked: bool = False

    @property
    def changed_store(self) -> bool:
        """Whether the pass wrote anything to the store (other than the last sync time)."""
        return bool(self.pushed or self.pulled or self.forms_added)


_Job = tuple[Callable[[], Any], "Future[Any]"]


class _Workers:
    """Daemon threads that run calls for passes, kept between calls: a thread started per call
    costs a pass with nothing to do a few milliseconds on a busy machine. A call a pass gave up
    waiting for keeps its thread until it ends; later calls go to other threads, started when
    none is idle. Daemon threads, so a call stuck on the network never holds up the app's
    exit."""

    def __init__(self) -> None:
        self._idle: list[queue.SimpleQueue[_Job]] = []
        self._lock = threading.Lock()
        if sys.platform != "win32":
            # A forked child has none of these threads (the kill -9 test forks clients).
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._idle = []
        self._lock = threading.Lock()

    def run(self, call: Callable[[], _T]) -> Future[_T]:
        future: Future[_T] = Future()
        with self._lock:
            jobs = self._idle.pop() if self._idle else None
        if jobs is None:
            jobs = queue.SimpleQueue()
            threading.Thread(
                target=self._serve, args=(jobs,), name="chanjiao-sync-call", daemon=True
            ).start()
        jobs.put((call, future))
        return future

    def _serve(self, jobs: queue.SimpleQueue[_Job]) -> None:
        while True:
            call, future = jobs.get()
            result: Any = None
            failure: BaseException | None = None
            running = future.set_running_or_notify_cancel()
            if running:
                try:
                    result = call()
                except BaseException as exc:
                    failure = exc
            # Idle again before the waiting pass wakes up, so that its next call reuses this
            # thread rather than start another.
            with self._lock:
                self._idle.append(jobs)
            if not running:
                continue
            if failure is None:
                future.set_result(result)
            else:
                future.set_exception(failure)


_workers = _Workers()


def _run_in_thread(call: Callable[[], _T]) -> Future[_T]:
    """`call` on a worker thread: a pass that stops waiting for it leaves it behind."""
    return _workers.run(call)


class _YoungCollections:
    """While a pass runs, the garbage collector's young generation is collected every
    `PASS_YOUNG_THRESHOLD` allocations instead of CPython's 700; the process's own thresholds
    come back when the last pass running ends.

    A pass makes hundreds of thousands of containers that live a batch or a page (a push
    answer's 500 results live until they are applied): collected every 700 allocations, they
    are moved up to the oldest generation, and every few batches that makes the collector walk
    the app's whole heap. bench_sync measured it at a quarter of the client's CPU per pushed
    record (35 µs; 300,000 objects in its heap). The hub does the same while it serves
    (sync.hub.app.serving_process_gc). Nothing is left uncollected: cycles wait for the next
    collection, every 20,000 allocations at most."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._passes = 0
        self._saved: tuple[int, int, int] = gc.get_threshold()
        if sys.platform != "win32":
            # A pass running in the parent when it forked never ends in the child.
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock = threading.Lock()
        if self._passes:
            self._passes = 0
            gc.set_threshold(*self._saved)

    @contextmanager
    def fewer(self) -> Iterator[None]:
        with self._lock:
            if not self._passes:
                self._saved = gc.get_threshold()
                young, middle, old = self._saved
                # 0 means the process collects only when asked: left so.
                if young:
                    gc.set_threshold(max(young, PASS_YOUNG_THRESHOLD), middle, old)
            self._passes += 1
        try:
            yield
        finally:
            with self._lock:
                self._passes -= 1
                if not self._passes:
                    gc.set_threshold(*self._saved)


_young_collections = _YoungCollections()


class SyncEngine:
    """Runs sync passes of one store against one hub. Use it from the thread owning `store`;
    one pass at a time."""

    def __init__(
        self,
        store: Store,
        client: HubClient,
        *,
        reference: ReferenceCache | None = None,
        batch_size: int = MAX_MUTATIONS_PER_PUSH,
        pull_limit: int = PULL_PAGE_SIZE,
        push_window: int = PUSH_WINDOW,
        stall_timeout: float = DEFAULT_STALL_TIMEOUT,
        forms_refresh_interval: float = FORMS_REFRESH_INTERVAL,
        reference_refresh_interval: float = REFERENCE_REFRESH_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 1 <= batch_size <= MAX_MUTATIONS_PER_PUSH:
            raise ValueError(f"batch_size must be 1..{MAX_MUTATIONS_PER_PUSH}")
        self.store = store
        self.client = client
        self.reference = reference
        self.batch_size = batch_size
        self.pull_limit = pull_limit
        self.push_window = push_window
        self.stall_timeout = stall_timeout
        self.forms_refresh_interval = forms_refresh_interval
        self.reference_refresh_interval = reference_refresh_interval
        self._clock = clock
        self._forms_checked_at: float | None = None
        self._reference_checked_at: float | None = None
        # The end of this engine's last pass that synced; stored at most once a minute.
        self._synced_at: datetime.datetime | None = None
        self._last_progress = 0.0
        self._cancel: Callable[[], bool] = lambda: False
        self._progress: Progress = lambda phase, done, total: None

    def sync(
        self, *, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> SyncSummary:
        """One pass. Never raises for a failure the user can do something about: the summary's
        outcome and `message()` say what happened."""
        started_at = utc_now()
        self._progress = progress or (lambda phase, done, total: None)
        if isinstance(cancel, threading.Event):
            self._cancel = cancel.is_set
        else:
            self._cancel = cancel or (lambda: False)
        self._last_progress = self._clock()
        tally = _Tally()
        outcome = SyncOutcome.SYNCED
        error: BaseException | None = None
        try:
            with _young_collections.fewer():
                self._pass(tally)
        except _Stopped as stopped:
            outcome = stopped.outcome
        except Exception as exc:  # every failure ends the pass with a summary, never a crash
            outcome, error = outcome_of(exc), exc
            if outcome is SyncOutcome.UNEXPECTED:
                logger.exception("sync pass stopped on an unexpected error")
        return self._summary(outcome, error, tally, started_at)

    def _pass(self, tally: _Tally) -> None:
        self._refresh(tally)
        self._push(tally)
        self._pull(tally)
        self._send_audit()
        if tally.pulled or self._synced_at is None:
            # Search entries the pulled pages left for after the loop (Store.apply_pull_page),
            # also those of a pass that ended before indexing them.
            self.store.index_pending()
        # An app left open for days backs up once a day too, not only when it opens.
        self.store.backup_if_due()
        self._record_sync_time(tally)

    def _record_sync_time(self, tally: _Tally) -> None:
        now = utc_now()
        state = self.store.sync_state()
        stored = state.last_sync_at
        if (
            tally.changed_store
            or stored is None
            or (now - stored).total_seconds() >= LAST_SYNC_RESOLUTION
        ):
            self.store.set_sync_state(dataclasses.replace(state, last_sync_at=now))
        self._synced_at = now

    def _summary(
        self,
        outcome: SyncOutcome,
        error: BaseException | None,
        tally: _Tally,
        started_at: datetime.datetime,
    ) -> SyncSummary:
        try:
            pending = self.store.pending_count()
            last_sync_at = self.store.sync_state().last_sync_at
        except (StoreError, sqlite3.Error):
            pending, last_sync_at = 0, None
        if self._synced_at is not None and (last_sync_at is None or last_sync_at < self._synced_at):
            last_sync_at = self._synced_at
        return SyncSummary(
            outcome=outcome,
            started_at=started_at,
            finished_at=utc_now(),
            pushed=tally.pushed,
            applied=tally.applied,
            merged=tally.merged,
            conflicts=tally.conflicts,
            rejected=tally.rejected,
            pulled=tally.pulled,
            forms_added=tuple(tally.forms_added),
            reference_updated=tally.reference_updated,
            pending=pending,
            last_sync_at=last_sync_at,
            error=error,
        )

    def _send_audit(self) -> None:
        """Exports noted in this machine's audit log into the hub's. A hub that refuses them
        (one older than `POST /audit` answers 404) leaves them queued without failing the
        pass."""
        client_id = uuid.UUID(self.store.sync_state().client_id)
        while True:
            self._checkpoint()
            lines = self.store.unsent_audit("export", MAX_AUDIT_ENTRIES)
            if not lines:
                return
            entries = [
                ClientAuditEntry.model_validate(
                    {"seq": seq, "at": line.at, "action": line.action, "detail": line.detail}
                )
                for seq, line in lines
            ]
            try:
                self._call(functools.partial(self.client.send_audit, client_id, entries))
            except RequestRejected as refused:
                logger.warning("the hub refused audit lines: HTTP %s", refused.status_code)
                return
            self.store.audit_sent(lines[-1][0])

    # Waiting on the hub --------------------------------------------------------------------

    def _checkpoint(self) -> None:
        if self._cancel():
            raise _Stopped(SyncOutcome.CANCELLED)

    def _moved(self, phase: SyncPhase, done: int, total: int | None) -> None:
        self._last_progress = self._clock()
        self._progress(phase, done, total)

    def _wait(self, future: Future[_T]) -> _T:
        """The call's result, unless the pass is cancelled or stalls first."""
        while True:
            try:
                return future.result(timeout=_POLL_SECONDS)
            except TimeoutError:
                if self._cancel():
                    raise _Stopped(SyncOutcome.CANCELLED) from None
                if self._clock() - self._last_progress >= self.stall_timeout:
                    raise _Stopped(SyncOutcome.STALLED) from None

    def _call(self, call: Callable[[], _T]) -> _T:
        return self._wait(_run_in_thread(call))

    # Forms and reference data --------------------------------------------------------------

    def _refresh(self, tally: _Tally) -> None:
        checked = self._forms_checked_at
        if checked is None or self._clock() - checked >= self.forms_refresh_interval:
            self._refresh_forms(tally)
        checked = self._reference_checked_at
        if self.reference is not None and (
            checked is None or self._clock() - checked >= self.reference_refresh_interval
        ):
            self._refresh_reference(self.reference, tally)

    def _refresh_reference(self, cache: ReferenceCache, tally: _Tally) -> None:
        self._checkpoint()
        etag = cache.etag()
        reference, new_etag = self._call(lambda: self.client.reference(etag))
        if reference is not None:
            cache.save(new_etag, reference)
            tally.reference_updated = True
        self._reference_checked_at = self._clock()
        self._moved(SyncPhase.REFERENCE, 1, 1)

    def _refresh_forms(self, tally: _Tally) -> None:
        """Add the published definitions this store does not have yet (new tables, after a
        backup, in the store)."""
        self._checkpoint()
        published = self._call(self.client.forms).forms
        registry = self.store.registry
        for form in published:
            if (form.id, form.version) not in registry:
                self.store.add_form(forms.load_definition(form.definition))
                tally.forms_added.append(f"{form.id} v{form.version}")
        self._forms_checked_at = self._clock()
        tally.forms_checked = True
        self._moved(SyncPhase.FORMS, 1, 1)

    # Push ----------------------------------------------------------------------------------

    def _push(self, tally: _Tally) -> None:
        """Batches go out while the answers to earlier ones are applied: up to `push_window`
        on their way at once. The store never puts a record with a mutation in an unanswered
        batch into another (Store.next_batch), so batches on their way share no record and the
        hub may apply them in any order: each record's mutations still reach it one by one,
        in the order they were made, each on the revision its predecessor's answer gave."""
        total = self.store.pending_count()
        if total == 0:
            return
        client_id = uuid.UUID(self.store.sync_state().client_id)
        sending: collections.deque[tuple[OutboxBatch, Future[PushResponse]]] = collections.deque()
        # Each batch answers at least one mutation queued before the pass: this bounds a pass
        # even while the user keeps editing.
        batches_left = total + 1

        def send_more(answered: OutboxBatch | None = None) -> None:
            """Fill the window. `answered`: a batch whose answer is not applied yet, so still
            taken, which must not go again."""
            nonlocal batches_left
            while batches_left and len(sending) < self.push_window:
                in_flight = [b.key for b, _ in sending]
                if answered is not None:
                    in_flight.append(answered.key)
                batch = self.store.next_batch(self.batch_size, in_flight, self.client.language)
                if batch is None:
                    return
                batches_left -= 1
                sending.append((batch, self._send(client_id, batch)))

        while True:
            self._checkpoint()
            send_more()
            if not sending:
                return
            batch, answer = sending.popleft()
            try:
                results = self._wait(answer).results
            except RequestRejected as refused:
                if refused.code != ErrorCode.IDEMPOTENCY_MISMATCH:
                    raise
                # The hub holds this key for another body: the batch was sent before by a
                # version of the app that wrote it differently. Under a new key its mutations
                # are answered by their ids, none applied twice. (It counts as one of the pass's
                # batches, so a hub that refused every key could not keep the pass going.)
                self.store.rekey_batch(batch)
                continue
            # The next batch goes out before this answer is applied, not after: the hub, busy
            # with the batches still on their way, then always has the next one waiting. Sent
            # after, it reached a hub that had finished them and waited (20-60 ms a batch in
            # bench_sync).
            send_more(answered=batch)
            self._apply_answer(batch, results, tally)
            self._moved(SyncPhase.PUSH, tally.pushed, max(total, tally.pushed))

    def _send(self, client_id: uuid.UUID, batch: OutboxBatch) -> Future[PushResponse]:
        key = uuid.UUID(batch.key)
        return _run_in_thread(lambda: self.client.push(client_id, batch.mutations(), key))

    def _apply_answer(
        self, batch: OutboxBatch, results: list[MutationResult], tally: _Tally
    ) -> None:
        self.store.apply_push_results(batch, results)
        tally.pushed += len(results)
        for result in results:
            if result.outcome is Outcome.APPLIED:
                tally.applied += 1
            elif result.outcome is Outcome.MERGED:
                tally.merged += 1
            elif result.outcome is Outcome.CONFLICT:
                tally.conflicts += 1
            else:
                tally.rejected += 1

    # Pull ----------------------------------------------------------------------------------

    def _pull(self, tally: _Tally) -> None:
        """Pages until has_more is false; the next page is fetched while this one is stored."""
        cursor = self.store.sync_state().cursor
        self._checkpoint()
        fetching = self._fetch_page(cursor)
        while True:
            page = self._wait(fetching)
            if page.has_more:
                self._checkpoint()
                fetching = self._fetch_page(page.next_cursor)
            self._store_page(page, cursor, tally)
            cursor = page.next_cursor
            tally.pulled += len(page.records)
            self._moved(SyncPhase.PULL, tally.pulled, None)
            if not page.has_more:
                return

    def _fetch_page(self, cursor: str | None) -> Future[PullResponse]:
        return _run_in_thread(lambda: self.client.pull(cursor, self.pull_limit))

    def _store_page(self, page: PullResponse, cursor: str | None, tally: _Tally) -> None:
        if not page.records and page.next_cursor == cursor:
            return  # nothing new: nothing to write
        registry = self.store.registry
        unknown = any((r.form, r.form_version) not in registry for r in page.records)
        if unknown and not tally.forms_checked:
            # A form version published since the last check: its definition first.
            self._refresh_forms(tally)
        self.store.apply_pull_page(page.records, page.next_cursor)


def outcome_of(error: BaseException) -> SyncOutcome:
    """The outcome a pass that failed with `error` ends in."""
    outcomes: tuple[tuple[type[BaseException], SyncOutcome], ...] = (
        (AuthenticationRequired, SyncOutcome.LOGIN_REQUIRED),
        (UpgradeRequired, SyncOutcome.UPGRADE_REQUIRED),
        (TlsError, SyncOutcome.UNTRUSTED_CERTIFICATE),
        (NetworkError, SyncOutcome.OFFLINE),
        (HubUnavailable, SyncOutcome.HUB_UNAVAILABLE),
        (RateLimited, SyncOutcome.HUB_UNAVAILABLE),
        (HubError, SyncOutcome.HUB_REFUSED),
        (forms.FormError, SyncOutcome.UNKNOWN_FORM),
        (StoreBusyError, SyncOutcome.BUSY),
        (UnexpectedAnswerError, SyncOutcome.UNEXPECTED),  # the hub's answer, not the data
        (sqlite3.DatabaseError, SyncOutcome.DATABASE),  # disk I/O, disk full, malformed
        (OSError, SyncOutcome.DATABASE),
        (StoreError, SyncOutcome.DATABASE),
    )
    for kind, outcome in outcomes:
        if isinstance(error, kind):
            return outcome
    return SyncOutcome.UNEXPECTED

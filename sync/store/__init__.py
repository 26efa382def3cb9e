"""The local store: a durable offline replica of the user's records in one SQLite file.

    >>> store = Store.open(path)   # migrations; integrity check and daily backup on a thread
    >>> store.verified(timeout=5)  # waits for the check: True, False (not done) or raises
    >>> saved = store.save("internship", None, {"student_name": "张三"}, user="li")
    >>> store.list_records(RecordQuery(form="internship", search="zs")).rows
    >>> store.apply_pull_page(records, cursor); store.index_pending()   # as the sync engine does

Each form has its own table (one column per field, repeat groups as child tables), beside
`_history` (the hub's revisions: merge bases, their field names kept once in `_field_names`),
`_outbox` (with `_taken` and `_batches`: which batch holds an entry, and its key),
`_sync_state`, `_conflicts`, `_audit`, `_meta`, `_search_pending` (search entries of pulled
records not indexed yet) and `_form_definitions` (versions added from the hub). Every write is
one transaction; a Store belongs to the thread that opened it.
"""

from sync.store.backups import KEEP_BACKUPS, good_backups, list_backups, restore_backup
from sync.store.errors import (
    CorruptDatabaseError,
    IntegrityCheckPendingError,
    OperationRefusedError,
    RecordNotFoundError,
    StoreBusyError,
    StoreError,
    UnexpectedAnswerError,
)
from sync.store.models import (
    AuditEntry,
    FormCounts,
    ListRow,
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
from sync.store.store import Store

__all__ = [
    "KEEP_BACKUPS",
    "AuditEntry",
    "CorruptDatabaseError",
    "FormCounts",
    "IntegrityCheckPendingError",
    "ListRow",
    "OperationRefusedError",
    "OutboxBatch",
    "OutboxEntry",
    "Page",
    "PageKey",
    "RecordHistory",
    "RecordNotFoundError",
    "RecordQuery",
    "Revision",
    "SaveResult",
    "Store",
    "StoreBusyError",
    "StoreError",
    "StoredRecord",
    "SyncState",
    "UnexpectedAnswerError",
    "good_backups",
    "list_backups",
    "restore_backup",
]

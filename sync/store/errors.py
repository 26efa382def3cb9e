"""The errors the local store raises. What the forms engine refuses (CoercionError,
UnknownFormError) is raised as it is, so callers handle bad input one way everywhere.

    StoreError                  base of everything below
    ├── CorruptDatabaseError    the file fails its integrity check or is not a database;
    │                           `.backups` lists the good backups to restore from
    ├── StoreBusyError          another connection held the write lock past the busy timeout
    │   └── IntegrityCheckPendingError  a write waited as long for the check of `open`
    ├── RecordNotFoundError     no record (or no live record) has this id
    └── OperationRefusedError   the record's state does not allow this operation; `.code` says why
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class of every error raised by `sync.store`."""


class CorruptDatabaseError(StoreError):
    """The database failed its integrity check. It was left untouched; restore a backup."""

    def __init__(self, path: Path, detail: str, backups: list[Path]) -> None:
        self.path = path
        self.detail = detail
        self.backups = backups
        super().__init__(f"{path} is damaged ({detail}); {len(backups)} good backup(s) available")


class StoreBusyError(StoreError):
    """The database stayed locked by another connection for longer than the busy timeout."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        super().__init__(f"{path} is locked by another connection (waited {timeout:g} s)")


class IntegrityCheckPendingError(StoreBusyError):
    """A write waited the busy timeout for the integrity check that opening the file started
    in the background (sync.store.verification), and the check is still running: nothing was
    written, and the same write works once it is over. `message(language)` says so in Chinese
    or English."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.message_zh = f"正在检查数据文件是否完好（已等待 {timeout:g} 秒），请稍后再试。"
        self.message_en = (
            f"The data file is still being checked for damage (waited {timeout:g} s). "
            "Try again in a moment."
        )
        StoreError.__init__(self, f"{path}: {self.message_en}")
        self.path = path
        self.timeout = timeout

    def message(self, language: str = "zh-CN") -> str:
        return self.message_zh if language.lower().startswith("zh") else self.message_en


class RecordNotFoundError(StoreError):
    def __init__(self, record_id: str) -> None:
        self.record_id = record_id
        super().__init__(f"no record {record_id}")


class OperationRefusedError(StoreError):
    """An operation the record's state does not allow.

    Codes: `locked` (approved, or deleted), `invalid_transition` (status does not allow it),
    `has_errors` (submit while an error issue remains), `comment_required`, `no_conflict`,
    `wrong_form` (saving a record under another form)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class UnexpectedAnswerError(StoreError):
    """A push's answer that does not answer each mutation of the batch, in order: nothing of
    it is applied, and the batch stays taken under its key, to be sent again."""

    def __init__(self, key: str) -> None:
        super().__init__(f"the answer to batch {key} does not answer its mutations")
        self.key = key

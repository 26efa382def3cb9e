"""Why the hub refused a record's change, in the language the app shows now.

The hub writes each reason in the language the sync asked in, and the store keeps that text
with the reason's code and field path. After a switch of language the text is said again: a
field's error in the forms engine's words for that field, any other reason by its code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from forms import Severity
from sync.store import StoredRecord
from sync.wire import RejectCode

if TYPE_CHECKING:
    from sync.protocol import MutationError


def _language_of(message: str) -> str:
    """ "zh" or "en": the hub's Chinese messages all hold Chinese characters, its English ones
    only where they quote a value (then the message is said again, never shown in the wrong
    language)."""
    return "zh" if any("\u4e00" <= char <= "\u9fff" for char in message) else "en"


def _said_by_code(code: RejectCode) -> str:
    texts = {
        RejectCode.FORBIDDEN: QCoreApplication.translate(
            "Rejection",
            "You may not make this change: the record is outside your school or county, "
            "or your role does not allow it.",
        ),
        RejectCode.LOCKED: QCoreApplication.translate(
            "Rejection",
            "The record is submitted or approved on the hub and cannot be changed now.",
        ),
        RejectCode.INVALID: QCoreApplication.translate(
            "Rejection",
            "The hub could not read this change: a value or the form is not one it knows.",
        ),
        RejectCode.NOT_FOUND: QCoreApplication.translate(
            "Rejection", "The hub has no such record, or it was deleted."
        ),
        RejectCode.STALE: QCoreApplication.translate(
            "Rejection", "The record was changed elsewhere: sync, then try again."
        ),
        RejectCode.INVALID_TRANSITION: QCoreApplication.translate(
            "Rejection", "The record's status on the hub does not allow this change."
        ),
        RejectCode.VALIDATION: QCoreApplication.translate(
            "Rejection", "The hub found errors in the record: they are shown beside their fields."
        ),
    }
    return texts[code]


def rejection_text(error: MutationError, record: StoredRecord, lang: str) -> str:
    """The hub's reason in `lang` ("zh" or "en"): its own words when they are in `lang`."""
    if error.code is RejectCode.VALIDATION and error.path is not None:
        for issue in record.issues:
            if issue.path == error.path and issue.severity is Severity.ERROR:
                return issue.message(lang)
    if _language_of(error.message) == lang:
        return error.message
    return _said_by_code(error.code)

"""How a record's status and marks look wherever records are listed: words and colours."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from sync.store import ListRow
from sync.wire import RecordStatus

ERROR_COLOR = "#b42318"
WARNING_COLOR = "#a15c07"
MUTED_COLOR = "#667085"
STATUS_COLORS = {
    RecordStatus.DRAFT: "#667085",
    RecordStatus.SUBMITTED: "#1d5fbf",
    RecordStatus.RETURNED: "#a15c07",
    RecordStatus.APPROVED: "#18794e",
}


def set_text_color(widget: QWidget, color: str) -> None:
    """Text in `color`, by the widget's palette: a style sheet per label costs a style of its own
    for each (the home page's forty made a tenth of the window's start, issue 6)."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    widget.setPalette(palette)


def make_banner(color: str) -> QLabel:
    """A record page's banner, hidden until there is something to say: a word-wrapped label in
    a coloured frame with a thicker left edge."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(
        f"QLabel {{ border: 1px solid {color}; border-left: 4px solid {color};"
        " border-radius: 3px; padding: 6px 8px; background: palette(base); }"
    )
    label.hide()
    return label


def status_text(status: RecordStatus | str) -> str:
    """The one wording of a status everywhere: lists, home, record pages, history, print-outs."""
    names = {
        RecordStatus.DRAFT: QCoreApplication.translate("RecordStatus", "Draft"),
        RecordStatus.SUBMITTED: QCoreApplication.translate("RecordStatus", "Submitted"),
        RecordStatus.RETURNED: QCoreApplication.translate("RecordStatus", "Returned"),
        RecordStatus.APPROVED: QCoreApplication.translate("RecordStatus", "Approved"),
    }
    return names.get(RecordStatus(status), str(status))


@cache
def dot_icon(color: str) -> QIcon:
    """A small filled circle: the badge beside a status or a mark."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


def marks(row: ListRow) -> list[tuple[str, str]]:
    """(words, colour) of what the row needs, most urgent first."""
    found = []
    if row.has_conflict:
        found.append((QCoreApplication.translate("RecordMarks", "Conflict"), ERROR_COLOR))
    if row.needs_attention:
        found.append((QCoreApplication.translate("RecordMarks", "Rejected by hub"), ERROR_COLOR))
    if row.has_errors:
        found.append((QCoreApplication.translate("RecordMarks", "Errors"), ERROR_COLOR))
    elif row.has_issues:
        found.append((QCoreApplication.translate("RecordMarks", "Warnings"), WARNING_COLOR))
    if row.pending:
        found.append((QCoreApplication.translate("RecordMarks", "Not synced"), MUTED_COLOR))
    return found

"""The home page: each form's records by status, and what needs doing. The window reads
`store.counts()` (a scan of every record) in the background and hands them to `show_counts`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import definition_language
from desktop.records.status import (
    ERROR_COLOR,
    MUTED_COLOR,
    STATUS_COLORS,
    set_text_color,
    status_text,
)
from forms import FormDefinition
from sync.store import FormCounts, Store
from sync.wire import RecordStatus


class _Figure(QWidget):
    """A number over what it counts; a click shows those records."""

    clicked = Signal()

    def __init__(self, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.number = QLabel("–")  # until the window has counted
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.number.setFont(font)
        set_text_color(self.number, color)
        self.caption = QLabel()
        set_text_color(self.caption, MUTED_COLOR)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.number)
        column.addWidget(self.caption)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class _FormCard(QFrame):
    """A form's figures on a rounded card (drawn here: a style sheet would cost the start more
    than the whole card)."""

    RADIUS = 6

    def __init__(self, form_id: str, page: HomePage) -> None:
        super().__init__(page)
        self.form_id = form_id
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(lambda: page.form_requested.emit(form_id))
        self.status_figures = {status: _Figure(STATUS_COLORS[status]) for status in RecordStatus}
        for status, figure in self.status_figures.items():
            figure.clicked.connect(
                lambda status=status: page.status_requested.emit(form_id, str(status))
            )
        self.issues = _Figure(ERROR_COLOR)
        self.conflicts = _Figure(ERROR_COLOR)
        self.pending = _Figure(MUTED_COLOR)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.open_button)
        figures = QGridLayout()
        figures.setHorizontalSpacing(32)
        for column, figure in enumerate(self.status_figures.values()):
            figures.addWidget(figure, 0, column)
        for column, figure in enumerate((self.issues, self.conflicts, self.pending)):
            figures.addWidget(figure, 1, column)
        figures.setColumnStretch(len(RecordStatus), 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(figures)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(self.palette().color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(self.rect().adjusted(0, 0, -1, -1), self.RADIUS, self.RADIUS)
        painter.end()

    def show_counts(self, counts: FormCounts) -> None:
        for status, figure in self.status_figures.items():
            figure.number.setText(str(counts.by_status.get(status, 0)))
        self.issues.number.setText(str(counts.with_issues))
        self.conflicts.number.setText(str(counts.with_conflicts + counts.needing_attention))
        self.pending.number.setText(str(counts.pending))


class HomePage(QWidget):
    form_requested = Signal(str)  # form id
    status_requested = Signal(str, str)  # form id, status: its records of that status

    def __init__(
        self, store: Store, forms: list[FormDefinition], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.forms = {form.id: form for form in forms}
        self._title = QLabel()
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self._title.setFont(font)
        self._account = QLabel()
        set_text_color(self._account, MUTED_COLOR)
        self._cards = {form_id: _FormCard(form_id, self) for form_id in self.forms}
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self._title)
        layout.addWidget(self._account)
        for card in self._cards.values():
            layout.addWidget(card)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.retranslate_ui()

    def show_counts(self, counts: list[FormCounts]) -> None:
        for form_counts in counts:
            if form_counts.form in self._cards:
                self._cards[form_counts.form].show_counts(form_counts)
        self.show_account()

    def show_account(self) -> None:
        state = self.store.sync_state()
        if state.hub_url and state.username:
            account = self.tr("Signed in as {0} at {1}").format(state.username, state.hub_url)
            if state.last_sync_at is not None:
                synced = state.last_sync_at.astimezone().strftime("%Y-%m-%d %H:%M")
                account += " · " + self.tr("last synced {0}").format(synced)
            else:
                account += " · " + self.tr("not synced yet")
        else:
            account = self.tr("Local profile: records stay on this computer until it signs in.")
        self._account.setText(account)

    def retranslate_ui(self) -> None:
        lang = definition_language(QLocale().name())
        self._title.setText(self.tr("Overview"))
        for form_id, card in self._cards.items():
            card.title.setText(self.forms[form_id].title.get(lang))
            card.open_button.setText(self.tr("Open list"))
            for status, figure in card.status_figures.items():
                figure.caption.setText(status_text(status))
            card.issues.caption.setText(self.tr("With issues"))
            card.conflicts.caption.setText(self.tr("Conflicts or rejected"))
            card.pending.caption.setText(self.tr("Waiting to sync"))
        self.show_account()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

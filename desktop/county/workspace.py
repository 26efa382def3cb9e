"""The county user's main area: a navigation list of the county's pages (review, dashboard,
duplicates, Excel, needs attention) and the page shown.

    workspace = CountyWorkspace(store, tasks, user, attention=AttentionPage(store))
    workspace.add_page(DASHBOARD, lambda: workspace.tr("Dashboard"), DashboardPage(...))
    workspace.show_page(REVIEW)

A page is any QWidget. Its title is a callable so that it is asked again when the language
changes (pass `lambda: self.tr("…")` from a class whose strings are translated). Pages are listed
in PAGE_ORDER whatever order they are added in; keys not in it come before needs attention.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.attention import AttentionPage
from desktop.tasks import TaskRunner
from sync.store import Store

REVIEW = "review"
DASHBOARD = "dashboard"
DUPLICATES = "duplicates"
EXCEL = "excel"
ATTENTION = "attention"
PAGE_ORDER = (REVIEW, DASHBOARD, DUPLICATES, EXCEL, ATTENTION)
_KEY_ROLE = Qt.ItemDataRole.UserRole
# Navigation badges (a count in a pill) are drawn by the main window's delegate from this role.
BADGE_ROLE = Qt.ItemDataRole.UserRole + 1
BADGE_COLOR_ROLE = Qt.ItemDataRole.UserRole + 2


class CountyWorkspace(QWidget):
    status_message = Signal(str)
    records_changed = Signal()  # decisions or corrections made: views recount, sync soon

    def __init__(
        self,
        store: Store,
        tasks: TaskRunner,
        user: str,
        *,
        attention: AttentionPage,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.user = user
        self._titles: dict[str, Callable[[], str]] = {}
        self._pages: dict[str, QWidget] = {}
        self._actions: dict[str, QAction] = {}

        self.navigation = QListWidget()
        self.navigation.setMinimumWidth(190)
        self.navigation.setMaximumWidth(240)
        self.navigation.setStyleSheet("QListWidget::item { padding: 7px 4px; }")
        font = self.navigation.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.navigation.setFont(font)
        self.navigation.currentItemChanged.connect(self._navigate)
        self.stack = QStackedWidget()
        splitter = QSplitter()
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        # The pages are imported here, not with the module: the main window imports this one
        # for every user, and a school's start must not pay for openpyxl and the charts.
        from desktop.county.review import ReviewPage

        self.review = ReviewPage(store, tasks, user)
        self.review.status_message.connect(self.status_message)
        self.review.records_changed.connect(self.records_changed)
        self.add_page(REVIEW, lambda: self.tr("Review"), self.review)
        # Its records open here: the window passes on what is activated in it (open_record).
        self.attention = attention
        self.add_page(ATTENTION, lambda: self.tr("Needs attention"), attention)
        self._add_county_pages()
        self.navigation.setCurrentRow(0)

    def _add_county_pages(self) -> None:
        """The consolidation pages (dashboard, duplicates, Excel) register here."""
        from desktop.county.dashboard import DashboardPage
        from desktop.county.duplicates import DuplicatesPage
        from desktop.county.excel import ExcelPage

        self.dashboard = DashboardPage(self.store, self.tasks)
        self.duplicates = DuplicatesPage(self.store, self.tasks)
        self.excel = ExcelPage(self.store, self.tasks, self.user)
        self.dashboard.record_activated.connect(self.open_record)
        self.duplicates.record_activated.connect(self.open_record)
        self.excel.records_imported.connect(lambda _form, _count: self.records_changed.emit())
        self.add_page(DASHBOARD, lambda: self.tr("Dashboard"), self.dashboard)
        self.add_page(DUPLICATES, lambda: self.tr("Duplicates"), self.duplicates)
        self.add_page(EXCEL, lambda: self.tr("Excel"), self.excel)

    # Pages.

    def add_page(self, key: str, title: Callable[[], str], widget: QWidget) -> None:
        """Add a page under `key` (one of PAGE_ORDER, or a new key) to the navigation."""
        if key in self._pages:
            raise ValueError(f"a county page {key!r} exists already")
        self._titles[key] = title
        self._pages[key] = widget
        self.stack.addWidget(widget)
        item = QListWidgetItem(title())
        item.setData(_KEY_ROLE, key)
        self.navigation.insertItem(self._row_for(key), item)

    def page(self, key: str) -> QWidget:
        return self._pages[key]

    def page_keys(self) -> list[str]:
        """Keys in the order the navigation lists them."""
        return [self.navigation.item(row).data(_KEY_ROLE) for row in range(self.navigation.count())]

    def current_key(self) -> str | None:
        item = self.navigation.currentItem()
        return str(item.data(_KEY_ROLE)) if item is not None else None

    @Slot(str)
    def show_page(self, key: str) -> None:
        row = self.page_keys().index(key)
        if self.navigation.currentRow() == row:
            self.stack.setCurrentWidget(self._pages[key])
        else:
            self.navigation.setCurrentRow(row)

    def set_badge(self, key: str, count: int, color: str) -> None:
        item = self.navigation.item(self.page_keys().index(key))
        item.setData(BADGE_ROLE, count)
        item.setData(BADGE_COLOR_ROLE, color)

    def page_actions(self) -> list[QAction]:
        """One action per page (Ctrl+1, Ctrl+2, …) for the window's View menu."""
        for number, key in enumerate(self.page_keys(), 1):
            if key not in self._actions:
                action = QAction(self._titles[key](), self)
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
                action.triggered.connect(lambda _checked=False, key=key: self.show_page(key))
                self._actions[key] = action
        return list(self._actions.values())

    # What the window passes on.

    @Slot(str, str)
    def open_record(self, form_id: str, record_id: str) -> None:
        """A record to look at (from needs attention): opened for review."""
        self.show_page(REVIEW)
        self.review.open_record(form_id, record_id)

    def refresh(self) -> None:
        """Records changed (a sync, a decision): pages read them again when shown."""
        self.review.mark_stale()
        self.attention.mark_stale()
        self.dashboard.mark_stale()
        self.duplicates.mark_stale()

    def flush(self) -> None:
        """Save a correction typed and not saved yet (leaving or closing)."""
        self.review.flush()

    def retranslate_ui(self) -> None:
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            item.setText(self._titles[item.data(_KEY_ROLE)]())
        for key, action in self._actions.items():
            action.setText(self._titles[key]())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # Inside.

    def _row_for(self, key: str) -> int:
        """Where a new key goes: by PAGE_ORDER; an unknown key just before needs attention."""
        rank = {known: number for number, known in enumerate(PAGE_ORDER)}
        unknown = rank[ATTENTION] - 0.5
        wanted = rank.get(key, unknown)
        keys = self.page_keys()
        for row, listed in enumerate(keys):
            if rank.get(listed, unknown) > wanted:
                return row
        return len(keys)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _navigate(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        key = current.data(_KEY_ROLE)
        if key != REVIEW:
            self.review.flush()
        self.stack.setCurrentWidget(self._pages[key])

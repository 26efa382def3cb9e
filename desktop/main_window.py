"""The main window: navigation (home, one list per form, needs attention), the page shown, menus,
keyboard shortcuts and the status bar.

    window = MainWindow(store, tasks, sync=SyncController(store, profile, settings))
    window.language_chosen.connect(lambda language: setattr(settings, "language", language))
    window.login_requested.connect(show_login_dialog)
    window.settings_requested.connect(show_settings_dialog)
    window.show()
"""

from __future__ import annotations

import getpass
from functools import partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QKeySequence,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.county import is_county_user
from desktop.county.excel_menu import ExcelMenu
from desktop.home import HomePage
from desktop.i18n import LANGUAGES, definition_language
from desktop.pages import StorePage, forms_in_order
from desktop.records.status import ERROR_COLOR, MUTED_COLOR
from desktop.sync_controller import SyncController, SyncStatusWidget
from desktop.tasks import TaskRunner
from forms import FormDefinition
from sync.store import FormCounts, Store, StoredRecord
from sync.wire import RecordStatus

if TYPE_CHECKING:
    from desktop.attention import AttentionPage
    from desktop.county.workspace import CountyWorkspace
    from desktop.records.list_page import RecordListPage
    from desktop.records.record_page import RecordPage

# The window opens on the home page, and its start is measured against a bare Qt window (issue 6):
# the other pages are imported and built when first shown, the record page (with the form
# editor) when a record is opened, printing when a record is printed, the county workspace for
# a county reviewer only.

# The order clerks know the forms in; forms the hub adds later follow.
HOME = "home"
ATTENTION = "attention"
_PAGE_ROLE = Qt.ItemDataRole.UserRole
_BADGE_ROLE = Qt.ItemDataRole.UserRole + 1
_BADGE_COLOR_ROLE = Qt.ItemDataRole.UserRole + 2
# Badges are recounted this long after the last save, not on every keystroke's autosave.
BADGE_DELAY_MS = 1000
# `first_painted` comes this long after the window is made at the latest: a window never painted
# (hidden, minimised, on a display that never exposes it) still counts and syncs.
FIRST_PAINT_WAIT_MS = 500


def _read_counts(store: Store) -> list[FormCounts]:
    """Runs on a pool thread, with its own connection."""
    with store.for_thread() as own:
        return own.counts()


class _BadgeDelegate(QStyledItemDelegate):
    """Navigation entries with a count in a pill at the right."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        count = index.data(_BADGE_ROLE)
        if not count:
            return
        text = str(count)
        metrics = option.fontMetrics  # type: ignore[attr-defined]
        width = max(metrics.horizontalAdvance(text) + 12, metrics.height() + 4)
        height = metrics.height() + 2
        rect: QRect = option.rect  # type: ignore[attr-defined]
        pill = QRect(rect.right() - width - 8, rect.center().y() - height // 2, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(index.data(_BADGE_COLOR_ROLE) or MUTED_COLOR))
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class MainWindow(QMainWindow):
    language_chosen = Signal(str)
    login_requested = Signal()
    settings_requested = Signal()
    # Once, just after the first paint: when background work starts (the counts here, sync and
    # the store's integrity check in desktop.__main__). Started sooner, their threads compete
    # for the two cores with building and painting the window (issue 6); a 0 ms timer would
    # still run them before the paint, which waits for the display's expose event.
    first_painted = Signal()

    def __init__(
        self,
        store: Store,
        tasks: TaskRunner,
        *,
        sync: SyncController | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`tasks` runs the counts (a scan of every record) off the UI thread. `sync` runs the
        background sync; without one (tests) the window never syncs."""
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.sync = sync
        # Counts asked for and counts shown: an older answer arriving late is dropped.
        self._counts_asked = 0
        self.user = store.sync_state().username or getpass.getuser()
        self.forms: list[FormDefinition] = forms_in_order(store.registry)
        self._current_form = self.forms[0].id
        self.record_page: RecordPage | None = None

        self.home = HomePage(store, self.forms)
        self.home.form_requested.connect(self.show_page)
        self.home.status_requested.connect(self.show_status)
        # A county reviewer gets the county workspace in place of the school's lists.
        reviewer = is_county_user(store.sync_state())
        # The forms with a list page in the navigation, and the pages built so far.
        self.list_forms = [] if reviewer else [form.id for form in self.forms]
        self.lists: dict[str, RecordListPage] = {}
        self.pages = QStackedWidget()
        self.pages.addWidget(self.home)
        self._reviewer = reviewer
        self._attention: AttentionPage | None = None

        self.navigation = QListWidget()
        self.navigation.setItemDelegate(_BadgeDelegate(self.navigation))
        self.navigation.setMinimumWidth(190)
        self.navigation.setMaximumWidth(240)
        self.navigation.setStyleSheet("QListWidget::item { padding: 7px 4px; }")
        font = self.navigation.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.navigation.setFont(font)
        for key in (HOME, *self.list_forms, ATTENTION):
            item = QListWidgetItem()
            item.setData(_PAGE_ROLE, key)
            self.navigation.addItem(item)
        self.navigation.currentItemChanged.connect(self._navigate)
        self.navigation.itemClicked.connect(self._leave_record)
        splitter = QSplitter()
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        # Narrow to start with (a list's columns need the width), wider if the user drags it.
        splitter.setSizes([self.navigation.minimumWidth(), self.width()])
        splitter.setChildrenCollapsible(False)
        self.workspace: CountyWorkspace | None = None
        if reviewer:
            from desktop.county.workspace import CountyWorkspace

            # Never shown, but home's counts are still asked for: it goes with the window.
            splitter.setParent(self)
            splitter.hide()
            self.workspace = CountyWorkspace(store, tasks, self.user, attention=self.attention)
            self.workspace.navigation.setItemDelegate(_BadgeDelegate(self.workspace.navigation))
            self.workspace.status_message.connect(self._show_message)
            self.workspace.records_changed.connect(self._records_changed)
            self.workspace.review.record_shown.connect(lambda _shown: self._update_actions())
            self.setCentralWidget(self.workspace)
        else:
            self.setCentralWidget(splitter)

        self._account = QLabel()
        self.statusBar().addPermanentWidget(self._account)
        if sync is not None:
            self.sync_status = SyncStatusWidget(sync)
            self.sync_status.attention_clicked.connect(lambda: self.show_page(ATTENTION))
            self.statusBar().addPermanentWidget(self.sync_status)
            sync.sync_finished.connect(self._synced)
            # What was typed reaches the store before the pass: the hub then merges it with
            # what others changed, or reports a conflict.
            sync.sync_started.connect(self._flush_open_record)
        self._badge_timer = QTimer(self)
        self._badge_timer.setSingleShot(True)
        self._badge_timer.setInterval(BADGE_DELAY_MS)
        self._badge_timer.timeout.connect(self.refresh_counts)
        self._make_actions()
        self._make_menus()
        self.retranslate_ui()
        self.navigation.setCurrentRow(0)
        # The scan of every record (on a pool thread, and the pool's first thread with it).
        self.first_painted.connect(self.refresh_counts)
        self._painted = False
        # A close was refused because the open record's edits could not be saved: the next
        # close offers to close with them written to a file.
        self._close_refused = False
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._announce_first_paint)
        self.resize(1280, 820)

    # Navigation.

    def current_page(self) -> QWidget:
        return self.pages.currentWidget()

    @Slot(str)
    def show_page(self, key: str) -> None:
        """Show HOME, ATTENTION or a form's list (by form id); for a county reviewer, a page
        of the county workspace (ATTENTION is one)."""
        if self.workspace is not None:
            self.workspace.show_page(key)
            return
        for row in range(self.navigation.count()):
            if self.navigation.item(row).data(_PAGE_ROLE) == key:
                if self.navigation.currentRow() == row:
                    # Back from a record page: its entry is selected already.
                    self._show(key)
                else:
                    self.navigation.setCurrentRow(row)
                return

    @Slot(str, str)
    def show_status(self, form_id: str, status: str) -> None:
        """A form's list filtered by a status (a figure clicked on the home page)."""
        self.list_page(form_id).show_status(RecordStatus(status))
        self.show_page(form_id)

    @Slot(str)
    def new_record(self, form_id: str) -> None:
        self.open_record(form_id, None)

    @property
    def attention(self) -> AttentionPage:
        """The needs-attention page, built the first time it is asked for."""
        if self._attention is None:
            from desktop.attention import AttentionPage

            self._attention = AttentionPage(self.store, reviewer=self._reviewer)
            self._attention.record_activated.connect(self.open_record)
            self.pages.addWidget(self._attention)
        return self._attention

    def _built_pages(self) -> list[StorePage]:
        """The pages showing records that were built, to be read again when records change."""
        built: list[StorePage] = [] if self._attention is None else [self._attention]
        return built + list(self.lists.values())

    def list_page(self, form_id: str) -> RecordListPage:
        """The form's list page, built the first time it is asked for."""
        page = self.lists.get(form_id)
        if page is None:
            from desktop.records.list_page import RecordListPage

            page = RecordListPage(self.store, self.store.registry.get(form_id), self.user)
            page.record_activated.connect(self.open_record)
            page.new_record_requested.connect(self.new_record)
            page.records_changed.connect(self._records_changed)
            page.status_message.connect(self._show_message)
            page.table.selectionModel().selectionChanged.connect(self._update_actions)
            self.pages.addWidget(page)
            self.lists[form_id] = page
        return page

    @Slot(str, str)
    def open_record(self, form_id: str, record_id: str | None) -> None:
        """Open a record; None: a new one. An empty id (a list row whose record left the
        list: None crosses Signal(str, str) as "") names no record and opens nothing."""
        if record_id == "":
            return
        if self.workspace is not None:
            if record_id is not None:
                self.workspace.open_record(form_id, record_id)
            return
        from desktop.records.record_page import RecordPage

        if not self._close_record_page():
            return
        form = self.store.registry.get(form_id)
        page = RecordPage(self.store, form, record_id, self.user)
        page.record_saved.connect(self._record_saved)
        page.record_changed.connect(self._records_changed)
        page.record_deleted.connect(self._record_deleted)
        page.conflict_resolved.connect(self._conflict_resolved)
        page.back_requested.connect(lambda: self.show_page(form_id))
        page.status_message.connect(self._show_message)
        self.record_page = page
        self._current_form = form_id
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        self._select_navigation(form_id)
        page.editor.focus_field(form.fields[0].name)
        self._update_actions()

    @Slot()
    def refresh_counts(self) -> None:
        """Recount in the background; home and badges show the answer."""
        self._badge_timer.stop()
        self._counts_asked += 1
        asked = self._counts_asked
        self.tasks.run_task(
            partial(_read_counts, self.store), lambda counts: self._show_counts(asked, counts)
        )

    def _show_counts(self, asked: int, counts: list[FormCounts]) -> None:
        if asked != self._counts_asked or not shiboken6.isValid(self):
            return
        by_form = {form_counts.form: form_counts for form_counts in counts}
        self.home.show_counts(counts)
        attention = sum(
            c.with_conflicts + c.needing_attention + c.by_status[RecordStatus.RETURNED]
            for c in counts
        )
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            key = item.data(_PAGE_ROLE)
            if key in by_form:
                item.setData(_BADGE_ROLE, sum(by_form[key].by_status.values()))
                item.setData(_BADGE_COLOR_ROLE, MUTED_COLOR)
            elif key == ATTENTION:
                item.setData(_BADGE_ROLE, attention)
                item.setData(_BADGE_COLOR_ROLE, ERROR_COLOR)
        if self.workspace is not None:
            from desktop.county.workspace import REVIEW

            # The county's own attention: its refused decisions and conflicts, not the records
            # it returned (those wait for the schools).
            held = sum(c.with_conflicts + c.needing_attention for c in counts)
            to_review = sum(c.by_status[RecordStatus.SUBMITTED] for c in counts)
            self.workspace.set_badge(ATTENTION, held, ERROR_COLOR)
            self.workspace.set_badge(REVIEW, to_review, MUTED_COLOR)

    def badge(self, key: str) -> int:
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            if item.data(_PAGE_ROLE) == key:
                return int(item.data(_BADGE_ROLE) or 0)
        raise KeyError(key)

    def _select_navigation(self, key: str) -> None:
        self.navigation.blockSignals(True)
        for row in range(self.navigation.count()):
            if self.navigation.item(row).data(_PAGE_ROLE) == key:
                self.navigation.setCurrentRow(row)
        self.navigation.blockSignals(False)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _navigate(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self._show(current.data(_PAGE_ROLE))

    @Slot(QListWidgetItem)
    def _leave_record(self, item: QListWidgetItem) -> None:
        # A click on the entry already selected (the open record's form) goes back to its list.
        if self.record_page is not None:
            self._show(item.data(_PAGE_ROLE))

    def _show(self, key: str) -> None:
        if not self._close_record_page():
            # Its edits could not be saved (the page says why): it stays, and so do they.
            self._select_navigation(self._current_form)
            return
        if key == HOME:
            page: QWidget = self.home
        elif key == ATTENTION:
            page = self.attention
        else:
            page = self.list_page(key)
            self._current_form = key
        self.pages.setCurrentWidget(page)
        self._update_actions()

    def _close_record_page(self) -> bool:
        """False when the open record's edits could not be saved and the user stays with them
        (a failure that may pass, or the offer of a copy in a file declined)."""
        page = self.record_page
        if page is None:
            return True
        if not page.flush() and (page.save_may_pass() or not self._close_keeping_a_copy(page)):
            return False
        if self._badge_timer.isActive():
            self.refresh_counts()
        self.record_page = None
        self.pages.removeWidget(page)
        page.deleteLater()
        return True

    @Slot()
    def _flush_open_record(self) -> None:
        if self.record_page is not None:
            self.record_page.flush()

    # What records did.

    @Slot(str)
    def _record_saved(self, _record_id: str) -> None:
        for page in self._built_pages():
            page.mark_stale()
        self._badge_timer.start()

    @Slot()
    def _records_changed(self) -> None:
        """Records were submitted, withdrawn or deleted: views recount, the hub hears soon."""
        self._refresh_views()
        if self.sync is not None:
            self.sync.request_sync()

    @Slot(object)
    def _synced(self, _summary: object) -> None:
        self._refresh_views()
        self.retranslate_ui()
        page = self.record_page
        if page is not None and not page.follow_store():
            record_id = page.record_id
            self._show(self._current_form)
            if record_id is not None and not self.store.get(record_id).deleted:
                self.open_record(self._current_form, record_id)
            self._show_message(
                self.tr("The record was changed on the hub: this is its newest version.")
            )

    def _refresh_views(self) -> None:
        for page in self._built_pages():
            page.mark_stale()
        if self.workspace is not None:
            self.workspace.refresh()
        self.home.show_account()
        self.refresh_counts()
        self._update_actions()

    @Slot(str)
    def _record_deleted(self, _record_id: str) -> None:
        self.show_page(self._current_form)
        self._records_changed()

    @Slot(str)
    def _conflict_resolved(self, record_id: str) -> None:
        self._records_changed()
        self.open_record(self._current_form, record_id)

    @Slot(str)
    def _show_message(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    # Actions.

    def _make_actions(self) -> None:
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(lambda: self.new_record(self._current_form))
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.find)
        self.delete_action = QAction(self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete)
        self.login_action = QAction(self)
        self.login_action.triggered.connect(self.login_requested)
        self.sync_action = QAction(self)
        self.sync_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.sync_action.setEnabled(self.sync is not None)
        if self.sync is not None:
            self.sync_action.triggered.connect(self.sync.sync_now)
        self.print_action = QAction(self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.print_record)
        self.pdf_action = QAction(self)
        self.pdf_action.triggered.connect(self.save_record_pdf)
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.settings_requested)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.page_actions: dict[str, QAction] = {}
        for number, key in enumerate((HOME, *self.list_forms, ATTENTION), 1):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, key=key: self.show_page(key))
            self.page_actions[key] = action
        self.language_actions = QActionGroup(self)
        for language, name in LANGUAGES.items():
            action = QAction(name, self.language_actions)
            action.setCheckable(True)
            action.setData(language)
        self.language_actions.triggered.connect(
            lambda action: self.language_chosen.emit(action.data())
        )

    def _make_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.new_action)
        self.file_menu.addAction(self.print_action)
        self.file_menu.addAction(self.pdf_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.sync_action)
        self.file_menu.addAction(self.login_action)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        # Excel export, import and templates: for schools and the county alike.
        self.excel_menu = ExcelMenu(self.store, self.tasks, self.user, self)
        self.excel_menu.records_imported.connect(lambda _form, _count: self._records_changed())
        self.file_menu.addMenu(self.excel_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addAction(self.delete_action)
        self.view_menu = bar.addMenu("")
        if self.workspace is not None:
            self.view_menu.addActions(self.workspace.page_actions())
            self.new_action.setEnabled(False)
            self.file_menu.removeAction(self.new_action)
            self.edit_menu.removeAction(self.delete_action)
        else:
            self.view_menu.addActions(list(self.page_actions.values()))
        self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.addActions(self.language_actions.actions())

    @Slot()
    def find(self) -> None:
        """Ctrl+F: the search box of the current form's list (of the review queue)."""
        if self.workspace is not None:
            from desktop.county.workspace import REVIEW

            self.workspace.show_page(REVIEW)
            self.workspace.review.focus_search()
            return
        self.show_page(self._current_form)
        self.list_page(self._current_form).focus_search()

    @Slot()
    def delete(self) -> None:
        page = self.current_page()
        listing = self._current_list(page)
        if listing is not None:
            listing.delete_selected()
        elif self.record_page is not None and page is self.record_page:
            self.record_page.delete()

    @Slot()
    def print_record(self) -> None:
        record = self._record_to_print()
        if record is not None:
            from desktop.printing import print_record

            print_record(record, self.store.registry.get(record.form), parent=self)

    @Slot()
    def save_record_pdf(self) -> None:
        record = self._record_to_print()
        if record is None:
            return
        from desktop.printing import ask_and_save_pdf

        path = ask_and_save_pdf(record, self.store.registry.get(record.form), parent=self)
        if path is not None:
            self._show_message(self.tr("Saved as {0}").format(path))

    def _record_to_print(self) -> StoredRecord | None:
        """The open record as saved, with what was just typed saved first."""
        if self.workspace is not None:
            reviewed = self.workspace.review.record_page
            if reviewed is None:
                return None
            reviewed.flush()
            return self.store.get(reviewed.record_id)
        page = self.record_page
        if page is None or not page.flush():
            return None  # not saved: the page says why, and printing waits for the save
        return self.store.get(page.record_id) if page.record_id is not None else None

    def _current_list(self, page: QWidget) -> RecordListPage | None:
        return next((listing for listing in self.lists.values() if listing is page), None)

    def _update_actions(self) -> None:
        if self.workspace is not None:
            printable = self.workspace.review.record_page is not None
            self.print_action.setEnabled(printable)
            self.pdf_action.setEnabled(printable)
            return
        page = self.current_page()
        record_page = self.record_page if page is self.record_page else None
        listing = self._current_list(page)
        if listing is not None:
            can_delete = bool(listing.table.selectionModel().selectedRows())
        else:
            can_delete = record_page is not None and record_page.can_delete()
        self.delete_action.setEnabled(can_delete)
        printable = record_page is not None
        self.print_action.setEnabled(printable)
        self.pdf_action.setEnabled(printable)

    # Language.

    def retranslate_ui(self) -> None:
        lang = definition_language(QLocale().name())
        self.setWindowTitle(self.tr("Chanjiao Collect"))
        titles = {HOME: self.tr("Home"), ATTENTION: self.tr("Needs attention")}
        titles |= {form.id: form.title.get(lang) for form in self.forms}
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            item.setText(titles[item.data(_PAGE_ROLE)])
        for key, action in self.page_actions.items():
            action.setText(titles[key])
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("Language"))
        self.new_action.setText(self.tr("&New record"))
        self.find_action.setText(self.tr("&Find…"))
        self.delete_action.setText(self.tr("&Delete…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.sync_action.setText(self.tr("&Sync now"))
        self.login_action.setText(self.tr("Log in to the hub…"))
        self.settings_action.setText(self.tr("Settings…"))
        self.print_action.setText(self.tr("&Print…"))
        self.pdf_action.setText(self.tr("Save as P&DF…"))
        for action in self.language_actions.actions():
            action.setChecked(QLocale().name().startswith(action.data()))
        state = self.store.sync_state()
        if state.hub_url and state.username:
            self._account.setText(self.tr("{0} · {1}").format(state.username, state.hub_url))
        else:
            self._account.setText(self.tr("Local profile (not signed in)"))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            # After this paint is on screen, not inside it.
            QTimer.singleShot(0, self, self._announce_first_paint)

    @Slot()
    def _announce_first_paint(self) -> None:
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Whatever was typed and not yet autosaved is saved before the window goes. What
        # cannot be saved keeps the window open while the failure may pass (the data file
        # busy, the disk full); when it cannot, or the user closes again, they choose between
        # staying and closing with what they typed written to a file.
        page = self.record_page
        if page is not None and not page.flush():
            if page.save_may_pass() and not self._close_refused:
                self._close_refused = True
                event.ignore()
                QMessageBox.warning(
                    self,
                    self.tr("Not saved"),
                    self.tr(
                        "What you typed in the open record could not be saved; the reason is "
                        "shown above the form. The window stays open so that nothing is lost: "
                        "try again in a moment. Closing again lets you save it to a file instead."
                    ),
                )
                return
            if not self._close_keeping_a_copy(page):
                event.ignore()
                return
        if self.workspace is not None:
            self.workspace.flush()
        super().closeEvent(event)

    def _close_keeping_a_copy(self, page: RecordPage) -> bool:
        """Ask whether to close with the open record's unsaved values written to a file;
        True when the window may close."""
        folder = page.store.path.parent / "unsaved"
        answer = QMessageBox.question(
            self,
            self.tr("Not saved"),
            self.tr(
                "What you typed in the open record cannot be saved to the data file; the reason "
                "is shown above the form.\n\nClose anyway? What you typed is first written to a "
                "file in {0}."
            ).format(folder),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            path = page.save_typed_to_file()
        except OSError as error:
            from desktop.errors import explain

            answer = QMessageBox.question(
                self,
                self.tr("Not saved"),
                self.tr(
                    "What you typed could not be written to a file either: {0}\n\n"
                    "Close anyway and lose what you typed in the open record?"
                ).format(explain(error)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            return answer == QMessageBox.StandardButton.Yes
        QMessageBox.information(
            self,
            self.tr("Saved to a file"),
            self.tr("What you typed in the open record was saved to {0}.").format(path),
        )
        return True

"""File ▸ Excel: export, import, and a template per form, for schools and the county alike.

    menu = ExcelMenu(store, tasks, user, parent=window)
    window.file_menu.addMenu(menu)
    menu.records_imported.connect(window.refresh_after_import)

The menu is built with the window; the dialogs behind it (desktop.county.excel, with the
county's dashboard figures and the Excel library behind them) are imported when one is opened,
not at start (issue 6).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desktop.i18n import definition_language
from desktop.pages import forms_in_order
from desktop.tasks import TaskRunner
from forms import FormDefinition
from sync.store import Store

if TYPE_CHECKING:
    from desktop.county.excel import ExportDialog, ImportWizard


class ExcelMenu(QMenu):
    """File ▸ Excel: export, import, and a template per form. Schools and the county both
    reach it; the window adds it with `file_menu.addMenu(menu)`."""

    records_imported = Signal(str, int)  # form id, records written

    def __init__(
        self, store: Store, tasks: TaskRunner, user: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.user = user
        self.export_action = QAction(self)
        self.export_action.triggered.connect(self.show_export)
        self.import_action = QAction(self)
        self.import_action.triggered.connect(self.show_import)
        self.addAction(self.export_action)
        self.addAction(self.import_action)
        self.templates_menu = self.addMenu("")
        self.template_actions: dict[str, QAction] = {}
        for form in forms_in_order(store.registry):
            action = QAction(self)
            action.triggered.connect(lambda _checked=False, form=form: self._save_template(form))
            self.template_actions[form.id] = action
            self.templates_menu.addAction(action)
        self.retranslate_ui()

    @Slot()
    def show_export(self) -> ExportDialog:
        from desktop.county.excel import open_export

        return open_export(self.store, self.tasks, self.user, self.parentWidget())

    @Slot()
    def show_import(self) -> ImportWizard:
        from desktop.county.excel import open_import

        return open_import(
            self.store, self.tasks, self.user, self.parentWidget(), self.records_imported.emit
        )

    def _save_template(self, form: FormDefinition) -> None:
        from desktop.county.excel import save_template

        save_template(form, self)

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("E&xcel"))
        self.export_action.setText(self.tr("&Export to Excel…"))
        self.import_action.setText(self.tr("&Import from Excel…"))
        self.templates_menu.setTitle(self.tr("Download import &template"))
        lang = definition_language(QLocale().name())
        for form in forms_in_order(self.store.registry):
            self.template_actions[form.id].setText(form.title.get(lang) + "…")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

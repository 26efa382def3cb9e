"""The record list model: row ids of one form's query, rows fetched a page at a time.

    model = RecordListModel(store, registry.get("internship"))   # the first page of all
    model.set_query(RecordQuery(form="internship", search="zs"))
    view.setModel(model)       # the view asks for more pages as the user scrolls

The model keeps every listed id (100,000 ids are a few MB) but only a bounded number of pages
of rows: a page that fell out is read again from the key it started at.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from desktop.i18n import definition_language
from desktop.records.status import STATUS_COLORS, dot_icon, marks, status_text
from forms import FieldDef, FieldType, FormDefinition
from sync.store import ListRow, PageKey, RecordQuery, Store

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole
PAGE_SIZE = 200
# Pages of rows kept in memory; ids of every fetched page are kept regardless.
CACHED_PAGES = 25

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column: its store sort key (None: not sortable) and how it reads a row."""

    sort_key: str | None
    header: Callable[[str], str]
    text: Callable[[ListRow, str], str]
    color: Callable[[ListRow], str | None] = lambda _row: None
    icon_color: Callable[[ListRow], str | None] = lambda _row: None


def _local_time(stamp: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _field_text(field: FieldDef, value: Any, lang: str) -> str:
    if value is None or value == "":
        return ""
    if field.type is FieldType.SELECT_ONE:
        for choice in field.choices:
            if choice.name == value:
                return choice.label.get(lang)
    if field.type is FieldType.BOOLEAN:
        return (
            QCoreApplication.translate("RecordListModel", "Yes")
            if value
            else QCoreApplication.translate("RecordListModel", "No")
        )
    return str(value)


def _columns(form: FormDefinition) -> list[Column]:
    def field_column(field: FieldDef) -> Column:
        return Column(
            sort_key=field.name,
            header=field.label.get,
            text=lambda row, lang: _field_text(field, row.columns.get(field.name), lang),
        )

    return [
        Column(
            sort_key="status",
            header=lambda _lang: QCoreApplication.translate("RecordListModel", "Status"),
            text=lambda row, _lang: status_text(row.status),
            color=lambda row: STATUS_COLORS[row.status],
            icon_color=lambda row: STATUS_COLORS[row.status],
        ),
        *(field_column(field) for field in form.fields if field.list_column),
        Column(
            sort_key=None,
            header=lambda _lang: QCoreApplication.translate("RecordListModel", "Flags"),
            text=lambda row, _lang: " · ".join(words for words, _color in marks(row)),
            color=lambda row: next((color for _words, color in marks(row)), None),
            icon_color=lambda row: next((color for _words, color in marks(row)), None),
        ),
        Column(
            sort_key="updated_at",
            header=lambda _lang: QCoreApplication.translate("RecordListModel", "Last changed"),
            text=lambda row, _lang: _local_time(row.updated_at),
        ),
    ]


class RecordListModel(QAbstractTableModel):
    def __init__(
        self,
        store: Store,
        form: FormDefinition,
        parent: QObject | None = None,
        *,
        load: bool = True,
    ) -> None:
        """`load=False`: empty until `refresh()`, for a list not shown yet."""
        super().__init__(parent)
        self.store = store
        self.form = form
        self.columns = _columns(form)
        self.query = RecordQuery(form=form.id)
        self._lang = definition_language(QLocale().name())
        self._ids: list[str] = []
        # The key each fetched page started after (None for the first page).
        self._page_starts: list[PageKey | None] = []
        self._pages: OrderedDict[int, dict[str, ListRow]] = OrderedDict()
        self._next_after: PageKey | None = None
        if load:
            self._load()

    # What the list page uses.

    def set_query(self, query: RecordQuery) -> None:
        self.beginResetModel()
        self.query = query
        self._load()
        self.endResetModel()

    def refresh(self) -> None:
        """Read the query again: records were saved, submitted or pulled."""
        self.set_query(self.query)

    def record_id(self, row: int) -> str:
        return self._ids[row]

    def total(self) -> int:
        """Records matching the query, fetched or not."""
        return self.store.count(self.query)

    def retranslate(self) -> None:
        self._lang = definition_language(QLocale().name())
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._ids:
            last = self.index(len(self._ids) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # QAbstractTableModel.

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._next_after is not None

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        page = self.store.list_records(self.query, after=self._next_after, limit=PAGE_SIZE)
        if not page.rows:
            self._next_after = None
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._add_page(self._next_after, page.rows)
        self._next_after = page.next_after
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == RECORD_ID_ROLE:
            return self._ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.DecorationRole,
        ):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            color = column.color(row)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.DecorationRole:
            color = column.icon_color(row)
            return dot_icon(color) if color else None
        return column.text(row, self._lang) or None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(self.columns):
            return None
        return self.columns[section].header(self._lang)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort_key = self.columns[column].sort_key
        if sort_key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (sort_key, descending) == (self.query.sort, self.query.descending):
            return
        self.set_query(dataclasses.replace(self.query, sort=sort_key, descending=descending))

    def sort_column(self) -> int:
        """The column the query is sorted by, for the header's indicator."""
        keys = [column.sort_key for column in self.columns]
        return keys.index(self.query.sort) if self.query.sort in keys else -1

    # Pages.

    def _load(self) -> None:
        self._ids = []
        self._page_starts = []
        self._pages.clear()
        page = self.store.list_records(self.query, limit=PAGE_SIZE)
        self._add_page(None, page.rows)
        self._next_after = page.next_after

    def _add_page(self, start: PageKey | None, rows: list[ListRow]) -> None:
        self._page_starts.append(start)
        self._ids.extend(row.id for row in rows)
        self._keep(len(self._page_starts) - 1, rows)

    def _keep(self, number: int, rows: list[ListRow]) -> None:
        self._pages[number] = {row.id: row for row in rows}
        self._pages.move_to_end(number)
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)

    def _row(self, row: int) -> ListRow | None:
        number = row // PAGE_SIZE
        rows = self._pages.get(number)
        if rows is None:
            page = self.store.list_records(
                self.query, after=self._page_starts[number], limit=PAGE_SIZE
            )
            self._keep(number, page.rows)
            rows = self._pages[number]
        else:
            self._pages.move_to_end(number)
        # A record changed since its page was read may have moved: it shows blank until the
        # list is refreshed.
        return rows.get(self._ids[row])

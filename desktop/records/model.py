"""The record list model: every row of one form's query, read a block at a time when shown.

    model = RecordListModel(store, registry.get("internship"))   # counts the records
    model.set_query(RecordQuery(form="internship", search="zs"))
    view.setModel(model)       # reads the blocks of rows the view paints

The model knows how many rows the query has from one count, so the scroll bar spans them all
and Ctrl+End goes straight to the last record. A block is read after the key where the block
before it ended when that is known (scrolling on), else at its offset from the nearer end of the
list (a jump). The ids of every block read are kept (100,000 ids are a few MB), the rows of a
bounded number of blocks only.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable
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
    QTimer,
    Slot,
)
from PySide6.QtGui import QColor

from desktop.i18n import definition_language
from desktop.records.status import STATUS_COLORS, dot_icon, marks, status_text
from forms import FieldDef, FieldType, FormDefinition
from sync.store import ListRow, PageKey, RecordQuery, Store

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole
BLOCK_SIZE = 200
# Blocks of rows kept in memory; the ids of every block read are kept regardless.
CACHED_BLOCKS = 25

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
        self._total = 0
        self._ids: dict[int, list[str]] = {}
        self._rows: OrderedDict[int, dict[str, ListRow]] = OrderedDict()
        # Where a block read in the list's own order ended: the key the next block starts after.
        self._ends: dict[int, PageKey] = {}
        self._refresh_pending = False
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

    def record_id(self, row: int) -> str | None:
        """The record at a row; None if it left the list since the list was read."""
        ids = self._block_ids(row // BLOCK_SIZE)
        offset = row % BLOCK_SIZE
        return ids[offset] if offset < len(ids) else None

    def rows_of(self, record_ids: Collection[str], near: Iterable[int]) -> list[int]:
        """Rows of these records among the first block and those holding the rows `near`
        (where they were before a refresh): a record that moved further is not looked for."""
        blocks = sorted({0, *(row // BLOCK_SIZE for row in near)})[:CACHED_BLOCKS]
        found = []
        for block in blocks:
            if block * BLOCK_SIZE >= self._total:
                break
            for offset, record_id in enumerate(self._block_ids(block)):
                if record_id in record_ids:
                    found.append(block * BLOCK_SIZE + offset)
        return found

    def total(self) -> int:
        """Records matching the query, as counted when it was last read."""
        return self._total

    def retranslate(self) -> None:
        self._lang = definition_language(QLocale().name())
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._total:
            last = self.index(self._total - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # QAbstractTableModel.

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == RECORD_ID_ROLE:
            return self.record_id(index.row())
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

    # Blocks.

    @Slot()
    def _refresh_short_list(self) -> None:
        if self._refresh_pending:
            self.refresh()

    def _load(self) -> None:
        self._refresh_pending = False
        self._ids.clear()
        self._rows.clear()
        self._ends.clear()
        self._total = self.store.count(self.query)

    def _row(self, row: int) -> ListRow | None:
        number = row // BLOCK_SIZE
        ids = self._block_ids(number)
        rows = self._rows.get(number)
        if rows is None:
            rows = self._read(number)
        else:
            self._rows.move_to_end(number)
        offset = row % BLOCK_SIZE
        # A record changed since the list was counted may have moved or gone: its row shows
        # blank until the list is refreshed.
        return rows.get(ids[offset]) if offset < len(ids) else None

    def _block_ids(self, number: int) -> list[str]:
        ids = self._ids.get(number)
        if ids is None:
            self._read(number)
            ids = self._ids[number]
        return ids

    def _read(self, number: int) -> dict[str, ListRow]:
        start = number * BLOCK_SIZE
        size = min(BLOCK_SIZE, self._total - start)
        after = self._ends.get(number - 1)
        if after is not None or start <= self._total - (start + size):
            page = self.store.list_records(
                self.query,
                after=after,
                offset=0 if after is not None else start,
                limit=size,
            )
            listed = page.rows
            if page.next_after is not None:
                self._ends[number] = page.next_after
        else:
            # Nearer the end: the first rows of the reverse order, read backwards.
            reverse = dataclasses.replace(self.query, descending=not self.query.descending)
            page = self.store.list_records(reverse, offset=self._total - (start + size), limit=size)
            listed = page.rows[::-1]
        if len(listed) < size and not self._refresh_pending:
            # Records left the list since it was counted: their rows show blank until it is
            # read again, which is done once the view is done with this model's answers.
            self._refresh_pending = True
            QTimer.singleShot(0, self, self._refresh_short_list)
        # Read again after its rows fell out, the ids first read stay: a row keeps meaning one
        # record until the list is refreshed.
        self._ids.setdefault(number, [row.id for row in listed])
        rows = {row.id: row for row in listed}
        self._rows[number] = rows
        self._rows.move_to_end(number)
        while len(self._rows) > CACHED_BLOCKS:
            self._rows.popitem(last=False)
        return rows

"""A horizontal bar chart drawn with QPainter: one label, one bar and its number per row, and a
legend naming what the bars count.

QtCharts is in PySide6-Addons, a large extra dependency the bundle budget (≤ 150 MB) cannot
afford for a few bar charts, so this one small widget draws them. What it paints depends only on
the bars given (tens of rows), never on how many records were counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QLocale, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOR = "#1d5fbf"
ROW_HEIGHT = 24
BAR_HEIGHT = 15
MARGIN = 8
# Labels longer than this share of the width are elided, so bars always have room.
MAX_LABEL_SHARE = 0.42


def format_number(value: float) -> str:
    """Whole numbers without decimals, others with up to two, grouped as the locale writes."""
    locale = QLocale()
    if float(value).is_integer():
        return locale.toString(int(value))
    return locale.toString(float(value), "f", 2).rstrip("0").rstrip(locale.decimalPoint())


class BarChart(QWidget):
    """Bars of (label, value); the longest bar is the largest value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[tuple[str, float]] = []
        self._legend = ""
        self._color = QColor(BAR_COLOR)
        self._full_scale: float | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(260)

    def set_bars(
        self,
        bars: Sequence[tuple[str, float]],
        legend: str,
        color: str = BAR_COLOR,
        full_scale: float | None = None,
    ) -> None:
        """`full_scale`: the value a bar of the whole width stands for (100 for rates, so 2 %
        never looks full); None scales to the largest bar."""
        self._bars = list(bars)
        self._full_scale = full_scale
        self._legend = legend
        self._color = QColor(color)
        self.updateGeometry()
        self.update()

    @property
    def bars(self) -> list[tuple[str, float]]:
        return list(self._bars)

    @property
    def full_scale(self) -> float | None:
        return self._full_scale

    @property
    def legend(self) -> str:
        return self._legend

    def _legend_height(self) -> int:
        return self.fontMetrics().height() + MARGIN

    def sizeHint(self) -> QSize:
        rows = max(len(self._bars), 1)
        return QSize(420, self._legend_height() + rows * ROW_HEIGHT + 2 * MARGIN)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, self.sizeHint().height())

    def changeEvent(self, event: QEvent) -> None:
        # Numbers are grouped as the language writes them.
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.LocaleChange):
            self.update()
        super().changeEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        palette = self.palette()
        text_color = palette.windowText().color()
        width = self.width() - 2 * MARGIN

        # Legend: a swatch and what the bars count.
        swatch = QRectF(MARGIN, MARGIN, 12, 12)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._color)
        painter.drawRect(swatch)
        painter.setPen(text_color)
        painter.drawText(
            QRectF(MARGIN + 18, MARGIN - 2, width - 18, metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(self._legend, Qt.TextElideMode.ElideRight, width - 18),
        )
        if not self._bars:
            return

        top = MARGIN + self._legend_height()
        widest_label = max(metrics.horizontalAdvance(label) for label, _ in self._bars)
        # A few pixels spare: text measured at exactly its advance is elided by some fonts.
        label_width = min(widest_label + 4, int(width * MAX_LABEL_SHARE))
        numbers = [format_number(value) for _, value in self._bars]
        number_width = max(metrics.horizontalAdvance(number) for number in numbers)
        bar_left = MARGIN + label_width + MARGIN
        bar_room = max(width - label_width - MARGIN - number_width - MARGIN, 1)
        largest = max((value for _, value in self._bars), default=0.0)
        if self._full_scale is not None:
            largest = max(largest, self._full_scale)
        scale = bar_room / largest if largest > 0 else 0.0

        axis_pen = palette.mid().color()
        painter.setPen(axis_pen)
        painter.drawLine(bar_left, top, bar_left, top + len(self._bars) * ROW_HEIGHT)
        for row, ((label, value), number) in enumerate(zip(self._bars, numbers, strict=True)):
            y = top + row * ROW_HEIGHT
            painter.setPen(text_color)
            painter.drawText(
                QRectF(MARGIN, y, label_width, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, label_width),
            )
            length = max(value, 0.0) * scale
            if length > 0:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._color)
                painter.drawRect(
                    QRectF(bar_left + 1, y + (ROW_HEIGHT - BAR_HEIGHT) / 2, length, BAR_HEIGHT)
                )
            painter.setPen(text_color)
            painter.drawText(
                QRectF(bar_left + length + 5, y, number_width + MARGIN, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                number,
            )

"""The dialog a county reviewer writes a comment in: returning a record, reopening an approved
one. The comment is required, so OK stays disabled until something is typed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class CommentDialog(QDialog):
    """Ask for the comment of a decision. `comment()` after exec() returned Accepted."""

    def __init__(
        self, title: str, explanation: str, ok_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        label = QLabel(explanation)
        label.setWordWrap(True)
        self.comment_box = QPlainTextEdit()
        self.comment_box.setPlaceholderText(
            self.tr("What the school should change, in words it can act on")
        )
        self.comment_box.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setEnabled(False)
        self._hint = QLabel(self.tr("A comment is required."))
        self._hint.setStyleSheet("color: palette(mid);")
        self.comment_box.textChanged.connect(self._comment_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.comment_box, 1)
        layout.addWidget(self._hint)
        layout.addWidget(self.buttons)
        self.comment_box.setFocus()

    def comment(self) -> str:
        return self.comment_box.toPlainText().strip()

    def accept(self) -> None:
        # Enter in the buttons cannot get past a blank comment either.
        if self.comment():
            super().accept()

    def _comment_changed(self) -> None:
        has_comment = bool(self.comment())
        self.ok_button.setEnabled(has_comment)
        self._hint.setVisible(not has_comment)

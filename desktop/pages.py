"""What the pages showing the store's records share: they are read again only when they are
seen, and they follow the language live.

    class AttentionPage(StorePage):
        def refresh(self) -> None: ...        # read the store, fill the widgets
        def retranslate_ui(self) -> None: ...

    page.mark_stale()   # records changed: read now if the page is shown, else when it is
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from forms import FormDefinition, FormRegistry

# The order forms are listed in everywhere (navigation, queues, Excel): as DOMAIN.md lists them;
# forms published later come after these.
FORM_ORDER = ("training_base", "internship", "teacher_placement")


def forms_in_order(registry: FormRegistry) -> list[FormDefinition]:
    """The latest version of every form, in FORM_ORDER."""
    known = {form.id: form for form in registry.latest()}
    ordered = [known[form_id] for form_id in FORM_ORDER if form_id in known]
    return ordered + [form for form in known.values() if form.id not in FORM_ORDER]


class StorePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Nothing read yet: the first show reads (pages the user never opens cost nothing).
        self._stale = True

    def refresh(self) -> None:
        """Read what the page shows from the store."""
        raise NotImplementedError

    def retranslate_ui(self) -> None:
        raise NotImplementedError

    def mark_stale(self) -> None:
        """Records changed elsewhere: read them again now if the page is shown, else when it is."""
        if self.isVisible():
            self._stale = False
            self.refresh()
        else:
            self._stale = True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._stale = False
            self.refresh()
        super().showEvent(event)

"""The form editor widget and what it is built from."""

from desktop.editor.form_editor import FormEditor, SaveState

__all__ = ["FormEditor", "SaveState"]

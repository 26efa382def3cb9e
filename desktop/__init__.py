"""Chanjiao Collect desktop app (PySide6 Widgets): the UI over `forms` and `sync`."""

# The folder name under the platform's user and machine-wide locations (platformdirs).
APP_DIR_NAME = "Chanjiao"

"""Chanjiao Collect desktop app (PySide6 Widgets): the UI over `forms` and `sync`."""

# The folder name under the platform's user and machine-wide locations (platformdirs), which
# `chanjiao sync` reads the settings files from too.
from sync.settings_files import APP_DIR_NAME

__all__ = ["APP_DIR_NAME"]

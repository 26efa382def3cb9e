"""The app's dialogs: login, conflict resolution, record history, settings."""

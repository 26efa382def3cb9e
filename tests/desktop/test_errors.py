import errno
import logging
import ssl
import threading
from pathlib import Path

import httpx
import pytest

from desktop import errors
from sync.store.errors import IntegrityCheckPendingError


@pytest.fixture
def hook(tmp_path, qapp, languages, monkeypatch):
    """The hook installed with its log in a folder named in Chinese, dialogs recorded."""
    shown = []

    def record_dialog(dialog):
        shown.append(dialog)
        return 0

    monkeypatch.setattr(errors.ErrorDialog, "exec", record_dialog)
    handler = errors.start_log(tmp_path / "数据" / "logs")
    hook = errors.ExceptionHook(Path(handler.baseFilename))
    hook.install()
    hook.shown = shown
    yield hook
    hook.uninstall()
    logging.getLogger().removeHandler(handler)
    handler.close()


def _raise(error):
    try:
        raise error
    except BaseException as caught:
        return caught


def test_unhandled_error_is_logged_and_explained_with_the_log_path(hook):
    error = _raise(RuntimeError("记录 42 不存在"))
    errors.sys.excepthook(type(error), error, error.__traceback__)
    log_text = hook.log_path.read_text(encoding="utf-8")
    assert "Traceback" in log_text
    assert "RuntimeError: 记录 42 不存在" in log_text
    [dialog] = hook.shown
    assert "意外" in dialog.text()
    assert str(hook.log_path) in dialog.informativeText()
    assert "RuntimeError: 记录 42 不存在" in dialog.detailedText()


def test_error_in_a_worker_thread_is_shown_on_the_ui_thread(hook, qtbot):
    def fail():
        raise ConnectionRefusedError("refused")

    with qtbot.waitSignal(hook.error_reported):
        worker = threading.Thread(target=fail)
        worker.start()
        worker.join()
    qtbot.waitUntil(lambda: len(hook.shown) == 1)
    assert "网络" in hook.shown[0].text()


def test_a_burst_of_errors_opens_one_dialog(hook, monkeypatch):
    nested = []

    def dialog_that_fails_again(dialog):
        nested.append(dialog)
        error = _raise(ValueError("again"))
        errors.sys.excepthook(type(error), error, error.__traceback__)
        return 0

    monkeypatch.setattr(errors.ErrorDialog, "exec", dialog_that_fails_again)
    error = _raise(ValueError("first"))
    errors.sys.excepthook(type(error), error, error.__traceback__)
    assert len(nested) == 1
    assert hook.log_path.read_text(encoding="utf-8").count("ValueError") == 2


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (ssl.SSLCertVerificationError("self-signed"), "证书"),
        (httpx.ConnectError("no route"), "网络"),
        (httpx.ReadTimeout("slow"), "没有响应"),
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘已满"),
        (PermissionError(errno.EACCES, "denied", "/data/chanjiao.db"), "/data/chanjiao.db"),
        (errors.sqlite3.OperationalError("database is locked"), "另一个程序"),
        (errors.sqlite3.DatabaseError("file is not a database"), "损坏"),
        (IntegrityCheckPendingError(Path("store.sqlite3"), 5.0), "检查尚未完成"),
    ],
)
def test_known_failures_are_explained_in_plain_words(languages, error, words):
    assert words in errors.explain(error)


def test_the_cause_of_a_wrapped_error_is_explained(languages):
    try:
        try:
            raise ssl.SSLCertVerificationError("unknown issuer")
        except ssl.SSLError as inner:
            raise RuntimeError("sync failed") from inner
    except RuntimeError as outer:
        assert "证书" in errors.explain(outer)


def test_explanations_switch_to_english(languages):
    languages.switch_to("en")
    assert "network" in errors.explain(httpx.ConnectError("no route"))

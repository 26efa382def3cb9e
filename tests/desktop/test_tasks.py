import threading

import pytest
from PySide6.QtCore import QThreadPool

from desktop.tasks import TaskRunner


def test_result_reaches_the_success_callback(inline_pool):
    runner = TaskRunner(inline_pool)
    results = []
    runner.run_task(lambda: 6 * 7, results.append, on_failure=pytest.fail)
    assert results == [42]
    assert runner.pending == 0


def test_exception_reaches_the_failure_callback(inline_pool):
    runner = TaskRunner(inline_pool)
    errors = []
    runner.run_task(lambda: 1 / 0, pytest.fail, on_failure=errors.append)
    assert [type(e) for e in errors] == [ZeroDivisionError]


def test_unhandled_failure_goes_to_the_exception_hook(inline_pool, monkeypatch):
    hooked = []
    monkeypatch.setattr("sys.excepthook", lambda kind, error, tb: hooked.append(error))
    TaskRunner(inline_pool).run_task(lambda: {}["missing"], pytest.fail)
    assert [type(e) for e in hooked] == [KeyError]


def test_work_runs_on_a_worker_and_callbacks_on_the_ui_thread(qtbot):
    runner = TaskRunner(QThreadPool())
    threads = {}

    def work():
        threads["work"] = threading.current_thread()
        return "done"

    def finished(result):
        threads["callback"] = threading.current_thread()

    runner.run_task(work, finished, on_failure=pytest.fail)
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert threads["work"] is not threading.main_thread()
    assert threads["callback"] is threading.main_thread()

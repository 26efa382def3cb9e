"""Background work: the one way to run something off the UI thread.

    tasks = TaskRunner()
    tasks.run_task(lambda: store.load(record_id), editor.show_record, on_failure=show_error)

The callable runs on a QThreadPool worker; its result or its exception comes back on the UI
thread, where the callbacks may touch widgets. Never touch a widget from the callable itself.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[BaseException], None]


class Pool(Protocol):
    """What TaskRunner needs of QThreadPool; tests pass a pool that runs tasks inline."""

    def start(self, task: Callable[[], None], /) -> None: ...


def report_unhandled(error: BaseException) -> None:
    """The default failure callback: the global exception hook logs it and tells the user."""
    sys.excepthook(type(error), error, error.__traceback__)


class TaskRunner(QObject):
    # Emitted from a worker thread; Qt queues it to this object's (the UI) thread.
    _task_finished = Signal(int, object, object)

    def __init__(self, pool: Pool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool: Pool = pool if pool is not None else QThreadPool.globalInstance()
        self._callbacks: dict[int, tuple[SuccessCallback, FailureCallback]] = {}
        self._task_ids = itertools.count()
        self._task_finished.connect(self._deliver)

    def run_task(
        self,
        func: Callable[[], Any],
        on_success: SuccessCallback,
        on_failure: FailureCallback = report_unhandled,
    ) -> None:
        """Run `func()` in the background, then `on_success(result)` or `on_failure(error)`
        on the UI thread."""
        task_id = next(self._task_ids)
        self._callbacks[task_id] = (on_success, on_failure)

        def run() -> None:
            try:
                result = func()
            except Exception as error:
                self._task_finished.emit(task_id, None, error)
            else:
                self._task_finished.emit(task_id, result, None)

        self._pool.start(run)

    @property
    def pending(self) -> int:
        """Tasks started whose callbacks have not run yet."""
        return len(self._callbacks)

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: Any, error: BaseException | None) -> None:
        on_success, on_failure = self._callbacks.pop(task_id)
        if error is None:
            on_success(result)
        else:
            on_failure(error)

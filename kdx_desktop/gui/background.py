"""Slow work off the GUI thread (Anki's ``CollectionOp``, Picard's ``run_task``).

:func:`start` runs a callable on a worker thread of the global ``QThreadPool``. The worker opens
its OWN connection to the data folder (SQLite connections must not be shared across threads, and
the GUI's stays free for the window), passes it to the callable with a progress function, closes
it afterwards, and brings the result or the exception back to the GUI thread through queued
signals. Widgets are only ever touched by the callbacks, which run on the GUI thread.

After a task that wrote data, the caller reloads what the window shows from its own connection.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, Signal, Slot

from ..services.reporting import App, open_app

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
Work = Callable[[App, Progress], Any]

_running: dict[int, Task] = {}  # keeps tasks alive until their result is delivered
_ids = itertools.count(1)


def busy() -> bool:
    """True while a background task runs (a restore must wait for it)."""
    return bool(_running)


class _Dispatcher(QObject):
    """The one sender the workers emit from. It lives (and dies) with the GUI thread, so no
    QObject is ever deleted by a worker; queued calls carry the task's number."""

    progress = Signal(int, int, str)
    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.progress.connect(self._progress)
        self.finished.connect(self._finished)
        self.failed.connect(self._failed)

    @Slot(int, int, str)
    def _progress(self, task_id: int, percent: int, message: str) -> None:
        task = _running.get(task_id)
        if task is not None:
            task._progress(percent, message)

    @Slot(int, object)
    def _finished(self, task_id: int, result: object) -> None:
        task = _running.get(task_id)
        if task is not None:
            task._finished(result)

    @Slot(int, object)
    def _failed(self, task_id: int, error: object) -> None:
        task = _running.get(task_id)
        if task is not None and isinstance(error, BaseException):
            task._failed(error)


_dispatcher: _Dispatcher | None = None


def _the_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:  # created on the GUI thread, by the first start()
        _dispatcher = _Dispatcher()
    return _dispatcher


class _Runnable(QRunnable):
    def __init__(self, task_id: int, data_dir: Path, app: App, work: Work, sender: _Dispatcher) -> None:
        super().__init__()
        self.task_id = task_id
        self.data_dir = data_dir
        self.catalog = app.catalog
        self.work = work
        self.sender = sender

    def run(self) -> None:  # on the worker thread: no widgets here
        def progress(percent: int, message: str = "") -> None:
            self.sender.progress.emit(self.task_id, int(percent), str(message))

        try:
            own = open_app(self.data_dir, self.catalog, inspect=False)
        except BaseException as exc:
            self.sender.failed.emit(self.task_id, exc)
            return
        try:
            try:
                result = self.work(own, progress)
            finally:
                own.close()  # before the outcome is announced: the GUI may then write at once
        except BaseException as exc:  # brought back to the GUI thread, shown there
            log.info("background task failed: %s", exc, exc_info=True)
            self.sender.failed.emit(self.task_id, exc)
            return
        self.sender.finished.emit(self.task_id, result)


class Task:
    """One piece of background work. Callbacks run on the GUI thread."""

    def __init__(
        self,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Progress | None = None,
    ) -> None:
        self.id = next(_ids)
        self.on_done = on_done
        self.on_error = on_error
        self.on_progress = on_progress
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self._loop: QEventLoop | None = None

    def _progress(self, percent: int, message: str) -> None:
        if self.on_progress is not None:
            self.on_progress(percent, message)

    def _finished(self, result: Any) -> None:
        self.result = result
        self._end()
        if self.on_done is not None:
            self.on_done(result)

    def _failed(self, error: BaseException) -> None:
        self.error = error
        self._end()
        if self.on_error is not None:
            self.on_error(error)

    def _end(self) -> None:
        self.done = True
        _running.pop(self.id, None)
        if self._loop is not None:
            self._loop.quit()

    def wait(self) -> Any:
        """Keep the window responsive (events are processed) until the task ends; return its
        result or raise its exception here, on the GUI thread."""
        if not self.done:
            self._loop = QEventLoop()
            self._loop.exec()
            self._loop = None
        if self.error is not None:
            raise self.error
        return self.result


def start(
    app: App,
    work: Work,
    *,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Progress | None = None,
) -> Task:
    """Run ``work(own_app, progress)`` on a worker thread with its own connection to ``app``'s
    data folder. An in-memory store (tests, no folder) cannot be opened twice: then the work runs
    here, on the GUI thread, with ``app`` itself."""
    task = Task(on_done, on_error, on_progress)
    _running[task.id] = task
    if app.data_dir is None or app.store.path is None:

        def progress(percent: int, message: str = "") -> None:
            task._progress(int(percent), str(message))

        try:
            result = work(app, progress)
        except Exception as exc:
            task._failed(exc)
        else:
            task._finished(result)
        return task
    runnable = _Runnable(task.id, Path(app.data_dir), app, work, _the_dispatcher())
    QThreadPool.globalInstance().start(runnable)
    return task


def run(app: App, work: Work, *, on_progress: Progress | None = None) -> Any:
    """:func:`start` then :meth:`Task.wait`: the result, or the worker's exception raised here."""
    return start(app, work, on_progress=on_progress).wait()

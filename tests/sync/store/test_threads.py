"""Each thread owns its connection; readers go on while a writer holds the lock; a writer that
waits too long gets StoreBusyError instead of hanging."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from sync.store import RecordQuery, Store, StoreBusyError

from .conftest import open_store


def test_a_store_belongs_to_the_thread_that_opened_it(store: Store) -> None:
    failures: list[BaseException] = []

    def use_from_elsewhere() -> None:
        try:
            store.count(RecordQuery(form="internship"))
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=use_from_elsewhere)
    thread.start()
    thread.join()
    assert isinstance(failures[0], sqlite3.ProgrammingError)


def test_another_thread_reads_and_writes_through_its_own_store(store: Store) -> None:
    store.save("internship", None, {"student_name": "张三"}, "li")
    counts: list[int] = []

    def sync_thread() -> None:
        own = store.for_thread()
        try:
            own.save("internship", None, {"student_name": "李四"}, "sync")
            counts.append(own.count(RecordQuery(form="internship")))
        finally:
            own.close()

    thread = threading.Thread(target=sync_thread)
    thread.start()
    thread.join()
    assert counts == [2]
    assert store.count(RecordQuery(form="internship")) == 2


def test_readers_see_the_last_commit_while_a_write_is_open_and_writers_time_out(
    store: Store,
) -> None:
    store.save("internship", None, {"student_name": "张三"}, "li")
    holder = sqlite3.connect(store.path)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE internship SET student_name = '未提交'")
    impatient = open_store(store.path, busy_timeout=0.2)
    try:
        (row,) = impatient.list_records(RecordQuery(form="internship")).rows
        assert row.columns["student_name"] == "张三"
        with pytest.raises(StoreBusyError) as busy:
            impatient.save("internship", None, {"student_name": "李四"}, "li")
        assert busy.value.timeout == 0.2
    finally:
        holder.rollback()
        holder.close()
        impatient.close()
    assert store.count(RecordQuery(form="internship")) == 1

"""Fixtures of the store tests: a file store per test, and hub answers built as the hub sends
them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forms import FormRegistry
from sync.protocol import MutationResult, Outcome, Record
from sync.samples import DEFAULT_TODAY
from sync.store import OutboxEntry, Store


def open_store(path: Path, registry: FormRegistry | None = None, **options: Any) -> Store:
    return Store.open(path, registry or FormRegistry(), today=lambda: DEFAULT_TODAY, **options)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(db_path)
    yield opened
    opened.close()


def hub_record(
    record_id: str,
    rev: int = 1,
    fields: dict[str, Any] | None = None,
    *,
    form: str = "internship",
    status: str = "draft",
    **extra: Any,
) -> Record:
    return Record.model_validate(
        {
            "id": record_id,
            "form": form,
            "form_version": 1,
            "org": "5001030001",
            "county": "500103",
            "rev": rev,
            "status": status,
            "fields": fields if fields is not None else {"student_name": "张三"},
            "updated_at": "2026-11-21T08:00:00Z",
            "updated_by": "hub-user",
            **extra,
        }
    )


def answer(
    entry: OutboxEntry, outcome: Outcome, record: Record | None = None, **extra: Any
) -> MutationResult:
    return MutationResult(
        mutation_id=uuid.UUID(entry.mutation_id),
        record_id=uuid.UUID(entry.record_id),
        outcome=outcome,
        record=record,
        **extra,
    )

"""Stores of the Excel tests: records pulled the way a sync stores them."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forms import FormRegistry
from sync.protocol import Record
from sync.samples import SampleFactory
from sync.store import Store

TODAY = datetime.date(2026, 11, 21)
SCHOOLS = ("5001030001", "5001030002")
FLAVOURS = {
    "internship": ("valid", "warning", "draft"),
    "teacher_placement": ("valid", "draft"),
    "training_base": ("valid", "warning", "draft"),
}


def open_store(path: Path) -> Store:
    return Store.open(path, FormRegistry(), today=lambda: TODAY)


def pulled(form: str, fields: dict[str, Any], org: str, status: str = "submitted") -> Record:
    return Record.model_validate(
        {
            "id": str(uuid.uuid4()),
            "form": form,
            "form_version": 1,
            "org": org,
            "county": "500103",
            "rev": 1,
            "status": status,
            "fields": fields,
            "updated_at": "2026-11-01T08:30:00Z",
            "updated_by": "hub",
        }
    )


def fill(store: Store, per_form: int, seed: int = 5) -> None:
    """`per_form` generated records of each form, spread over two schools and every flavour
    the form has that the import takes in."""
    factory = SampleFactory(seed=seed, today=TODAY)
    for form, flavours in FLAVOURS.items():
        page = [
            pulled(form, factory.fields(form, flavours[n % len(flavours)]), SCHOOLS[n % 2])
            for n in range(per_form)
        ]
        store.apply_pull_page(page, cursor=form)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "county.db")
    yield opened
    opened.close()


@pytest.fixture
def filled(store: Store) -> Store:
    fill(store, 30)
    return store

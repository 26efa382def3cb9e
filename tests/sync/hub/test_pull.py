"""GET /sync/pull: scope, change order, paging and the cursor."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from sync.hub.pull import BadCursor, decode_cursor, encode_cursor
from sync.hub.push import BatchApplier, prepare
from sync.hub.service import Hub
from sync.protocol import MUTATION_ADAPTER
from tests.sync.hub.conftest import COUNTY, PG_ENV, S1, S2, Api, edit, new_id, op, save


def ids(records: list[dict[str, object]]) -> list[object]:
    return [r["id"] for r in records]


def test_each_role_sees_exactly_its_scope(api: Api) -> None:
    draft1 = api.create("school1")
    submitted1 = api.submitted("school1")
    draft2 = api.create("school2")
    submitted2 = api.submitted("school2")
    county_own = api.create("county")
    other_county = api.submitted("school3")

    assert set(ids(api.pull_all("school1"))) == {draft1["id"], submitted1["id"]}
    assert set(ids(api.pull_all("school2"))) == {draft2["id"], submitted2["id"]}
    assert set(ids(api.pull_all("county"))) == {
        submitted1["id"],
        submitted2["id"],
        county_own["id"],
    }
    assert set(ids(api.pull_all("county2"))) == {other_county["id"]}
    assert len(api.pull_all("admin")) == 6
    for record in api.pull_all("county"):
        assert record["county"] == COUNTY
        assert record["org"] in (S1, S2, COUNTY)


def test_records_come_in_change_order_once_each_in_their_latest_state(api: Api) -> None:
    first = api.create()
    second = api.create()
    third = api.create()
    api.push("school1", edit(first, class_name="changed"))
    records = api.pull_all("school1")
    assert ids(records) == [second["id"], third["id"], first["id"]]
    assert records[-1]["rev"] == 2
    assert records[-1]["fields"]["class_name"] == "changed"


def test_paging_with_the_cursor(api: Api) -> None:
    made = [api.create()["id"] for _ in range(5)]
    page = api.pull("school1", limit=2)
    assert (ids(page["records"]), page["has_more"]) == (made[:2], True)
    page = api.pull("school1", page["next_cursor"], limit=2)
    assert (ids(page["records"]), page["has_more"]) == (made[2:4], True)
    page = api.pull("school1", page["next_cursor"], limit=2)
    assert (ids(page["records"]), page["has_more"]) == (made[4:], False)
    end = page["next_cursor"]
    nothing = api.pull("school1", end)
    assert nothing == {"records": [], "next_cursor": end, "has_more": False}
    newer = api.create()
    assert ids(api.pull("school1", end)["records"]) == [newer["id"]]


def test_a_county_sees_a_record_once_it_is_submitted_and_its_tombstone(api: Api) -> None:
    draft = api.create("school1")
    start = api.pull("county")["next_cursor"]
    submitted = api.push("school1", op("submit", draft))["record"]
    page = api.pull("county", start)
    assert ids(page["records"]) == [draft["id"]]
    returned = api.push("county", op("review", submitted, decision="return", comment="x"))
    deleted = api.push("school1", op("delete", returned["record"]))["record"]
    tombstone = api.pull("county", page["next_cursor"])["records"]
    assert [(r["id"], r["deleted"]) for r in tombstone] == [(deleted["id"], True)]


def test_pull_checks_its_query(api: Api) -> None:
    headers = api.login("school1")
    for query in ("limit=0", "limit=1001", "limit=x", "cursor=not-a-cursor"):
        answer = api.client.get(f"/api/v1/sync/pull?{query}", headers=headers)
        assert answer.status_code in (400, 422)
        assert answer.json()["error"]["code"] == "invalid_request"
    assert api.pull("school1", limit=1000)["has_more"] is False


def test_the_cursor_round_trips_and_refuses_anything_else() -> None:
    assert decode_cursor(encode_cursor(77, 123456789)) == (77, 123456789)
    assert decode_cursor(None) == decode_cursor("") == (0, 0)
    too_big = encode_cursor(0, 2**63)
    for bad in ("abc", "djE6eA", "!!!", encode_cursor(5, 5)[:-2] + "@@", too_big):
        with pytest.raises(BadCursor):
            decode_cursor(bad)


def test_a_pull_never_skips_a_change_that_commits_late(api: Api, hub: Hub, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("only PostgreSQL commits batches concurrently")
    api.create()
    cursor = api.pull("school1")["next_cursor"]
    caller = hub.auth.caller(api.login("school1")["Authorization"].split()[1])
    assert caller is not None
    slow_save = MUTATION_ADAPTER.validate_python(save(new_id(), api.samples.fields("internship")))
    with hub.db.engine.connect() as slow:
        transaction = slow.begin()
        applier = BatchApplier(
            slow, hub.registry, caller, "2026-11-21T08:00:00Z", date.today(), "zh"
        )
        applier.apply_batch([slow_save], prepare(hub.registry, [slow_save], date.today()))
        applier.flush()  # written, numbered, not yet committed
        later = api.create()  # a younger transaction commits first
        held_back = api.pull("school1", cursor)
        assert held_back["records"] == []
        assert held_back["next_cursor"] == cursor
        transaction.commit()
    both = ids(api.pull("school1", cursor)["records"])
    assert set(both) == {str(slow_save.record_id), later["id"]}


def test_a_long_transaction_in_another_database_holds_no_pull_back(api: Api, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    other_database = os.environ[PG_ENV].replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(other_database, poolclass=NullPool)
    with engine.connect() as elsewhere:
        elsewhere.execute(text("SELECT pg_current_xact_id()"))  # an open transaction with an id
        record = api.create()
        assert ids(api.pull("school1")["records"]) == [record["id"]]
        elsewhere.rollback()
    engine.dispose()

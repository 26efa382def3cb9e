"""A new form version adds columns through a migration, after a backup; nothing is dropped."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from forms import FieldType, FormDefinition, FormRegistry, load_definition
from sync.protocol import RecordStatus
from sync.store import RecordQuery, Store
from sync.store.migrations import _create_internal_tables
from sync.store.queries import revisions
from sync.store.schema import FormTable

from .conftest import hub_record, open_store


def next_version(form: FormDefinition, drop: str | None = None, **field: Any) -> FormDefinition:
    data = form.to_json()
    data["version"] = form.version + 1
    data["fields"] = [f for f in data["fields"] if f["name"] != drop]
    data["fields"].append(field)
    return load_definition(data)


def columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}


def test_version_n_plus_1_adds_columns_keeps_data_and_backs_up_first(db_path: Path) -> None:
    v1 = FormRegistry().get("internship")
    store = open_store(db_path, FormRegistry([v1]))
    saved = store.save("internship", None, {"student_name": "张三", "notes": "旧备注"}, "li")
    store.close()

    v2 = next_version(
        v1,
        drop="notes",
        name="mentor_phone",
        type="phone",
        label={"zh": "指导教师电话", "en": "Mentor phone"},
    )
    store = open_store(db_path, FormRegistry([v1, v2]))
    try:
        assert [p.name for p in store.backups() if "pre-migration" in p.name]
        assert "mentor_phone" in columns(db_path, "internship")
        # The field v2 dropped keeps its column and its value.
        with sqlite3.connect(db_path) as conn:
            (notes,) = conn.execute("SELECT notes FROM internship").fetchone()
        assert notes == "旧备注"
        record = store.get(saved.record_id)
        assert record.fields["student_name"] == "张三"
        store.save(
            "internship",
            saved.record_id,
            {"student_name": "张三", "mentor_phone": "13800138000"},
            "li",
        )
        updated = store.get(saved.record_id)
        assert updated.form_version == 2
        assert updated.fields["mentor_phone"] == "13800138000"
    finally:
        store.close()


def test_add_form_migrates_an_open_store(store: Store) -> None:
    v1 = store.registry.get("teacher_placement")
    v2 = next_version(
        v1, name="certificate", type="text", label={"zh": "证书", "en": "Certificate"}
    )
    store.add_form(v2)
    assert "certificate" in columns(store.path, "teacher_placement")
    saved = store.save("teacher_placement", None, {"certificate": "高级技师"}, "li")
    assert store.get(saved.record_id).fields == {"certificate": "高级技师"}


def test_a_form_added_on_the_sync_threads_store_reaches_the_ui_threads(store: Store) -> None:
    v1 = store.registry.get("internship")
    v2 = next_version(v1, name="mentor", type="text", label={"zh": "导师", "en": "Mentor"})
    other = store.for_thread()  # as the sync thread would hold it
    try:
        other.add_form(v2)
        other.save("internship", None, {"student_name": "张三", "mentor": "王老师"}, "sync")
    finally:
        other.close()
    (row,) = store.list_records(RecordQuery(form="internship")).rows
    assert store.get(row.id).fields["mentor"] == "王老师"


def test_fields_the_hub_sends_that_this_version_lacks_are_kept(store: Store) -> None:
    record = hub_record(
        "6b0f3c1e-6a4c-4b8e-9a57-1d2a3e4f5a6b", fields={"student_name": "张三", "future": 1}
    )
    store.apply_pull_page([record], cursor="c1")
    with sqlite3.connect(store.path) as conn:
        (extra,) = conn.execute("SELECT _extra FROM internship").fetchone()
    assert extra == '{"future": 1}'


def test_history_written_before_field_names_were_shared_reads_the_same(db_path: Path) -> None:
    record_id = "6b0f3c1e-6a4c-4b8e-9a57-1d2a3e4f5a6b"
    before = Migrations("chanjiao_store")
    before(name="0001_internal_tables")(_create_internal_tables)
    db = Database(db_path)
    before.apply(db)
    db.close()
    fields = {"student_name": "张三", "daily_hours": 7.5, "future": None}
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _history VALUES (?, 1, 'internship', 1, 'submitted', 0, ?, "
            "'2026-11-21T08:00:00Z', 'hub', '2026-11-21T08:00:01Z')",
            (record_id, json.dumps(fields, ensure_ascii=False)),
        )
    open_store(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        (revision,) = revisions(conn, record_id)
    assert (revision.rev, revision.fields) == (1, fields)


def test_a_version_another_connection_adds_is_used_without_reopening(db_path: Path) -> None:
    v1 = FormRegistry().get("internship")
    ui = open_store(db_path, FormRegistry([v1]))
    record_id = ui.save("internship", None, {"student_name": "张三"}, "li").record_id
    # The sync thread of another process, or a Store opened with a registry of its own.
    sync = open_store(db_path, FormRegistry([v1]))
    v2 = next_version(
        v1, name="mentor_phone", type="phone", label={"zh": "指导教师电话", "en": "Mentor phone"}
    )
    try:
        sync.add_form(v2)
        fields = {"student_name": "张三", "mentor_phone": "13800138000"}
        ui.save("internship", record_id, fields, "li")
        assert ui.get(record_id).fields == fields
        assert ui.get(record_id).form_version == 2
    finally:
        sync.close()
        ui.close()
    reopened = open_store(db_path, FormRegistry([v1]))  # and the next start has it too
    try:
        assert reopened.registry.get("internship").version == 2
    finally:
        reopened.close()


def _index_shapes(path: Path, table: str) -> dict[str, tuple[Any, ...]]:
    """Each index of the table: whether partial, and its columns (expressions as None)."""
    with sqlite3.connect(path) as conn:
        return {
            name: (
                partial,
                tuple(
                    (row[1], row[2], row[3])
                    for row in conn.execute(f'PRAGMA index_xinfo("{name}")')
                    if row[5]  # key columns, not the rowid
                ),
            )
            for _, name, _, _, partial in conn.execute(f'PRAGMA index_list("{table}")')
        }


def test_a_store_with_the_first_list_indexes_is_given_the_new_ones(db_path: Path) -> None:
    fresh = db_path.with_name("fresh.db")
    open_store(fresh).close()
    store = open_store(db_path)
    saved = store.save("internship", None, {"student_name": "张三"}, "li").record_id
    pulled = str(uuid.uuid4())
    store.apply_pull_page([hub_record(pulled, status="submitted")], cursor="c1")
    store.index_pending()
    forms = [FormTable(form) for form in store.registry.latest()]
    store.close()
    # Back to the indexes 0001_internal_tables to 0004 left.
    with sqlite3.connect(db_path) as conn:
        for table in forms:
            for index in table.list_indexes:
                conn.execute(f'DROP INDEX "{index}"')
            for columns in ("", "_status, ", "_org, "):
                prefix = columns.replace("_", "").replace(", ", "__")
                conn.execute(
                    f'CREATE INDEX "idx_{table.name}__{prefix}updated_at__id__deleted" '
                    f'ON "{table.name}" ({columns}_updated_at, _id, _deleted)'
                )
            for field in table.list_columns:
                if field.type is not FieldType.RESIDENT_ID:
                    conn.execute(
                        f'CREATE INDEX "{table.name}__sort_{field.name}" '
                        f'ON "{table.name}" (ifnull("{field.name}", \'\'), _id)'
                    )
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0005_list_indexes'")
    assert _index_shapes(db_path, "internship") != _index_shapes(fresh, "internship")

    store = open_store(db_path)
    try:
        assert [p.name for p in store.backups() if "pre-migration" in p.name]
        for table in forms:
            assert _index_shapes(db_path, table.name) == _index_shapes(fresh, table.name)
        submitted = RecordQuery(form="internship", statuses=(RecordStatus.SUBMITTED,))
        assert [row.id for row in store.list_records(submitted).rows] == [pulled]
        by_name = RecordQuery(form="internship", sort="student_name")
        assert {row.id for row in store.list_records(by_name).rows} == {saved, pulled}
    finally:
        store.close()


def test_batches_taken_before_the_batch_tables_keep_their_keys_and_entries(db_path: Path) -> None:
    store = open_store(db_path)
    names = ["张三", "李四", "王五", "赵六"]
    record_ids = [
        store.save("internship", None, {"student_name": n}, "li").record_id for n in names
    ]
    store.save("internship", record_ids[0], {"student_name": "张三丰"}, "li")
    store.save("internship", record_ids[3], {"student_name": "赵七"}, "li")
    first = store.next_batch(limit=2)
    second = store.next_batch(limit=1, in_flight=[first.key] if first else [])
    assert first is not None and second is not None
    store.close()
    # Back to the outbox as 0001_internal_tables made it: the batch key in each entry's row.
    with sqlite3.connect(db_path) as conn:
        (top,) = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = '_outbox'").fetchone()
        conn.execute("ALTER TABLE _outbox ADD COLUMN batch_key TEXT")
        conn.execute(
            "UPDATE _outbox SET batch_key = (SELECT b.key FROM _taken AS t "
            "JOIN _batches AS b ON b.id = t.batch WHERE t.seq = _outbox.seq)"
        )
        conn.execute("CREATE INDEX _outbox_batch ON _outbox (batch_key)")
        conn.execute("DROP TABLE _taken")
        conn.execute("DROP TABLE _batches")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0006_outbox_batches'")
        # The newest entry, never taken, goes (as a delete of a never-sent record does): the
        # numbering is past the last entry left.
        conn.execute("DELETE FROM _outbox WHERE seq = ?", (top,))
    store = open_store(db_path)
    try:
        assert columns(db_path, "_outbox") == {
            "seq", "mutation_id", "record_id", "op", "base_rev", "payload", "created_at",
            "updated_at",
        }  # fmt: skip
        assert store.next_batch(limit=2) == first
        assert store.next_batch(limit=2, in_flight=[first.key]) == second
        # The rest stays queued, and new entries are numbered after every earlier one.
        store.save("internship", None, {"student_name": "孙八"}, "li")
        with sqlite3.connect(db_path) as conn:
            seqs = [seq for (seq,) in conn.execute("SELECT seq FROM _outbox ORDER BY seq")]
        assert seqs[-1] > top
        third = store.next_batch(in_flight=[first.key, second.key])
        assert third is not None
        assert {e.seq for e in third.entries}.isdisjoint(
            {e.seq for e in first.entries + second.entries}
        )
        assert len(third.entries) + len(first.entries) + len(second.entries) == len(seqs)
    finally:
        store.close()


def test_the_merge_base_of_a_record_pulled_before_a_new_version_keeps_its_fields(
    db_path: Path,
) -> None:
    v1 = FormRegistry().get("internship")
    store = open_store(db_path, FormRegistry([v1]))
    record_id = str(uuid.uuid4())
    pulled = {"student_name": "张三", "notes": "旧备注"}
    store.apply_pull_page([hub_record(record_id, fields=pulled)], cursor="c1")
    # The next version drops a field; the record is still the hub's version 1 until edited.
    store.add_form(
        next_version(v1, drop="notes", name="mentor", type="text", label={"zh": "导师", "en": "M"})
    )
    try:
        assert [r.fields for r in store.history(record_id).revisions] == [pulled]
        store.save("internship", record_id, {"student_name": "张三丰"}, "li")
        (base,) = store.history(record_id).revisions
        assert (base.rev, base.fields) == (1, pulled)
    finally:
        store.close()


def test_list_indexes_named_as_the_first_0005_named_them_are_renamed(db_path: Path) -> None:
    fresh = db_path.with_name("fresh.db")
    open_store(fresh).close()
    store = open_store(db_path)
    store.save("internship", None, {"student_name": "张三"}, "li")
    store.close()
    with sqlite3.connect(db_path) as conn:
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE '%.%'"
        ).fetchall():
            conn.execute(f'DROP INDEX "{name}"')
            conn.execute(sql.replace(f'"{name}"', f'"{name.replace(".", "__")}"', 1))
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0008_list_index_names'")
    assert _index_shapes(db_path, "internship") != _index_shapes(fresh, "internship")
    open_store(db_path).close()
    assert _index_shapes(db_path, "internship") == _index_shapes(fresh, "internship")


def test_a_repeat_group_may_be_named_as_a_list_index_is(store: Store) -> None:
    v1 = store.registry.get("training_base")
    group: dict[str, Any] = {
        "name": "attention",
        "type": "repeat",
        "label": {"zh": "注意事项", "en": "Points of attention"},
        "fields": [{"name": "point", "type": "text", "label": {"zh": "事项", "en": "Point"}}],
    }
    store.add_form(next_version(v1, **group))
    fields = {"attention": [{"_row": str(uuid.uuid4()), "point": "安全帽"}]}
    saved = store.save("training_base", None, fields, "li")
    assert store.get(saved.record_id).fields["attention"][0]["point"] == "安全帽"


def _partners(seed: int) -> dict[str, Any]:
    from sync.samples import SampleFactory

    fields = SampleFactory(seed=seed).fields("training_base")
    assert fields["partners"], "a training base with repeat rows"
    return fields


def test_two_records_may_share_repeat_row_ids(store: Store) -> None:
    # Row ids are chosen by each record's creator: two records may hold the same ones (a
    # record copied, a device's ids reused), pulled or saved here.
    fields = _partners(4)
    pulled = [str(uuid.uuid4()), str(uuid.uuid4())]
    store.apply_pull_page(
        [hub_record(record_id, fields=fields, form="training_base") for record_id in pulled], "c1"
    )
    saved = [store.save("training_base", None, fields, "li").record_id for _ in range(2)]
    for record_id in pulled + saved:
        assert store.get(record_id).fields["partners"] == store.get(pulled[0]).fields["partners"]
    store.save("training_base", saved[0], fields | {"partners": fields["partners"][:1]}, "li")
    assert len(store.get(saved[0]).fields["partners"]) == 1
    assert store.get(saved[1]).fields["partners"] == store.get(pulled[1]).fields["partners"]


def test_repeat_rows_keyed_by_row_alone_are_keyed_by_record_and_row(db_path: Path) -> None:
    store = open_store(db_path)
    fields = _partners(4)
    record_id = store.save("training_base", None, fields, "li").record_id
    kept = store.get(record_id).fields
    store.close()
    child = FormTable(store.registry.get("training_base")).child_table(
        store.registry.get("training_base").field("partners")
    )
    # Back to the child tables as the form migrations made them before 0009.
    with sqlite3.connect(db_path) as conn:
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (child,)
        ).fetchone()
        old = sql.replace("_row TEXT NOT NULL", "_row TEXT PRIMARY KEY").replace(
            ", PRIMARY KEY (_record, _row)", ""
        )
        assert old != sql
        conn.execute(f'ALTER TABLE "{child}" RENAME TO old_rows')
        conn.execute(old)
        conn.execute(f'INSERT INTO "{child}" SELECT * FROM old_rows')
        conn.execute("DROP TABLE old_rows")
        conn.execute(f'CREATE INDEX "{child}_rec" ON "{child}" (_record, _position)')
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0009_child_rows_per_record'")
    store = open_store(db_path)
    try:
        assert [p.name for p in store.backups() if "pre-migration" in p.name]
        assert store.get(record_id).fields == kept
        with sqlite3.connect(db_path) as conn:
            keyed = {row[1]: row[5] for row in conn.execute(f'PRAGMA table_info("{child}")')}
            indexes = {row[1] for row in conn.execute(f'PRAGMA index_list("{child}")')}
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert (keyed["_record"], keyed["_row"]) == (1, 2)
        assert f"{child}_rec" in indexes
        other = store.save("training_base", None, fields, "li").record_id
        assert store.get(other).fields["partners"] == kept["partners"]
    finally:
        store.close()


def test_records_written_to_the_records_table_before_0010_are_found_by_id(db_path: Path) -> None:
    store = open_store(db_path)
    saved = store.save("internship", None, {"student_name": "张三"}, "li").record_id
    store.close()
    # Back to the `_records` table that stores before 0010 wrote with every new record.
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP VIEW _records")
        conn.execute(
            "CREATE TABLE _records (id TEXT PRIMARY KEY, form TEXT NOT NULL) WITHOUT ROWID"
        )
        conn.execute("INSERT INTO _records (id, form) VALUES (?, 'internship')", (saved,))
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0010_records_from_form_tables'")
    store = open_store(db_path)
    try:
        assert [p.name for p in store.backups() if "pre-migration" in p.name]
        assert store.get(saved).fields == {"student_name": "张三"}
        pulled = str(uuid.uuid4())
        store.apply_pull_page([hub_record(pulled, fields={"student_name": "李四"})], "c1")
        store.delete(pulled, "li")
        # A form the store did not have: its table joins the view.
        data = store.registry.get("teacher_placement").to_json()
        data["id"] = "visit"
        store.add_form(load_definition(data))
        visit = store.save("visit", None, {"person_name": "王五"}, "li").record_id
        assert store.get(visit).fields == {"person_name": "王五"}
        with sqlite3.connect(db_path) as conn:
            found = set(conn.execute("SELECT id, form FROM _records"))
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert found == {(saved, "internship"), (pulled, "internship"), (visit, "visit")}
    finally:
        store.close()

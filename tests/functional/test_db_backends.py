"""The database layer on every backend minova supports.

Each test runs on SQLite, MariaDB (PyMySQL) and PostgreSQL (psycopg), on
a database created for it and dropped after (see tests/backends.py).
"""

from __future__ import annotations

import eventlet
import pytest
import sqlalchemy as sa
from alembic import autogenerate
from alembic import migration as alembic_migration

from minova import exception
from minova.db import api as db_api
from minova.db import flavor_extras as db_flavor_extras
from minova.db import flavors as db_flavors
from minova.db import images as db_images
from minova.db import migration
from minova.db import models
from minova.db import services as db_services
from tests import backends

pytestmark = pytest.mark.backends("db")

CONDUCTOR = {"host": "h1", "binary": "minova-conductor",
             "topic": "conductor"}


def test_the_database_is_on_the_backend_asked_for(db, db_backend):
    dialect = {"mariadb": "mysql"}.get(db_backend, db_backend)
    assert db.engine.dialect.name == dialect
    with db.session() as session:
        assert session.execute(sa.text("SELECT 1")).scalar() == 1


def test_create_read_update_destroy(db):
    row = db_services.create(db, dict(CONDUCTOR, report_count=0))
    assert db_services.get(db, row.id).host == "h1"
    assert db_services.get_by_host_and_binary(
        db, "h1", "minova-conductor").id == row.id
    db_services.update(db, row.id, {"disabled": True,
                                    "disabled_reason": "maintenance"})
    updated = db_services.get(db, row.id)
    assert updated.disabled is True
    assert updated.disabled_reason == "maintenance"
    db_services.destroy(db, row.id)
    with pytest.raises(exception.ServiceNotFound):
        db_services.get(db, row.id)
    with pytest.raises(exception.HostBinaryNotFound):
        db_services.get_by_host_and_binary(db, "h1", "minova-conductor")
    assert db_services.get_all(db) == []


def test_host_and_binary_are_unique_among_live_rows(db):
    db_services.create(db, dict(CONDUCTOR))
    with pytest.raises(exception.ServiceExists):
        db_services.create(db, dict(CONDUCTOR))
    db_services.create(db, dict(CONDUCTOR, host="h2"))
    assert [row.host for row in db_services.get_all(
        db, binary="minova-conductor")] == ["h1", "h2"]


def test_a_soft_deleted_row_frees_its_host_and_binary(db):
    first = db_services.create(db, dict(CONDUCTOR))
    db_services.destroy(db, first.id)
    second = db_services.create(db, dict(CONDUCTOR))
    assert second.id != first.id
    assert [row.id for row in db_services.get_all(db)] == [second.id]
    # The deleted one is still there for the record, marked with its id.
    with db.session() as session:
        deleted = session.scalar(sa.select(models.Service.deleted).where(
            models.Service.id == first.id))
    assert deleted == first.id


def test_concurrent_heartbeats_are_all_counted(db):
    row = db_services.create(db, dict(CONDUCTOR, report_count=0))
    beats = [eventlet.spawn(db_services.heartbeat, db, row.id)
             for _ in range(10)]
    for beat in beats:
        beat.wait()
    after = db_services.get(db, row.id)
    assert after.report_count == 10
    assert after.updated_at is not None
    assert after.last_seen_up is not None


def test_heartbeat_of_a_deleted_service_is_not_found(db):
    row = db_services.create(db, dict(CONDUCTOR))
    db_services.destroy(db, row.id)
    with pytest.raises(exception.ServiceNotFound):
        db_services.heartbeat(db, row.id)


def test_migrations_and_the_models_give_one_schema(db_url, db_backend,
                                                  tmp_path):
    """What ``minova-manage db sync`` makes (every migration) and what a
    first start makes of an empty database (the models, stamped) are the
    same schema and rows, on each database; syncing again changes
    nothing."""
    migrated = db_api.Database(db_url)
    try:
        head = migration.head_version()
        assert migration.db_sync(migrated) == head
        assert migration.db_sync(migrated) == head
        with migrated.engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection, opts={"compare_type": True})
            assert autogenerate.compare_metadata(
                context, models.Base.metadata) == []
        (tmp_path / "created").mkdir()
        with backends.database(db_backend,
                               str(tmp_path / "created")) as created_url:
            created = db_api.Database(created_url)
            try:
                assert migration.ensure_schema(created) == head
                assert (backends.schema_and_rows(created)
                        == backends.schema_and_rows(migrated))
            finally:
                created.dispose()
    finally:
        migrated.dispose()


def test_list_reads_filter_order_and_page(db):
    """The list statements are built once with bound parameters (filters,
    LIMIT) and run on a plain connection: the same rows on every
    backend."""
    db_services.create(db, dict(CONDUCTOR, report_count=0))
    db_services.create(db, {"host": "h2", "binary": "minova-compute",
                            "topic": "compute", "report_count": 0})
    assert [r.host for r in db_services.get_all(db)] == ["h1", "h2"]
    assert [r.host for r in db_services.get_all(
        db, binary="minova-compute")] == ["h2"]
    assert db_services.get_all(db, host="h1", binary="minova-compute") \
        == []

    db_flavors.ensure_defaults(db)
    first = db_flavors.get_all(db, limit=2)
    assert [r.flavorid for r in first] == ["1", "2"]
    after = db_flavors.get_all(db, limit=2, marker="2")
    assert [r.flavorid for r in after] == ["3", "4"]
    big = db_flavors.get_all(db, min_memory_mb=4096, sort_key="memory_mb",
                             sort_dir="desc")
    assert [r.memory_mb for r in big] == [16384, 8192, 4096]
    assert db_flavors.get_all(db, is_public=False) == []
    assert db_flavors.get_all(db, limit=0) == []


def test_a_boots_flavor_and_image_are_read_with_their_specs_and_tags(db):
    # Each is one query with an outer join: a row per spec or tag, or one
    # row with none.
    db_flavors.ensure_defaults(db)
    plain, specs = db_flavors.get_with_specs(db, "1")
    assert (plain.name, specs) == ("m1.tiny", {})
    db_flavor_extras.update_specs(db, plain.id, {"hw:cpu_policy": "shared",
                                                 "aggregate:ssd": "true"})
    row, specs = db_flavors.get_with_specs(db, "1")
    assert row.memory_mb == 512
    assert specs == {"aggregate:ssd": "true", "hw:cpu_policy": "shared"}
    with pytest.raises(exception.FlavorNotFound):
        db_flavors.get_with_specs(db, "no-such-flavor")

    base = {"status": "active", "disk_format": "raw",
            "container_format": "bare", "min_disk": 0, "min_ram": 0}
    db_images.create(db, dict(base, id="11111111-1111-1111-1111-111111111111",
                              name="tagged", visibility="private",
                              owner="p1"), tags=["b", "a"])
    db_images.create(db, dict(base, id="22222222-2222-2222-2222-222222222222",
                              name="bare", visibility="public", owner="p1"))
    tagged = db_images.get(db, "11111111-1111-1111-1111-111111111111",
                           project_id="p1", is_admin=False)
    assert (tagged["name"], tagged["tags"]) == ("tagged", ["a", "b"])
    assert db_images.get(db, "22222222-2222-2222-2222-222222222222",
                         project_id="p2", is_admin=False)["tags"] == []
    with pytest.raises(exception.ImageNotFound):
        db_images.get(db, "11111111-1111-1111-1111-111111111111",
                      project_id="p2", is_admin=False)
    assert db_images.get(db, "11111111-1111-1111-1111-111111111111",
                         project_id="p2", is_admin=True)["owner"] == "p1"


def test_query_functions_in_one_transaction_commit_or_roll_back_together(db):
    # Database.transaction: each function's session, reader or writer
    # joins the one transaction, and sees what the others wrote in it.
    with db.transaction() as tx:
        row = db_services.create(tx, dict(CONDUCTOR))          # session
        db_services.heartbeat_many(tx, [row.id])               # writer
        assert [r.id for r in db_services.get_all(tx)] == [row.id]  # reader
        assert db_services.get(tx, row.id).report_count == 1
    assert db_services.get(db, row.id).report_count == 1
    with pytest.raises(RuntimeError), db.transaction() as tx:
        db_services.update(tx, row.id, {"disabled": True})
        db_services.heartbeat_many(tx, [row.id])
        assert db_services.get(tx, row.id).disabled is True
        raise RuntimeError("the step failed")
    after = db_services.get(db, row.id)
    assert (after.disabled, after.report_count) == (False, 1)

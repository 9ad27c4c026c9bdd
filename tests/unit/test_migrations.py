"""Schema migrations and the minova-manage commands around them."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from alembic import autogenerate
from alembic import migration as alembic_migration
from oslo_utils import timeutils

from minova.db import api as db_api
from minova.db import migration
from minova.db import models
from minova.db import services as db_services
from tests import backends

MANAGE = os.path.join(os.path.dirname(sys.executable), "minova-manage")


@pytest.fixture
def database(tmp_path):
    db = db_api.Database("sqlite:///%s/minova.sqlite" % tmp_path)
    yield db
    db.dispose()


def test_empty_database_has_no_version(database):
    assert migration.db_version(database) is None
    assert migration.head_version() is not None


def test_sync_twice_is_idempotent_and_keeps_data(database):
    head = migration.head_version()
    assert migration.db_sync(database) == head
    db_services.create(database, {"host": "h", "binary": "minova-x",
                                  "topic": "x"})
    tables = set(sa.inspect(database.engine).get_table_names())
    assert migration.db_sync(database) == head
    assert set(sa.inspect(database.engine).get_table_names()) == tables
    [row] = db_services.get_all(database)
    assert (row.host, row.binary) == ("h", "minova-x")


def test_models_and_migrations_agree(database):
    migration.db_sync(database)
    with database.engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(
            connection, opts={"compare_type": True,
                              "compare_server_default": True})
        diff = autogenerate.compare_metadata(context, models.Base.metadata)
    assert diff == [], "models and migrations differ; add a migration"


def test_migrations_create_every_model_table(database):
    migration.db_sync(database)
    tables = set(sa.inspect(database.engine).get_table_names())
    assert set(models.Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_head_is_the_newest_migration():
    assert migration.HEAD == migration.head_version()


def test_creating_from_the_models_equals_running_every_migration(tmp_path):
    migrated = db_api.Database("sqlite:///%s/migrated.sqlite" % tmp_path)
    created = db_api.Database("sqlite:///%s/created.sqlite" % tmp_path)
    try:
        migration.db_sync(migrated)
        assert migration.ensure_schema(created) == migration.HEAD
        assert (backends.schema_and_rows(created)
                == backends.schema_and_rows(migrated))
        # Alembic takes the stamped database as being at head.
        assert migration.db_sync(created) == migration.HEAD
    finally:
        migrated.dispose()
        created.dispose()


def test_ensure_schema_upgrades_an_older_database(database):
    migration.db_sync(database, "0001")
    assert migration.ensure_schema(database) == migration.HEAD
    assert set(models.Base.metadata.tables) <= set(
        sa.inspect(database.engine).get_table_names())


def test_ensure_schema_refuses_a_database_of_something_else(database):
    """Tables but no version: not minova's, or made by hand. Left to the
    migrations, which fail on the existing table rather than stamping a
    database whose schema nobody knows."""
    with database.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE services (id INTEGER)"))
    with pytest.raises(sa.exc.OperationalError):
        migration.ensure_schema(database)


def test_first_start_does_not_import_alembic(tmp_path):
    """What keeps minova-all's first start cheap (docs/performance.md)."""
    code = ("import sys\n"
            "from minova.db import api, migration\n"
            "db = api.Database('sqlite:///%s/m.sqlite')\n"
            "migration.ensure_schema(db)\n"
            "migration.ensure_schema(db)\n"
            "print(sorted(m for m in sys.modules if m.startswith('alembic')))"
            % tmp_path)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"


# minova-manage, as an operator runs it ------------------------------------

@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "minova.conf"
    path.write_text(
        "[DEFAULT]\nstate_path = %(tmp)s\nservice_down_time = 60\n"
        "[database]\nconnection = sqlite:///%(tmp)s/minova.sqlite\n"
        % {"tmp": tmp_path})
    return path


def _manage(config_file, *args, check=True):
    result = subprocess.run([MANAGE, "--config-file", str(config_file),
                             *args], capture_output=True, text=True,
                            timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
def test_manage_db_sync_and_version(config_file, database):
    assert _manage(config_file, "db", "version").stdout.strip() == \
        "None (empty database)"
    head = migration.head_version()
    first = _manage(config_file, "db", "sync").stdout
    assert first.startswith("Database is at revision %s" % head)
    second = _manage(config_file, "db", "sync").stdout
    assert second.startswith("Database is at revision %s" % head)
    assert _manage(config_file, "db", "version").stdout.strip() == head
    assert migration.db_version(database) == head


@pytest.mark.slow
def test_manage_service_list_and_delete(config_file, database):
    _manage(config_file, "db", "sync")
    now = timeutils.utcnow()
    up = db_services.create(database, {"host": "node1",
                                       "binary": "minova-compute",
                                       "topic": "compute"})
    db_services.heartbeat(database, up.id)
    stale = db_services.create(database, {
        "host": "node2", "binary": "minova-compute", "topic": "compute",
        "disabled": True, "disabled_reason": "broken"})
    db_services.update(database, stale.id, {
        "updated_at": now - datetime.timedelta(seconds=600)})

    lines = _manage(config_file, "service", "list").stdout.splitlines()
    assert lines[0].split() == ["Id", "Binary", "Host", "Status", "State",
                                "Updated", "At", "Forced", "down"]
    rows = {line.split()[2]: line.split() for line in lines[1:]}
    assert set(rows) == {"node1", "node2"}
    assert rows["node1"][:5] == [str(up.id), "minova-compute", "node1",
                                 "enabled", "up"]
    assert rows["node2"][:5] == [str(stale.id), "minova-compute", "node2",
                                 "disabled", "down"]
    assert rows["node1"][-1] == "False"

    result = _manage(config_file, "service", "delete", str(stale.id))
    assert result.stdout.strip() == "Deleted service %d" % stale.id
    assert [row.host for row in db_services.get_all(database)] == ["node1"]
    result = _manage(config_file, "service", "delete", str(stale.id),
                     check=False)
    assert result.returncode == 1
    assert "Service %d could not be found" % stale.id in result.stderr



def test_0002_adds_the_quota_tables_to_a_database_with_servers(database):
    migration.db_sync(database, "0001")
    # The columns 0001 has, not today's model (later migrations add some).
    table = sa.table("instances", *[sa.column(name) for name in (
        "uuid", "project_id", "memory_mb", "vcpus", "root_gb",
        "ephemeral_gb", "power_state", "deleted")])
    with database.engine.begin() as connection:
        connection.execute(sa.insert(table), {
            "uuid": "u1", "project_id": "p1", "memory_mb": 512, "vcpus": 1,
            "root_gb": 1, "ephemeral_gb": 0, "power_state": 0,
            "deleted": 0})
    assert migration.db_sync(database, "0002") == "0002"
    tables = set(sa.inspect(database.engine).get_table_names())
    assert {"quotas", "quota_classes", "quota_locks",
            "idempotency_keys"} <= tables
    with database.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(
            models.Instance.__table__)).scalar() == 1


def test_0003_indexes_the_fixed_ips_of_existing_instances(database):
    migration.db_sync(database, "0001")
    table = sa.table("instances", sa.column("uuid"), sa.column("deleted"),
                     sa.column("network_info", sa.JSON),
                     *[sa.column(name) for name in (
                         "memory_mb", "vcpus", "root_gb", "ephemeral_gb",
                         "power_state")])
    rows = [("live", 0, [{"address": "10.0.0.2", "type": "fixed"}]),
            ("unbuilt", 0, None),
            ("deleted", 7, [{"address": "10.0.0.3", "type": "fixed"}])]
    with database.engine.begin() as connection:
        for uuid, deleted, network_info in rows:
            connection.execute(table.insert().values(
                uuid=uuid, deleted=deleted, network_info=network_info,
                memory_mb=1, vcpus=1, root_gb=1, ephemeral_gb=0,
                power_state=0))
    migration.db_sync(database)
    with database.engine.connect() as connection:
        indexed = dict(connection.execute(sa.text(
            "SELECT uuid, fixed_ip FROM instances")).all())
    assert indexed == {"live": "10.0.0.2", "unbuilt": None,
                       "deleted": None}
    indexes = {index["name"]: index["column_names"] for index in
               sa.inspect(database.engine).get_indexes("instances")}
    assert indexes["instances_fixed_ip_deleted_idx"] == ["fixed_ip",
                                                         "deleted"]


def test_0010_keeps_what_older_rows_showed(database):
    """Servers from before 0010 stay pinned to the zone they showed;
    older migrations get a uuid (2.59's marker) and their server's
    owner (2.80)."""
    migration.db_sync(database, "0009")
    with database.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO instances (uuid, user_id, project_id, "
            "availability_zone, deleted, memory_mb, vcpus, root_gb, "
            "ephemeral_gb, power_state) "
            "VALUES ('u1', 'alice', 'p1', 'az1', 0, 1, 1, 1, 0, 0)"))
        for instance in ("u1", "gone"):
            connection.execute(sa.text(
                "INSERT INTO migrations (instance_uuid, status) "
                "VALUES (:uuid, 'confirmed')"), {"uuid": instance})
    migration.db_sync(database)
    with database.engine.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT pinned_availability_zone, user_data FROM instances")
        ).all() == [("az1", None)]
        rows = connection.execute(sa.text(
            "SELECT uuid, user_id, project_id FROM migrations "
            "ORDER BY id")).all()
    assert [row[1:] for row in rows] == [("alice", "p1"), (None, None)]
    assert len({row[0] for row in rows}) == 2 and all(
        len(row[0]) == 36 for row in rows)

"""Instance rows on every backend minova supports (SQLite, MariaDB,
PostgreSQL): the compare-and-swap update returns the row it wrote."""

from __future__ import annotations

import pytest
from oslo_utils import uuidutils

from minova import exception
from minova.db import instances as db_instances

pytestmark = pytest.mark.backends("db")


def _create(db, **values):
    return db_instances.create(db, dict(
        {"uuid": uuidutils.generate_uuid(), "vm_state": "building",
         "task_state": "scheduling", "memory_mb": 512,
         "flavor": {"flavorid": "1"}, "meta": {"role": "web"}}, **values))


def test_create_returns_the_row_as_stored(db):
    row = _create(db, display_name="web-1")
    stored = db_instances.get_by_uuid(db, row.uuid)
    assert row.id == stored.id
    assert (row.display_name, row.meta, row.flavor) == (
        "web-1", {"role": "web"}, {"flavorid": "1"})
    # Defaults the database layer fills in.
    assert (row.deleted, row.power_state, row.vcpus) == (0, 0, 0)
    assert row.created_at == stored.created_at is not None


def test_update_returns_the_row_as_written(db):
    row = _create(db)
    other = _create(db)
    updated = db_instances.update(db, row.uuid,
                                  {"host": "h1", "task_state": "spawning"},
                                  expected_task_state=["scheduling"])
    assert (updated.uuid, updated.id) == (row.uuid, row.id)
    assert (updated.host, updated.task_state) == ("h1", "spawning")
    # Columns the update did not touch come back as stored.
    assert updated.meta == {"role": "web"}
    assert updated.flavor == {"flavorid": "1"}
    stored = db_instances.get_by_uuid(db, row.uuid)
    assert updated.created_at == stored.created_at
    assert updated.updated_at == stored.updated_at is not None
    assert stored.host == "h1"
    assert db_instances.get_by_uuid(db, other.uuid).host is None


def test_update_of_json_columns(db):
    row = _create(db)
    updated = db_instances.update(db, row.uuid, {
        "meta": {"role": "db"},
        "network_info": [{"address": "10.0.0.2", "label": "private"}]})
    assert updated.meta == {"role": "db"}
    stored = db_instances.get_by_uuid(db, row.uuid)
    assert stored.network_info == [{"address": "10.0.0.2",
                                    "label": "private"}]


def test_update_from_another_task_state_changes_nothing(db):
    row = _create(db, task_state="deleting")
    with pytest.raises(exception.UnexpectedTaskStateError):
        db_instances.update(db, row.uuid, {"task_state": "spawning"},
                            expected_task_state=["scheduling"])
    assert db_instances.get_by_uuid(db, row.uuid).task_state == "deleting"
    # None in the expected states matches a row with no task.
    db_instances.update(db, row.uuid, {"task_state": None})
    assert db_instances.update(
        db, row.uuid, {"vm_state": "active"},
        expected_task_state=[None]).vm_state == "active"


def test_update_of_a_deleted_instance_is_not_found(db):
    row = _create(db)
    db_instances.destroy(db, row.uuid)
    with pytest.raises(exception.InstanceNotFound):
        db_instances.update(db, row.uuid, {"task_state": "spawning"},
                            expected_task_state=["scheduling"])
    with pytest.raises(exception.InstanceNotFound):
        db_instances.update(db, row.uuid, {"task_state": None})


# The fixed IP index the metadata API looks instances up by ----------------

def _vif(address, **extra):
    return dict({"address": address, "label": "private", "type": "fixed"},
                **extra)


def test_an_instance_is_found_by_its_fixed_ip_once_built(db):
    row = _create(db)
    _create(db, network_info=[_vif("10.0.0.9")])
    with pytest.raises(exception.InstanceNotFound):
        db_instances.get_by_fixed_ip(db, "10.0.0.2")
    # The build writes network_info; the index follows in that update.
    db_instances.update(db, row.uuid, {"network_info": [_vif("10.0.0.2")]})
    assert db_instances.get_by_fixed_ip(db, "10.0.0.2").uuid == row.uuid
    assert db_instances.get_by_fixed_ip(db, "10.0.0.9").uuid != row.uuid
    # New addresses replace the old; no network, no address.
    db_instances.update(db, row.uuid, {"network_info": [_vif("10.0.0.3")]})
    with pytest.raises(exception.InstanceNotFound):
        db_instances.get_by_fixed_ip(db, "10.0.0.2")
    assert db_instances.get_by_fixed_ip(db, "10.0.0.3").uuid == row.uuid
    db_instances.update(db, row.uuid, {"network_info": []})
    with pytest.raises(exception.InstanceNotFound):
        db_instances.get_by_fixed_ip(db, "10.0.0.3")


def test_a_deleted_instance_leaves_the_fixed_ip_index(db):
    row = _create(db, network_info=[_vif("10.0.0.4")])
    assert db_instances.get_by_fixed_ip(db, "10.0.0.4").uuid == row.uuid
    db_instances.destroy(db, row.uuid)
    with pytest.raises(exception.InstanceNotFound):
        db_instances.get_by_fixed_ip(db, "10.0.0.4")
    # The address may be handed out again, to a new instance.
    again = _create(db, network_info=[_vif("10.0.0.4")])
    assert db_instances.get_by_fixed_ip(db, "10.0.0.4").uuid == again.uuid


def test_the_fixed_ip_is_the_first_fixed_address(db):
    row = _create(db, network_info=[
        _vif("192.0.2.7", type="floating"), _vif("10.0.0.5"),
        _vif("10.0.0.6")])
    assert db_instances.get_by_fixed_ip(db, "10.0.0.5").uuid == row.uuid
    for address in ("192.0.2.7", "10.0.0.6", "x" * 100, ""):
        with pytest.raises(exception.InstanceNotFound):
            db_instances.get_by_fixed_ip(db, address)

"""Boots that nobody finishes (the service handling them stopped) do not
stay in BUILD: the conductor reschedules or fails them, a compute fails
its own half-built instances at start."""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from oslo_utils import timeutils
from oslo_utils import uuidutils

from minova.compute import task_states
from minova.compute import vm_states
from minova.db import models
from minova.objects import compute_node as compute_node_obj
from minova.objects import instance as instance_obj
from tests.compute_fixtures import start_compute
from tests.compute_fixtures import wait_for_state


def _orphan(ctxt, flavor, name="orphan", **values):
    """An instance as the API writes it, whose build request was lost."""
    instance = instance_obj.Instance(ctxt)
    instance.update({
        "uuid": uuidutils.generate_uuid(),
        "display_name": name, "user_id": "alice", "project_id": "demo",
        "image_ref": "cirros", "flavor_id": flavor.id,
        "memory_mb": flavor.memory_mb, "vcpus": flavor.vcpus,
        "root_gb": flavor.root_gb, "ephemeral_gb": flavor.ephemeral_gb,
        "flavor": flavor, "vm_state": vm_states.BUILDING,
        "task_state": task_states.SCHEDULING, "power_state": 0})
    instance.update(values)
    instance.create()
    return instance


def _age(db, uuid, seconds):
    """Move the instance's created_at and updated_at into the past."""
    when = timeutils.utcnow() - datetime.timedelta(seconds=seconds)
    with db.writer() as connection:
        connection.execute(sa.update(models.Instance).where(
            models.Instance.uuid == uuid).values(created_at=when,
                                                 updated_at=when))


def test_stale_build_is_rescheduled_and_goes_active(
        conf, db, conductor, compute, admin_context, tiny_flavor):
    conf.set_override("build_timeout", 30, group="conductor")
    stale = _orphan(admin_context, tiny_flavor, "stale")
    fresh = _orphan(admin_context, tiny_flavor, "fresh")
    _age(db, stale.uuid, 45)
    conductor.periodic_tasks()
    found = wait_for_state(admin_context, stale.uuid, vm_states.ACTIVE)
    assert found.host == "compute1"
    # Younger than build_timeout: maybe still on its way, left alone.
    young = instance_obj.Instance.get_by_uuid(admin_context, fresh.uuid)
    assert (young.vm_state, young.task_state, young.host) == (
        vm_states.BUILDING, task_states.SCHEDULING, None)


def test_build_stale_twice_over_goes_to_error_with_a_fault(
        conf, db, conductor, admin_context, tiny_flavor):
    conf.set_override("build_timeout", 30, group="conductor")
    stale = _orphan(admin_context, tiny_flavor, "very-stale")
    _age(db, stale.uuid, 61)
    conductor.periodic_tasks()
    found = wait_for_state(admin_context, stale.uuid, vm_states.ERROR)
    assert found.host is None
    assert found.fault.message == (
        "Build did not complete within 30 s (the service handling it "
        "stopped); failed")


def test_a_build_that_lands_meanwhile_is_not_clobbered(
        conf, db, conductor, admin_context, tiny_flavor):
    """The compute's compare-and-swap save wins over the healing."""
    conf.set_override("build_timeout", 30, group="conductor")
    stale = _orphan(admin_context, tiny_flavor, "landing")
    _age(db, stale.uuid, 61)
    # What the conductor read, then the compute's save, then the healing.
    seen = instance_obj.Instance.get_by_uuid(admin_context, stale.uuid)
    stale.update({"host": "compute1", "node": "compute1",
                  "task_state": task_states.SPAWNING})
    stale.save(expected_task_state=[task_states.SCHEDULING])
    conductor.manager.compute_task._reschedule(admin_context, seen, 30)
    found = instance_obj.Instance.get_by_uuid(admin_context, stale.uuid)
    assert (found.vm_state, found.task_state, found.host) == (
        vm_states.BUILDING, task_states.SPAWNING, "compute1")


def test_compute_fails_its_half_built_instances_at_start_and_frees_them(
        conf, transport, db, conductor, scheduler, launched,
        admin_context, tiny_flavor):
    half = _orphan(admin_context, tiny_flavor, "half-built",
                   host="compute1", node="compute1",
                   task_state=task_states.SPAWNING)
    start_compute(conf, transport, launched)
    found = wait_for_state(admin_context, half.uuid, vm_states.ERROR)
    assert found.host is None
    assert "restarted during the build" in found.fault.message
    node = compute_node_obj.ComputeNode.get_by_host_and_nodename(
        admin_context, "compute1", "compute1")
    assert (node.vcpus_used, node.memory_mb_used, node.running_vms) == (
        0, 0, 0)

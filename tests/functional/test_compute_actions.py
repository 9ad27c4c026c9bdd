"""Stop, start, reboot and delete through minova.compute.api, and what
minova-compute may not do (touch the database)."""

from __future__ import annotations

import pytest

from minova import context as minova_context
from minova import exception
from minova.compute import power_state
from minova.compute import task_states
from minova.compute import vm_states
from minova.objects import compute_node as compute_node_obj
from minova.objects import instance as instance_obj
from tests.compute_fixtures import start_compute
from tests.compute_fixtures import wait_for_state
from tests.utils import wait_for


@pytest.fixture
def server(compute, compute_api, user_context, tiny_flavor):
    [inst] = compute_api.create(user_context, tiny_flavor, "img", "srv")
    return wait_for_state(user_context, inst.uuid, vm_states.ACTIVE)


def _get(ctxt, uuid):
    return instance_obj.Instance.get_by_uuid(ctxt, uuid)


def test_stop_then_start(compute_api, user_context, server):
    compute_api.stop(user_context, server)
    stopped = wait_for_state(user_context, server.uuid, vm_states.STOPPED)
    assert stopped.power_state == power_state.SHUTDOWN
    compute_api.start(user_context, stopped)
    started = wait_for_state(user_context, server.uuid, vm_states.ACTIVE)
    assert started.power_state == power_state.RUNNING


@pytest.mark.parametrize("action, args, task_state", [
    ("stop", (), task_states.POWERING_OFF),
    ("reboot", ("SOFT",), task_states.REBOOTING),
    ("reboot", ("HARD",), task_states.REBOOTING_HARD),
    ("delete", (), task_states.DELETING),
])
def test_the_api_sets_the_task_then_casts_to_the_host(
        compute_api, user_context, server, monkeypatch, action, args,
        task_state):
    casts = []
    method = "terminate_instance" if action == "delete" else \
        "%s_instance" % action
    monkeypatch.setattr(compute_api.compute_rpcapi, method,
                        lambda ctxt, inst, *rest: casts.append(
                            (inst.host, inst.task_state)))
    getattr(compute_api, action)(user_context, server, *args)
    assert casts == [("compute1", task_state)]
    assert _get(user_context, server.uuid).task_state == task_state


def test_actions_not_allowed_in_the_state_are_409(compute_api, user_context,
                                                  server):
    with pytest.raises(exception.InstanceInvalidState) as info:
        compute_api.start(user_context, server)
    assert info.value.code == 409
    compute_api.stop(user_context, server)
    # The task is still running or done: both forbid another stop.
    with pytest.raises(exception.InstanceInvalidState):
        compute_api.stop(user_context, _get(user_context, server.uuid))
    stopped = wait_for_state(user_context, server.uuid, vm_states.STOPPED)
    with pytest.raises(exception.InstanceInvalidState):
        compute_api.stop(user_context, stopped)
    with pytest.raises(exception.InstanceInvalidState):
        compute_api.reboot(user_context, stopped, "SOFT")


def test_racing_actions_one_wins_the_other_gets_409(compute_api,
                                                    user_context, server):
    """Two requests that both read the instance idle: only one may act."""
    first = _get(user_context, server.uuid)
    second = _get(user_context, server.uuid)
    compute_api.stop(user_context, first)
    with pytest.raises(exception.UnexpectedTaskStateError) as info:
        compute_api.reboot(user_context, second, "SOFT")
    assert info.value.code == 409
    wait_for_state(user_context, server.uuid, vm_states.STOPPED)


def test_soft_and_hard_reboot(compute_api, user_context, server):
    compute_api.reboot(user_context, server, "SOFT")
    active = wait_for_state(user_context, server.uuid, vm_states.ACTIVE)
    compute_api.stop(user_context, active)
    stopped = wait_for_state(user_context, server.uuid, vm_states.STOPPED)
    compute_api.reboot(user_context, stopped, "HARD")
    rebooted = wait_for_state(user_context, server.uuid, vm_states.ACTIVE)
    assert rebooted.power_state == power_state.RUNNING


def test_reboot_type_must_be_soft_or_hard(compute_api, user_context,
                                          server):
    with pytest.raises(exception.ValidationError):
        compute_api.reboot(user_context, server, "GENTLE")


def _node(ctxt, host="compute1"):
    return compute_node_obj.ComputeNode.get_by_host_and_nodename(ctxt, host,
                                                                 host)


def test_delete_frees_the_resources_on_the_node(
        compute, compute_api, user_context, admin_context, tiny_flavor):
    instances = compute_api.create(user_context, tiny_flavor, "img", "d",
                                   max_count=2)
    for inst in instances:
        wait_for_state(user_context, inst.uuid, vm_states.ACTIVE)
    wait_for(lambda: _node(admin_context).running_vms == 2,
             what="two instances counted")
    compute_api.delete(user_context, _get(user_context, instances[0].uuid))
    wait_for(lambda: _node(admin_context).running_vms == 1,
             what="the deleted instance no longer counted")
    node = _node(admin_context)
    assert node.memory_mb_used == 512
    assert node.vcpus_used == 1
    assert node.free_ram_mb == node.memory_mb - 512
    with pytest.raises(exception.InstanceNotFound):
        _get(user_context, instances[0].uuid)
    deleted_ctxt = minova_context.get_admin_context(
        db=admin_context.db, read_deleted="yes")
    gone = _get(deleted_ctxt, instances[0].uuid)
    assert gone.vm_state == vm_states.DELETED
    assert gone.terminated_at is not None
    assert instances[0].uuid not in compute.manager.driver.list_instances()


def test_delete_of_an_unscheduled_instance_is_local(
        scheduler, compute_api, user_context, tiny_flavor):
    """No compute at all: the boot fails without a host, and deleting it
    needs no compute either."""
    [inst] = compute_api.create(user_context, tiny_flavor, "img", "lost")
    failed = wait_for_state(user_context, inst.uuid, vm_states.ERROR)
    assert failed.host is None
    compute_api.delete(user_context, failed)
    with pytest.raises(exception.InstanceNotFound):
        _get(user_context, inst.uuid)


def test_delete_while_its_compute_is_down_is_local(
        compute, compute_api, user_context, admin_context, server):
    service = compute.service_ref
    service.forced_down = True
    service._context = admin_context
    service.save()
    compute_api.delete(user_context, server)
    with pytest.raises(exception.InstanceNotFound):
        _get(user_context, server.uuid)


def test_the_compute_cannot_touch_the_database(compute):
    ctxt = compute.manager._context()
    assert ctxt.db is None
    with pytest.raises(exception.DBNotAllowed):
        instance_obj.InstanceList.get_by_host(ctxt, "compute1")
    with pytest.raises(exception.DBNotAllowed):
        compute_node_obj.ComputeNodeList.get_all(ctxt)


def test_a_boot_works_with_no_database_in_the_compute(
        conf, transport, scheduler, launched, compute_api, user_context,
        tiny_flavor, monkeypatch):
    """Every context the compute handles lacks a database; the instance
    still goes ACTIVE, its saves travelling through the conductor."""
    server = start_compute(conf, transport, launched, host="nodb")
    seen = []
    real = server.manager.build_and_run_instance

    def spy(context, instance, **kwargs):
        seen.append((context.db, instance._context.db,
                     context.indirection_api))
        return real(context, instance, **kwargs)

    monkeypatch.setattr(server.manager, "build_and_run_instance", spy)
    [inst] = compute_api.create(user_context, tiny_flavor, "img", "x")
    active = wait_for_state(user_context, inst.uuid, vm_states.ACTIVE)
    assert active.host == "nodb"
    [(db, instance_db, indirection)] = seen
    assert db is None and instance_db is None
    assert indirection is not None

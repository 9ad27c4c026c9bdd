"""Scheduling: where instances go, and what happens when they cannot."""

from __future__ import annotations

import collections
import datetime

import pytest
from oslo_utils import timeutils

from minova.compute import vm_states
from minova.db import services as db_services
from minova.objects import instance as instance_obj
from minova.virt import fake
from tests.compute_fixtures import start_compute
from tests.utils import wait_for


def _boot(compute_api, ctxt, flavor, count=1, **kwargs):
    instances = compute_api.create(ctxt, flavor, "img", "s",
                                   min_count=count, max_count=count,
                                   **kwargs)
    return [inst.uuid for inst in instances]


def _settled(ctxt, uuids):
    def done():
        found = [instance_obj.Instance.get_by_uuid(
            ctxt, uuid, expected_attrs=["fault"]) for uuid in uuids]
        if all(inst.task_state is None and inst.vm_state in (
                vm_states.ACTIVE, vm_states.ERROR) for inst in found):
            return found
        return None
    return wait_for(done, what="instances active or failed")


def test_no_capacity_puts_the_instance_in_error_with_a_fault(
        conf, compute_api, scheduler, transport, launched, user_context,
        tiny_flavor):
    conf.set_override("memory_mb", 256, group="fake_driver")
    start_compute(conf, transport, launched)
    [uuid] = _boot(compute_api, user_context, tiny_flavor)
    [inst] = _settled(user_context, [uuid])
    assert inst.vm_state == vm_states.ERROR
    assert inst.host is None
    assert inst.fault.code == 500
    assert inst.fault.message.startswith("No valid host was found.")
    assert "RamFilter" in inst.fault.message


def test_a_failed_spawn_is_error_with_the_reason(compute, compute_api,
                                                 user_context, tiny_flavor):
    [uuid] = _boot(compute_api, user_context, tiny_flavor,
                   metadata={fake.SPAWN_ERROR_KEY: "disk on fire"})
    [inst] = _settled(user_context, [uuid])
    assert inst.vm_state == vm_states.ERROR
    assert inst.host is None
    assert "disk on fire" in inst.fault.message
    assert inst.fault.host == "compute1"
    assert compute.manager.rt.claims == {}


def test_two_computes_share_the_load(conf, compute_api, scheduler,
                                     transport, launched, user_context,
                                     tiny_flavor):
    start_compute(conf, transport, launched, host="compute1")
    start_compute(conf, transport, launched, host="compute2")
    uuids = _boot(compute_api, user_context, tiny_flavor, count=6)
    found = _settled(user_context, uuids)
    hosts = collections.Counter(inst.host for inst in found)
    assert hosts == {"compute1": 3, "compute2": 3}


def test_stacking_with_a_negative_ram_weight(conf, compute_api, scheduler,
                                             transport, launched,
                                             user_context, tiny_flavor):
    conf.set_override("ram_weight_multiplier", -1.0,
                      group="filter_scheduler")
    conf.set_override("cpu_weight_multiplier", -1.0,
                      group="filter_scheduler")
    start_compute(conf, transport, launched, host="compute1")
    start_compute(conf, transport, launched, host="compute2")
    uuids = _boot(compute_api, user_context, tiny_flavor, count=4)
    assert len({inst.host for inst in _settled(user_context, uuids)}) == 1


def _disable(admin_context, server, **values):
    service = server.service_ref
    service._context = admin_context
    service.update(values)
    service.save()


@pytest.mark.parametrize("values", [{"disabled": True},
                                    {"forced_down": True}])
def test_a_disabled_or_down_compute_gets_nothing(
        conf, compute_api, scheduler, transport, launched, user_context,
        admin_context, tiny_flavor, values):
    start_compute(conf, transport, launched, host="compute1")
    off = start_compute(conf, transport, launched, host="compute2")
    _disable(admin_context, off, **values)
    uuids = _boot(compute_api, user_context, tiny_flavor, count=3)
    assert {inst.host for inst in _settled(user_context, uuids)} == {
        "compute1"}


def test_a_compute_whose_heartbeat_is_old_gets_nothing(
        conf, db, compute_api, scheduler, transport, launched, user_context,
        tiny_flavor):
    start_compute(conf, transport, launched, host="compute1")
    off = start_compute(conf, transport, launched, host="compute2")
    old = timeutils.utcnow() - datetime.timedelta(
        seconds=conf.service_down_time + 1)
    db_services.update(db, off.service_ref.id, {"updated_at": old})
    uuids = _boot(compute_api, user_context, tiny_flavor, count=3)
    assert {inst.host for inst in _settled(user_context, uuids)} == {
        "compute1"}


def test_concurrent_boots_do_not_overbook(conf, compute_api, scheduler,
                                          transport, launched, user_context,
                                          tiny_flavor):
    """Room for exactly 5 tiny instances; 8 boots racing: 5 fit."""
    conf.set_override("memory_mb", 2048, group="fake_driver")
    conf.set_override("ram_allocation_ratio", 1.25)
    start_compute(conf, transport, launched)
    uuids = []
    for _ in range(8):
        uuids += _boot(compute_api, user_context, tiny_flavor)
    found = _settled(user_context, uuids)
    states = collections.Counter(inst.vm_state for inst in found)
    assert states == {vm_states.ACTIVE: 5, vm_states.ERROR: 3}


def test_availability_zone(conf, compute_api, scheduler, transport,
                           launched, user_context, tiny_flavor):
    conf.set_override("host_availability_zones", {"compute2": "az2"},
                      group="filter_scheduler")
    start_compute(conf, transport, launched, host="compute1")
    start_compute(conf, transport, launched, host="compute2")
    uuids = _boot(compute_api, user_context, tiny_flavor, count=3,
                  availability_zone="az2")
    found = _settled(user_context, uuids)
    assert {(i.host, i.availability_zone) for i in found} == {
        ("compute2", "az2")}
    [elsewhere] = _boot(compute_api, user_context, tiny_flavor,
                        availability_zone="nowhere")
    [inst] = _settled(user_context, [elsewhere])
    assert inst.vm_state == vm_states.ERROR
    assert "AvailabilityZoneFilter" in inst.fault.message


@pytest.mark.parametrize("refresh", [0.0, 0.3])
def test_deleting_makes_room_again(conf, compute_api, scheduler, transport,
                                   launched, user_context, admin_context,
                                   tiny_flavor, refresh):
    """Room for two: a third fails; once one is deleted (and, with a
    cached host view, that view refreshed) a new one fits."""
    conf.set_override("host_state_refresh", refresh, group="scheduler")
    conf.set_override("memory_mb", 1024, group="fake_driver")
    conf.set_override("ram_allocation_ratio", 1.0)
    server = start_compute(conf, transport, launched)
    first = _settled(user_context, _boot(compute_api, user_context,
                                         tiny_flavor, count=2))
    assert {i.vm_state for i in first} == {vm_states.ACTIVE}
    [third] = _settled(user_context, _boot(compute_api, user_context,
                                           tiny_flavor))
    assert third.vm_state == vm_states.ERROR
    compute_api.delete(user_context, first[0])
    wait_for(lambda: len(server.manager.rt.claims) == 1,
             what="the compute to free the room")

    def boots():
        [inst] = _settled(user_context, _boot(compute_api, user_context,
                                              tiny_flavor))
        return inst.vm_state == vm_states.ACTIVE
    wait_for(boots, timeout=5, interval=0.1,
             what="a boot to fit into the freed room")

"""Booting servers through minova.compute.api: conductor, scheduler and a
compute with the fake driver, all in this process."""

from __future__ import annotations

import oslo_messaging as messaging
import pytest

from minova.compute import power_state
from minova.compute import vm_states
from minova.objects import compute_node as compute_node_obj
from minova.objects import instance as instance_obj
from tests.compute_fixtures import wait_for_state
from tests.utils import wait_for


def test_boot_goes_active_with_an_ip(compute, compute_api, user_context,
                                     tiny_flavor):
    [inst] = compute_api.create(user_context, tiny_flavor, "cirros",
                                "My Server", metadata={"k": "v"})
    assert inst.vm_state == vm_states.BUILDING
    assert inst.task_state == "scheduling"
    assert inst.hostname == "my-server"
    assert (inst.project_id, inst.user_id) == ("demo", "alice")
    assert inst.memory_mb == 512 and inst.flavor.name == "m1.tiny"
    active = wait_for_state(user_context, inst.uuid, vm_states.ACTIVE)
    assert active.power_state == power_state.RUNNING
    assert active.host == "compute1" and active.node == "compute1"
    assert active.availability_zone == "nova"
    assert active.launched_at is not None
    assert active.metadata == {"k": "v"}
    [vif] = active.network_info
    assert vif["address"].startswith("10.")


def test_networks_none_gets_no_address(compute, compute_api, user_context,
                                       tiny_flavor):
    [inst] = compute_api.create(user_context, tiny_flavor, "img", "quiet",
                                networks="none")
    active = wait_for_state(user_context, inst.uuid, vm_states.ACTIVE)
    assert active.network_info == []


def test_multi_create_numbers_hostnames(compute, compute_api, user_context,
                                        tiny_flavor):
    instances = compute_api.create(user_context, tiny_flavor, "img", "web",
                                   min_count=3, max_count=3)
    assert sorted(i.hostname for i in instances) == ["web-1", "web-2",
                                                     "web-3"]
    for inst in instances:
        wait_for_state(user_context, inst.uuid, vm_states.ACTIVE)


def test_compute_node_counts_the_instances(compute, compute_api,
                                           user_context, admin_context,
                                           tiny_flavor):
    instances = compute_api.create(user_context, tiny_flavor, "img", "n",
                                   max_count=2)
    for inst in instances:
        wait_for_state(user_context, inst.uuid, vm_states.ACTIVE)

    def node():
        found = compute_node_obj.ComputeNode.get_by_host_and_nodename(
            admin_context, "compute1", "compute1")
        return found if found.running_vms == 2 else None
    found = wait_for(node, what="two running vms on the node")
    assert found.memory_mb_used == 1024
    assert found.vcpus_used == 2
    assert found.local_gb_used == 2
    assert found.free_ram_mb == found.memory_mb - 1024


class _UnreachableConductor:
    def build_instances(self, *args, **kwargs):
        raise messaging.MessagingTimeout("no answer: broker unreachable")


def test_boot_that_cannot_reach_the_conductor_leaves_nothing(
        compute_api, user_context, admin_context, tiny_flavor):
    compute_api.compute_task_api = _UnreachableConductor()
    with pytest.raises(messaging.MessagingTimeout):
        compute_api.create(user_context, tiny_flavor, "cirros", "lost")
    assert len(instance_obj.InstanceList.get_by_filters(
        admin_context, {"project_id": "demo"})) == 0

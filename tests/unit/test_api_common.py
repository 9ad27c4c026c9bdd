"""Nova's status map and the status filter derived from it."""

from __future__ import annotations

import pytest

from minova.api.openstack import common
from minova.compute import task_states
from minova.compute import vm_states


@pytest.mark.parametrize("vm_state, task_state, status", [
    (vm_states.BUILDING, task_states.SCHEDULING, "BUILD"),
    (vm_states.BUILDING, None, "BUILD"),
    (vm_states.ACTIVE, None, "ACTIVE"),
    (vm_states.ACTIVE, task_states.POWERING_OFF, "ACTIVE"),
    (vm_states.ACTIVE, task_states.DELETING, "ACTIVE"),
    (vm_states.ACTIVE, task_states.REBOOTING, "REBOOT"),
    (vm_states.ACTIVE, task_states.REBOOT_PENDING, "REBOOT"),
    (vm_states.ACTIVE, task_states.REBOOT_STARTED, "REBOOT"),
    (vm_states.ACTIVE, task_states.REBOOTING_HARD, "HARD_REBOOT"),
    (vm_states.STOPPED, None, "SHUTOFF"),
    (vm_states.STOPPED, task_states.POWERING_ON, "SHUTOFF"),
    (vm_states.ERROR, None, "ERROR"),
    (vm_states.DELETED, None, "DELETED"),
    (vm_states.PAUSED, None, "PAUSED"),
    (vm_states.SUSPENDED, task_states.RESUMING, "SUSPENDED"),
    (vm_states.ACTIVE, task_states.REBUILDING, "REBUILD"),
    (vm_states.STOPPED, task_states.REBUILD_SPAWNING, "REBUILD"),
    ("shelved", None, "UNKNOWN"),
    (None, None, "UNKNOWN"),
])
def test_status_from_state(vm_state, task_state, status):
    assert common.status_from_state(vm_state, task_state) == status


@pytest.mark.parametrize("status, vm, tasks", [
    ("ACTIVE", [vm_states.ACTIVE], None),
    ("active", [vm_states.ACTIVE], None),
    ("SHUTOFF", [vm_states.STOPPED], None),
    ("REBOOT", [vm_states.ACTIVE], sorted([
        task_states.REBOOTING, task_states.REBOOT_PENDING,
        task_states.REBOOT_STARTED])),
    ("HARD_REBOOT", [vm_states.ACTIVE], [task_states.REBOOTING_HARD]),
    ("SLEEPY", [], []),
])
def test_states_from_status(status, vm, tasks):
    assert common.states_from_status(status) == (vm, tasks)

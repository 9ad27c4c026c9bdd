"""The fake virt driver and the driver loader."""

from __future__ import annotations

import pytest

from minova import exception
from minova.compute import api as compute_api
from minova.compute import power_state
from minova.virt import driver as virt_driver
from minova.virt import fake


class _Instance:
    def __init__(self, uuid, id_, metadata=None, network_info=None):
        self.uuid = uuid
        self.id = id_
        self.metadata = metadata or {}
        self.network_info = network_info


def test_loads_by_name_and_class_path(conf):
    assert isinstance(virt_driver.load_compute_driver(conf, "h"),
                      fake.FakeDriver)
    assert isinstance(virt_driver.load_compute_driver(
        conf, "h", "minova.virt.fake.FakeDriver"), fake.FakeDriver)
    with pytest.raises(exception.VirtDriverNotFound,
                       match="compute_driver"):
        virt_driver.load_compute_driver(conf, "h", "nonesuch")


def test_capacity_comes_from_the_options(conf):
    conf.set_override("vcpus", 8, group="fake_driver")
    conf.set_override("memory_mb", 4096, group="fake_driver")
    conf.set_override("disk_gb", 100, group="fake_driver")
    resources = fake.FakeDriver(conf, "h").get_available_resource("h")
    assert (resources["vcpus"], resources["memory_mb"],
            resources["local_gb"]) == (8, 4096, 100)


def test_lifecycle_and_addresses(conf):
    driver = fake.FakeDriver(conf, "h")
    port = {"address": "10.0.0.7", "label": "private", "type": "fixed"}
    first = _Instance("u1", 1, network_info=[port])
    second = _Instance("u2", 2)
    # The VIFs are the ports the network component made: no address of
    # the driver's own.
    assert driver.spawn(None, first) == [port]
    assert driver.spawn(None, second) == []
    assert sorted(driver.list_instances()) == ["u1", "u2"]
    driver.power_off(None, first)
    assert driver.get_info(first).state == power_state.SHUTDOWN
    with pytest.raises(exception.InstanceInvalidState):
        driver.reboot(None, first, "SOFT")
    driver.reboot(None, first, "HARD")
    assert driver.get_info(first).state == power_state.RUNNING
    driver.destroy(None, first)
    driver.destroy(None, first)  # already gone: no error
    with pytest.raises(exception.InstanceNotFound):
        driver.get_info(first)


def test_spawn_error_from_metadata(conf):
    driver = fake.FakeDriver(conf, "h")
    with pytest.raises(exception.InstanceSpawnFailed, match="boom"):
        driver.spawn(None, _Instance("u", 1, {fake.SPAWN_ERROR_KEY: "boom"}))
    assert driver.list_instances() == []


@pytest.mark.parametrize("name, hostname", [
    ("My Server", "my-server"), ("web_01.example", "web-01-example"),
    ("--x--", "x"), ("ü!", "server"), ("a" * 80, "a" * 63)])
def test_hostname_from_the_display_name(name, hostname):
    assert compute_api.sanitize_hostname(name) == hostname


def test_pause_suspend_and_their_wrong_states(conf):
    driver = fake.FakeDriver(conf, "h")
    inst = _Instance("u1", 1)
    driver.spawn(None, inst)
    driver.pause(None, inst)
    assert driver.get_info(inst).state == power_state.PAUSED
    with pytest.raises(exception.InstanceInvalidState):
        driver.suspend(None, inst)
    driver.unpause(None, inst)
    driver.suspend(None, inst)
    assert driver.get_info(inst).state == power_state.SUSPENDED
    with pytest.raises(exception.InstanceInvalidState):
        driver.unpause(None, inst)
    driver.resume(None, inst)
    assert driver.get_info(inst).state == power_state.RUNNING
    with pytest.raises(exception.InstanceNotFound):
        driver.pause(None, _Instance("missing", 2))


def test_resize_hands_the_instance_over(conf):
    source, dest = fake.FakeDriver(conf, "a"), fake.FakeDriver(conf, "b")
    inst = _Instance("u1", 1)
    source.spawn(None, inst)
    source.migrate_disk_and_power_off(None, inst)
    assert source.list_instances() == []
    dest.finish_migration(None, inst, power_on=False)
    assert dest.get_info(inst).state == power_state.SHUTDOWN
    dest.destroy(None, inst)
    source.finish_revert_migration(None, inst, power_on=True)
    assert source.get_info(inst).state == power_state.RUNNING


def test_rebuild_keeps_it_running_or_fails_as_asked(conf):
    driver = fake.FakeDriver(conf, "h")
    inst = _Instance("u1", 1)
    driver.spawn(None, inst)
    driver.power_off(None, inst)
    driver.rebuild(None, inst, "img")
    assert driver.get_info(inst).state == power_state.RUNNING
    broken = _Instance("u2", 2, {fake.SPAWN_ERROR_KEY: "no disk"})
    with pytest.raises(exception.InstanceSpawnFailed, match="no disk"):
        driver.rebuild(None, broken, "img")

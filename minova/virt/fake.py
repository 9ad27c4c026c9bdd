"""A virt driver whose instances live in memory.

It pretends the host has ``[fake_driver] vcpus/memory_mb/disk_gb`` and
takes ``[fake_driver] spawn_delay`` seconds to spawn. Its "VIFs" are the
ports the network component (``minova.network``) made for the instance
before the build: the driver hands out no addresses of its own.

For testing clients' error handling, an instance booted with the metadata
key ``fake_spawn_error`` fails to spawn with that message.
"""

from __future__ import annotations

import logging
from typing import Any

import eventlet
from oslo_config import cfg

from minova import exception
from minova.compute import power_state
from minova.virt import driver

LOG = logging.getLogger(__name__)

SPAWN_ERROR_KEY = "fake_spawn_error"


class FakeDriver(driver.ComputeDriver):
    """Instances are entries in a dict: uuid -> power state."""

    def __init__(self, conf: cfg.ConfigOpts, host: str) -> None:
        super().__init__(conf, host)
        self.instances: dict[str, int] = {}

    def get_available_resource(self, nodename: str) -> dict:
        opts = self.conf.fake_driver
        return {"vcpus": opts.vcpus, "memory_mb": opts.memory_mb,
                "local_gb": opts.disk_gb, "hypervisor_type": "fake",
                "hypervisor_version": 1, "hypervisor_hostname": nodename,
                "host_ip": self.conf.my_ip}

    def spawn(self, context: Any, instance: Any,
              requested_networks: Any = None) -> list[dict]:
        error = (instance.metadata or {}).get(SPAWN_ERROR_KEY)
        if error:
            raise exception.InstanceSpawnFailed(instance_uuid=instance.uuid,
                                                reason=error)
        if self.conf.fake_driver.spawn_delay:
            eventlet.sleep(self.conf.fake_driver.spawn_delay)
        self.instances[instance.uuid] = power_state.RUNNING
        return list(instance.network_info or [])

    def destroy(self, context: Any, instance: Any) -> None:
        self.instances.pop(instance.uuid, None)

    def _require(self, instance: Any) -> None:
        if instance.uuid not in self.instances:
            raise exception.InstanceNotFound(instance_id=instance.uuid)

    def power_on(self, context: Any, instance: Any) -> None:
        self._require(instance)
        self.instances[instance.uuid] = power_state.RUNNING

    def power_off(self, context: Any, instance: Any) -> None:
        self._require(instance)
        self.instances[instance.uuid] = power_state.SHUTDOWN

    def reboot(self, context: Any, instance: Any, reboot_type: str) -> None:
        self._require(instance)
        if (reboot_type == "SOFT"
                and self.instances[instance.uuid] != power_state.RUNNING):
            raise exception.InstanceInvalidState(
                action="reboot", instance_uuid=instance.uuid,
                attr="power_state", state="shutdown")
        self.instances[instance.uuid] = power_state.RUNNING

    def get_info(self, instance: Any) -> driver.InstanceInfo:
        self._require(instance)
        return driver.InstanceInfo(state=self.instances[instance.uuid],
                                   internal_id=instance.uuid)

    def list_instances(self) -> list[str]:
        return list(self.instances)

"""A virt driver whose instances live in memory.

It pretends the host has ``[fake_driver] vcpus/memory_mb/disk_gb`` and
takes ``[fake_driver] spawn_delay`` seconds to spawn. Its "VIFs" are the
ports the network component (``minova.network``) made for the instance
before the build: the driver hands out no addresses of its own.

For testing clients, builds, stops, starts, reboots and deletes can be
made slow or failing per server (``minova:build_delay``,
``minova:stop_fail``, ``minova:reboot_fail_times``...: see
``minova.virt.fake_script``). The older metadata key ``fake_spawn_error``
still makes a build fail with that message; ``minova:build_fail`` is its
successor.
"""

from __future__ import annotations

import logging
from typing import Any

import eventlet
from oslo_config import cfg

from minova import exception
from minova.compute import power_state
from minova.virt import driver
from minova.virt import fake_script

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
        self._spawn_script(context, instance)
        self.instances[instance.uuid] = power_state.RUNNING
        return list(instance.network_info or [])

    def _spawn_script(self, context: Any, instance: Any) -> None:
        error = (instance.metadata or {}).get(SPAWN_ERROR_KEY)
        if error:
            LOG.warning("Instance %s: the metadata key %s is deprecated; "
                        "use %sbuild_fail instead.", instance.uuid,
                        SPAWN_ERROR_KEY, fake_script.PREFIX)
            raise exception.InstanceSpawnFailed(instance_uuid=instance.uuid,
                                                reason=error)
        if fake_script.applies(instance, "build"):
            self._scripted(context, instance, "build")
        elif self.conf.fake_driver.spawn_delay:
            eventlet.sleep(self.conf.fake_driver.spawn_delay)

    def _scripted(self, context: Any, instance: Any, operation: str) -> None:
        """Wait and fail as the server's script says (off by default)."""
        plan = fake_script.script(self.conf, instance, operation)
        if plan.delay:
            eventlet.sleep(plan.delay)
        error = fake_script.failure(context, instance, operation, plan)
        if error is not None:
            LOG.info("Instance %s: %s fails as scripted: %s", instance.uuid,
                     operation, error.format_message())
            raise error

    def destroy(self, context: Any, instance: Any) -> None:
        if fake_script.applies(instance, "delete"):
            self._scripted(context, instance, "delete")
        self.instances.pop(instance.uuid, None)

    def _require(self, instance: Any) -> None:
        if instance.uuid not in self.instances:
            raise exception.InstanceNotFound(instance_id=instance.uuid)

    def power_on(self, context: Any, instance: Any) -> None:
        self._require(instance)
        if fake_script.applies(instance, "start"):
            self._scripted(context, instance, "start")
        self.instances[instance.uuid] = power_state.RUNNING

    def power_off(self, context: Any, instance: Any) -> None:
        self._require(instance)
        if fake_script.applies(instance, "stop"):
            self._scripted(context, instance, "stop")
        self.instances[instance.uuid] = power_state.SHUTDOWN

    def reboot(self, context: Any, instance: Any, reboot_type: str) -> None:
        self._require(instance)
        if fake_script.applies(instance, "reboot"):
            try:
                self._scripted(context, instance, "reboot")
            except exception.FakeOperationFailed:
                # A reboot that failed left the guest down: what makes
                # Nova put the server in ERROR.
                self.instances[instance.uuid] = power_state.SHUTDOWN
                raise
        if (reboot_type == "SOFT"
                and self.instances[instance.uuid] != power_state.RUNNING):
            raise exception.InstanceInvalidState(
                action="reboot", instance_uuid=instance.uuid,
                attr="power_state", state="shutdown")
        self.instances[instance.uuid] = power_state.RUNNING

    def _transition(self, instance: Any, action: str, current: int,
                    new: int) -> None:
        self._require(instance)
        state = self.instances[instance.uuid]
        if state != current:
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance.uuid,
                attr="power_state",
                state=power_state.STATE_MAP.get(state, state))
        self.instances[instance.uuid] = new

    def pause(self, context: Any, instance: Any) -> None:
        self._transition(instance, "pause", power_state.RUNNING,
                         power_state.PAUSED)

    def unpause(self, context: Any, instance: Any) -> None:
        self._transition(instance, "unpause", power_state.PAUSED,
                         power_state.RUNNING)

    def suspend(self, context: Any, instance: Any) -> None:
        self._transition(instance, "suspend", power_state.RUNNING,
                         power_state.SUSPENDED)

    def resume(self, context: Any, instance: Any) -> None:
        self._transition(instance, "resume", power_state.SUSPENDED,
                         power_state.RUNNING)

    def rebuild(self, context: Any, instance: Any, image_ref: str,
                preserve_ephemeral: bool = False) -> None:
        # An instance lost by the hypervisor (ERROR) is rebuilt too.
        self._spawn_script(context, instance)
        self.instances[instance.uuid] = power_state.RUNNING

    def migrate_disk_and_power_off(self, context: Any,
                                   instance: Any) -> None:
        self._require(instance)
        # The destination (maybe this host) runs it from now on.
        self.instances.pop(instance.uuid)

    def finish_migration(self, context: Any, instance: Any,
                         power_on: bool) -> None:
        self.instances[instance.uuid] = (power_state.RUNNING if power_on
                                         else power_state.SHUTDOWN)

    def confirm_migration(self, context: Any, instance: Any) -> None:
        """Nothing was kept on the source."""

    def finish_revert_migration(self, context: Any, instance: Any,
                                power_on: bool) -> None:
        self.finish_migration(context, instance, power_on)

    def get_info(self, instance: Any) -> driver.InstanceInfo:
        self._require(instance)
        return driver.InstanceInfo(state=self.instances[instance.uuid],
                                   internal_id=instance.uuid)

    def list_instances(self) -> list[str]:
        return list(self.instances)

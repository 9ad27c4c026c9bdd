"""The interface between minova-compute and a hypervisor.

A driver is built with the service's ``conf`` and its host name, and knows
nothing of RPC or the database: the compute manager hands it instance
objects and records what it answers.
"""

from __future__ import annotations

import logging
from typing import Any

from oslo_config import cfg
from oslo_utils import importutils
from stevedore import driver as stevedore_driver

from minova import exception

LOG = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "minova.virt"

# The drivers minova ships, by name (so they load even from a source tree
# whose entry points were never installed).
BUILTIN_DRIVERS = {"fake": "minova.virt.fake.FakeDriver"}


class InstanceInfo:
    """What the hypervisor says about one instance."""

    def __init__(self, state: int, internal_id: str | None = None) -> None:
        self.state = state
        self.internal_id = internal_id

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, InstanceInfo)
                and (self.state, self.internal_id)
                == (other.state, other.internal_id))


class ComputeDriver:
    """Base class of virt drivers; every method here must be provided."""

    def __init__(self, conf: cfg.ConfigOpts, host: str) -> None:
        self.conf = conf
        self.host = host

    def init_host(self, host: str) -> None:
        """Prepare the hypervisor; called once before the service starts."""

    def get_available_resource(self, nodename: str) -> dict:
        """Capacity of ``nodename``: vcpus, memory_mb, local_gb,
        hypervisor_type, hypervisor_version, hypervisor_hostname,
        host_ip."""
        raise NotImplementedError()

    def get_available_nodes(self) -> list[str]:
        """The node names this driver manages (one for most drivers)."""
        return [self.host]

    def spawn(self, context: Any, instance: Any,
              requested_networks: Any = None) -> list[dict]:
        """Create and start ``instance``; returns its network info (a list
        of ``{"address", "label", ...}`` dicts, empty without network)."""
        raise NotImplementedError()

    def destroy(self, context: Any, instance: Any) -> None:
        """Stop and remove ``instance``; no error if it is already gone."""
        raise NotImplementedError()

    def power_on(self, context: Any, instance: Any) -> None:
        raise NotImplementedError()

    def power_off(self, context: Any, instance: Any) -> None:
        raise NotImplementedError()

    def reboot(self, context: Any, instance: Any, reboot_type: str) -> None:
        """``SOFT`` asks the guest, ``HARD`` resets it (and powers on a
        stopped instance)."""
        raise NotImplementedError()

    def pause(self, context: Any, instance: Any) -> None:
        raise NotImplementedError()

    def unpause(self, context: Any, instance: Any) -> None:
        raise NotImplementedError()

    def suspend(self, context: Any, instance: Any) -> None:
        raise NotImplementedError()

    def resume(self, context: Any, instance: Any) -> None:
        raise NotImplementedError()

    def rebuild(self, context: Any, instance: Any, image_ref: str,
                preserve_ephemeral: bool = False) -> None:
        """Replace the instance's root disk with ``image_ref`` and boot
        it; it keeps its network."""
        raise NotImplementedError()

    def migrate_disk_and_power_off(self, context: Any,
                                   instance: Any) -> None:
        """Resize, on the source: stop the instance and hand its disk
        over."""
        raise NotImplementedError()

    def finish_migration(self, context: Any, instance: Any,
                         power_on: bool) -> None:
        """Resize, on the destination: run it with its new flavor."""
        raise NotImplementedError()

    def confirm_migration(self, context: Any, instance: Any) -> None:
        """Resize confirmed, on the source: drop what was kept."""
        raise NotImplementedError()

    def finish_revert_migration(self, context: Any, instance: Any,
                                power_on: bool) -> None:
        """Resize reverted, on the source: run it as it was."""
        raise NotImplementedError()

    def get_info(self, instance: Any) -> InstanceInfo:
        """Power state of ``instance``; ``InstanceNotFound`` if unknown."""
        raise NotImplementedError()

    def list_instances(self) -> list[str]:
        """UUIDs of the instances the hypervisor has."""
        raise NotImplementedError()


def load_compute_driver(conf: cfg.ConfigOpts, host: str,
                        name: str | None = None) -> ComputeDriver:
    """The driver ``[compute] compute_driver`` names: a built-in name, an
    entry point in ``minova.virt`` or a full class name."""
    name = name or conf.compute.compute_driver
    path = BUILTIN_DRIVERS.get(name, name)
    if "." in path:
        try:
            cls = importutils.import_class(path)
        except (ImportError, ValueError, AttributeError) as exc:
            raise exception.VirtDriverNotFound(name=name,
                                               reason=exc) from exc
    else:
        try:
            cls = stevedore_driver.DriverManager(
                ENTRY_POINT_GROUP, name, invoke_on_load=False).driver
        except Exception as exc:
            raise exception.VirtDriverNotFound(name=name,
                                               reason=exc) from exc
    if not issubclass(cls, ComputeDriver):
        raise exception.VirtDriverNotFound(
            name=name, reason="%s is not a ComputeDriver" % cls)
    LOG.info("Loading compute driver '%s'", name)
    return cls(conf, host)

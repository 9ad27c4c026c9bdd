"""What a compute host has and what its instances use.

The tracker keeps one claim per instance assigned to this host and writes
the totals to the host's ``compute_nodes`` row (through the conductor, like
every write of minova-compute). The scheduler reads that row.

A resize holds a second claim, for the flavor the instance does not have:
the destination claims the new flavor (``<uuid>:new``) until the instance
moves there, then the source keeps the old one (``<uuid>:old``) until the
resize is confirmed (released) or reverted (the instance's own again).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from oslo_config import cfg

from minova.compute import vm_states
from minova.virt import driver as virt_driver

LOG = logging.getLogger(__name__)


def new_claim(instance_uuid: str) -> str:
    return "%s:new" % instance_uuid


def old_claim(instance_uuid: str) -> str:
    return "%s:old" % instance_uuid


@dataclasses.dataclass
class Usage:
    memory_mb: int
    vcpus: int
    disk_gb: int

    @classmethod
    def of(cls, instance: Any) -> Usage:
        return cls(memory_mb=instance.memory_mb or 0,
                   vcpus=instance.vcpus or 0,
                   disk_gb=(instance.root_gb or 0)
                   + (instance.ephemeral_gb or 0))

    @classmethod
    def of_flavor(cls, flavor: Any) -> Usage:
        return cls(memory_mb=flavor.memory_mb or 0, vcpus=flavor.vcpus or 0,
                   disk_gb=(flavor.root_gb or 0) + (flavor.ephemeral_gb or 0))


class ResourceTracker:
    def __init__(self, conf: cfg.ConfigOpts, host: str,
                 driver: virt_driver.ComputeDriver, conductor_api: Any,
                 nodename: str | None = None) -> None:
        self.conf = conf
        self.host = host
        self.driver = driver
        self.conductor_api = conductor_api
        self.nodename = nodename or host
        self.claims: dict[str, Usage] = {}
        self.compute_node: Any = None

    def claim(self, instance: Any) -> None:
        self.claims[instance.uuid] = Usage.of(instance)

    def release(self, instance_uuid: str) -> bool:
        """Drop the instance's claim; whether it had one."""
        return self.claims.pop(instance_uuid, None) is not None

    def claim_flavor(self, key: str, flavor: Any) -> None:
        self.claims[key] = Usage.of_flavor(flavor)

    def rename(self, old_key: str, new_key: str) -> None:
        """Move a claim to another key (a resize changing sides)."""
        usage = self.claims.pop(old_key, None)
        if usage is not None:
            self.claims[new_key] = usage

    def sync_instances(self, instances: list,
                       migrations: list | None = None) -> None:
        """Claims from the database's view of this host (at start and
        periodically): every instance assigned here that is not gone, and
        the second claim of each resize under way that this host holds."""
        self.claims = {inst.uuid: Usage.of(inst) for inst in instances
                       if inst.vm_state != vm_states.DELETED}
        for migration in migrations or []:
            if (migration.status in ("migrating", "pre-migrating")
                    and migration.dest_compute == self.host
                    and migration.new_flavor is not None):
                self.claim_flavor(new_claim(migration.instance_uuid),
                                  migration.new_flavor)
            elif (migration.status in ("finished", "confirming",
                                       "reverting")
                  and migration.source_compute == self.host
                  and migration.old_flavor is not None):
                self.claim_flavor(old_claim(migration.instance_uuid),
                                  migration.old_flavor)

    def figures(self) -> dict:
        """The compute_nodes columns for the current claims."""
        resources = self.driver.get_available_resource(self.nodename)
        used = Usage(memory_mb=sum(u.memory_mb for u in self.claims.values()),
                     vcpus=sum(u.vcpus for u in self.claims.values()),
                     disk_gb=sum(u.disk_gb for u in self.claims.values()))
        return {
            "vcpus": resources["vcpus"],
            "memory_mb": resources["memory_mb"],
            "local_gb": resources["local_gb"],
            "hypervisor_type": resources["hypervisor_type"],
            "hypervisor_version": resources["hypervisor_version"],
            "host_ip": resources.get("host_ip"),
            "vcpus_used": used.vcpus,
            "memory_mb_used": used.memory_mb,
            "local_gb_used": used.disk_gb,
            "free_ram_mb": resources["memory_mb"] - used.memory_mb,
            "free_disk_gb": resources["local_gb"] - used.disk_gb,
            "running_vms": len(self.claims),
            "cpu_allocation_ratio": self.conf.cpu_allocation_ratio,
            "ram_allocation_ratio": self.conf.ram_allocation_ratio,
            "disk_allocation_ratio": self.conf.disk_allocation_ratio,
        }

    def update(self, context: Any) -> bool:
        """Write the figures to the compute_nodes row if they changed
        (creating the row the first time); whether anything was written.
        """
        figures = self.figures()
        if self.compute_node is None:
            self.compute_node = self.conductor_api.compute_node_get_or_create(
                context, self.host, self.nodename, figures)
        changed = {key: value for key, value in figures.items()
                   if getattr(self.compute_node, key) != value}
        if not changed:
            return False
        self.compute_node.update(changed)
        self.compute_node.save()
        return True

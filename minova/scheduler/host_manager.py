"""What the scheduler knows about each compute host.

A host's state is its ``compute_nodes`` row (what its compute last
reported) and its service (up, enabled), plus the placements this
scheduler made that the row does not count yet. Those pending claims keep
two selections in quick succession from both taking the last room on a
host. A claim ends once a read of the rows that started after the
compute's fanout ``update_instance_info`` (which comes after the row is
written) said the row counts the instance, or the compute gave it up; or
after ``[scheduler] pending_claim_timeout``.

The rows are read at most every ``[scheduler] host_state_refresh``
seconds, not for every request: the claims cover what changed meanwhile.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any

from oslo_config import cfg

from minova import servicegroup
from minova.objects import compute_node as compute_node_obj
from minova.objects import service as service_obj

LOG = logging.getLogger(__name__)

COMPUTE_BINARY = "minova-compute"


@dataclasses.dataclass
class Claim:
    host: str
    nodename: str
    memory_mb: int
    vcpus: int
    disk_gb: int
    created: float
    # When the compute said its row counts this instance (monotonic).
    reported: float | None = None


@dataclasses.dataclass
class HostState:
    """One compute node as the filters and weighers see it."""

    host: str
    nodename: str
    availability_zone: str
    service_up: bool = False
    service_disabled: bool = True
    vcpus_total: int = 0
    vcpus_used: int = 0
    total_usable_ram_mb: int = 0
    free_ram_mb: int = 0
    total_usable_disk_gb: int = 0
    free_disk_gb: int = 0
    num_instances: int = 0
    cpu_allocation_ratio: float = 16.0
    ram_allocation_ratio: float = 1.5
    disk_allocation_ratio: float = 1.0

    @classmethod
    def from_compute_node(cls, node: Any, zone: str) -> HostState:
        return cls(host=node.host, nodename=node.hypervisor_hostname,
                   availability_zone=zone, vcpus_total=node.vcpus,
                   vcpus_used=node.vcpus_used,
                   total_usable_ram_mb=node.memory_mb,
                   free_ram_mb=node.memory_mb - node.memory_mb_used,
                   total_usable_disk_gb=node.local_gb,
                   free_disk_gb=node.local_gb - node.local_gb_used,
                   num_instances=node.running_vms,
                   cpu_allocation_ratio=node.cpu_allocation_ratio,
                   ram_allocation_ratio=node.ram_allocation_ratio,
                   disk_allocation_ratio=node.disk_allocation_ratio)

    # What is left once the allocation ratios are applied.
    @property
    def usable_ram_mb(self) -> float:
        used = self.total_usable_ram_mb - self.free_ram_mb
        return self.total_usable_ram_mb * self.ram_allocation_ratio - used

    @property
    def usable_disk_gb(self) -> float:
        used = self.total_usable_disk_gb - self.free_disk_gb
        return (self.total_usable_disk_gb * self.disk_allocation_ratio
                - used)

    @property
    def usable_vcpus(self) -> float:
        return (self.vcpus_total * self.cpu_allocation_ratio
                - self.vcpus_used)

    def consume(self, memory_mb: int, vcpus: int, disk_gb: int) -> None:
        self.free_ram_mb -= memory_mb
        self.vcpus_used += vcpus
        self.free_disk_gb -= disk_gb
        self.num_instances += 1


def requested_resources(request_spec: dict) -> tuple[int, int, int]:
    """(memory_mb, vcpus, disk_gb) one instance of the request needs."""
    flavor = request_spec.get("flavor") or {}
    disk_gb = (flavor.get("root_gb", 0) + flavor.get("ephemeral_gb", 0)
               + (flavor.get("swap", 0) + 1023) // 1024)
    return flavor.get("memory_mb", 0), flavor.get("vcpus", 0), disk_gb


class HostManager:
    def __init__(self, conf: cfg.ConfigOpts,
                 servicegroup_api: servicegroup.API | None = None) -> None:
        self.conf = conf
        self.servicegroup_api = servicegroup_api or servicegroup.API(conf)
        # instance uuid -> Claim, for placements the rows do not count yet.
        self.pending: dict[str, Claim] = {}
        self._rows: tuple[list, dict] | None = None
        self._rows_read_at = float("-inf")

    def zone_of(self, host: str) -> str:
        zones = self.conf.filter_scheduler.host_availability_zones
        return zones.get(host) or self.conf.compute.default_availability_zone

    def read(self, context: Any) -> tuple[list, dict]:
        """The compute nodes and compute services, from the database if
        the last read is older than ``host_state_refresh``.

        Done before the caller takes its selection lock: this is the part
        that waits on I/O.
        """
        started = time.monotonic()
        if (self._rows is not None and started - self._rows_read_at
                < self.conf.scheduler.host_state_refresh):
            return self._rows
        nodes = list(compute_node_obj.ComputeNodeList.get_all(context))
        services = {svc.host: svc for svc in service_obj.ServiceList.get_all(
            context, binary=COMPUTE_BINARY)}
        # No I/O from here on: replacing the rows and ending the claims
        # they count happen together. A slower read that started earlier
        # must not replace a newer one.
        if started > self._rows_read_at:
            self._rows = (nodes, services)
            self._rows_read_at = started
            counted = [uuid for uuid, claim in self.pending.items()
                       if claim.reported is not None
                       and claim.reported < started]
            self.unclaim(counted)
        return self._rows

    def host_states(self, nodes: list, services: dict) -> list[HostState]:
        """Host states from what ``read`` returned, with the pending
        claims counted in. No I/O: runs under the selection lock."""
        self._expire_pending()
        states = {}
        for node in nodes:
            state = HostState.from_compute_node(node, self.zone_of(node.host))
            service = services.get(node.host)
            if service is not None:
                state.service_up = self.servicegroup_api.is_up(service)
                state.service_disabled = bool(service.disabled)
            states[(node.host, node.hypervisor_hostname)] = state
        for claim in self.pending.values():
            state = states.get((claim.host, claim.nodename))
            if state is not None:
                state.consume(claim.memory_mb, claim.vcpus, claim.disk_gb)
        return list(states.values())

    def claim(self, instance_uuid: str, state: HostState,
              resources: tuple[int, int, int]) -> None:
        memory_mb, vcpus, disk_gb = resources
        state.consume(memory_mb, vcpus, disk_gb)
        self.pending[instance_uuid] = Claim(state.host, state.nodename,
                                            memory_mb, vcpus, disk_gb,
                                            time.monotonic())

    def unclaim(self, instance_uuids: list[str]) -> None:
        for uuid in instance_uuids:
            self.pending.pop(uuid, None)

    def update_instance_info(self, host_name: str, instance_uuids: list,
                             released: list) -> None:
        """A compute's report: its row counts ``instance_uuids`` now (the
        next read will show it), and ``released`` are placements it gave
        up."""
        now = time.monotonic()
        for uuid in instance_uuids:
            claim = self.pending.get(uuid)
            if claim is not None and claim.host == host_name:
                claim.reported = now
        for uuid in released:
            claim = self.pending.get(uuid)
            if claim is not None and claim.host == host_name:
                del self.pending[uuid]

    def _expire_pending(self) -> None:
        deadline = (time.monotonic()
                    - self.conf.scheduler.pending_claim_timeout)
        expired = [uuid for uuid, claim in self.pending.items()
                   if claim.created < deadline]
        for uuid in expired:
            claim = self.pending.pop(uuid)
            LOG.warning("Host %s never reported instance %s placed on it "
                        "%ss ago; no longer counting it. Check that its "
                        "minova-compute runs.", claim.host, uuid,
                        self.conf.scheduler.pending_claim_timeout)

    def reset(self) -> None:
        """Nothing pending, nothing cached: the next request reads the
        rows."""
        self.pending.clear()
        self._rows = None
        self._rows_read_at = float("-inf")

"""What the scheduler knows about each compute host, kept in memory.

A host's state is what its compute last reported: the figures of its
``compute_nodes`` row, which every compute sends with its fanout
``update_instance_info`` right after writing them (as Nova's HostManager
learns a host's instances from the computes), plus the placements this
scheduler made that those figures do not count yet (pending claims), plus
its service (up, enabled). Nothing is read per request:

- the services (up, disabled) are read every ``[scheduler]
  host_state_refresh`` seconds, a few columns of one table;
- the compute nodes are read in full at the first request and every
  ``[scheduler] host_state_resync`` seconds, to pick up what a lost
  fanout or a compute of an older version did not tell.

A claim ends when its host's report counts the instance (or gives the
placement up), when a read of the rows that started after a report
without figures counted it, or after ``[scheduler]
pending_claim_timeout``. The state of a host is always "figures of the
last report + its pending claims", so a request filters and weighs the
live states, under the manager's selection lock, without copying them.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any

from oslo_config import cfg
from oslo_utils import timeutils

from minova.db import api as db_api
from minova.db import services as db_services
from minova.objects import compute_node as compute_node_obj

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
    # When this state's figures were last replaced (monotonic).
    updated: float = 0.0

    @classmethod
    def from_compute_node(cls, node: Any, zone: str) -> HostState:
        state = cls(host=node.host, nodename=node.hypervisor_hostname,
                    availability_zone=zone)
        state.set_figures(node, getattr)
        return state

    def set_figures(self, figures: Any, get: Any = dict.get) -> None:
        """Take the resources of a compute_nodes row (``get=getattr``) or
        of the dict a compute reports."""
        self.vcpus_total = get(figures, "vcpus")
        self.vcpus_used = get(figures, "vcpus_used")
        self.total_usable_ram_mb = get(figures, "memory_mb")
        self.free_ram_mb = (self.total_usable_ram_mb
                            - get(figures, "memory_mb_used"))
        self.total_usable_disk_gb = get(figures, "local_gb")
        self.free_disk_gb = (self.total_usable_disk_gb
                             - get(figures, "local_gb_used"))
        self.num_instances = get(figures, "running_vms")
        self.cpu_allocation_ratio = get(figures, "cpu_allocation_ratio")
        self.ram_allocation_ratio = get(figures, "ram_allocation_ratio")
        self.disk_allocation_ratio = get(figures, "disk_allocation_ratio")
        self.updated = time.monotonic()

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

    def consume(self, memory_mb: int, vcpus: int, disk_gb: int,
                sign: int = 1) -> None:
        """Count an instance (``sign=-1``: stop counting it)."""
        self.free_ram_mb -= sign * memory_mb
        self.vcpus_used += sign * vcpus
        self.free_disk_gb -= sign * disk_gb
        self.num_instances += sign


def requested_resources(request_spec: dict) -> tuple[int, int, int]:
    """(memory_mb, vcpus, disk_gb) one instance of the request needs."""
    flavor = request_spec.get("flavor") or {}
    disk_gb = (flavor.get("root_gb", 0) + flavor.get("ephemeral_gb", 0)
               + (flavor.get("swap", 0) + 1023) // 1024)
    return flavor.get("memory_mb", 0), flavor.get("vcpus", 0), disk_gb


class HostManager:
    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf
        # (host, nodename) -> HostState, pending claims counted in.
        self.states: dict[tuple[str, str], HostState] = {}
        # instance uuid -> Claim, for placements no report counts yet.
        self.pending: dict[str, Claim] = {}
        # host -> (monotonic time its service goes down, disabled).
        self._services: dict[str, tuple[float, bool]] = {}
        self._services_read_at = float("-inf")
        self._nodes_read_at = float("-inf")

    def zone_of(self, host: str) -> str:
        zones = self.conf.filter_scheduler.host_availability_zones
        return zones.get(host) or self.conf.compute.default_availability_zone

    # -- reading the database (outside the selection lock) ---------------

    def read(self, context: Any) -> tuple[list | None, list | None,
                                          float]:
        """What is due from the database: the compute nodes (first time,
        then every ``host_state_resync``) and the services (every
        ``host_state_refresh``); ``None`` for what is not due. Done
        before the caller takes its selection lock: this is the part
        that waits on I/O. Hand the result to ``refresh`` under it
        before another request reads (the manager's ``_reading``)."""
        started = time.monotonic()
        opts = self.conf.scheduler
        nodes = services = None
        # The times are moved on only once a read succeeded: one that
        # failed is tried again by the next request.
        if started - self._nodes_read_at >= opts.host_state_resync:
            nodes = list(compute_node_obj.ComputeNodeList.get_all(context))
        if started - self._services_read_at >= opts.host_state_refresh:
            # Rows, not objects: a few thousand every second, and only
            # three columns matter.
            services = db_services.get_all(db_api.from_context(context),
                                           binary=COMPUTE_BINARY)
        if nodes is not None:
            self._nodes_read_at = started
        if services is not None:
            self._services_read_at = started
        return nodes, services, started

    def refresh(self, nodes: list | None, services: list | None,
                started: float) -> None:
        """Apply what ``read`` returned (no I/O: under the lock)."""
        if services is not None:
            now_wall = timeutils.utcnow()
            down_time = self.conf.service_down_time
            self._services = {
                row.host: (self._down_at(row, now_wall, started, down_time),
                           bool(row.disabled))
                for row in services}
        if nodes is not None:
            self._resync(nodes, started)
        self._expire_pending()

    @staticmethod
    def _down_at(row: Any, now_wall: Any, now: float,
                 down_time: int) -> float:
        """When (monotonic) the service counts as down if it does not
        report again; -inf if it is down now (servicegroup's is_up)."""
        if row.forced_down:
            return float("-inf")
        last = row.updated_at or row.created_at
        if last is None:
            return float("-inf")
        age = timeutils.delta_seconds(timeutils.normalize_time(last),
                                      now_wall)
        if abs(age) > down_time:
            return float("-inf")
        return now + down_time - age

    def _resync(self, nodes: list, started: float) -> None:
        known = {}
        for node in nodes:
            key = (node.host, node.hypervisor_hostname)
            state = self.states.get(key)
            if state is None:
                state = HostState.from_compute_node(node,
                                                    self.zone_of(node.host))
                state.updated = started
            elif state.updated < started:
                # A report received during the read is newer: keep it.
                state.set_figures(node, getattr)
                state.updated = started
            known[key] = state
        self.states = known
        # The rows count what the computes had written before the read.
        counted = [uuid for uuid, claim in self.pending.items()
                   if claim.reported is not None
                   and claim.reported < started]
        for uuid in counted:
            self.pending.pop(uuid)
        for claim in self.pending.values():
            state = self.states.get((claim.host, claim.nodename))
            if state is not None and state.updated == started:
                state.consume(claim.memory_mb, claim.vcpus, claim.disk_gb)

    # -- per request (under the selection lock) ---------------------------

    def host_states(self) -> list[HostState]:
        """The live states, with ``service_up``/``service_disabled`` as
        of now. Mutated by ``claim``: use them under the lock."""
        now = time.monotonic()
        services = self._services
        unknown = (float("-inf"), True)
        for (host, _node), state in self.states.items():
            down_at, disabled = services.get(host, unknown)
            state.service_up = now < down_at
            state.service_disabled = disabled
        return list(self.states.values())

    def claim(self, instance_uuid: str, state: HostState,
              resources: tuple[int, int, int]) -> None:
        memory_mb, vcpus, disk_gb = resources
        state.consume(memory_mb, vcpus, disk_gb)
        self.pending[instance_uuid] = Claim(state.host, state.nodename,
                                            memory_mb, vcpus, disk_gb,
                                            time.monotonic())

    def unclaim(self, instance_uuids: list[str]) -> None:
        """Give back placements (a request that did not fit, a build
        the compute gave up)."""
        for uuid in instance_uuids:
            claim = self.pending.pop(uuid, None)
            if claim is not None:
                self._give_back(claim)

    def _give_back(self, claim: Claim) -> None:
        state = self.states.get((claim.host, claim.nodename))
        if state is not None:
            state.consume(claim.memory_mb, claim.vcpus, claim.disk_gb,
                          sign=-1)

    def update_instance_info(self, host_name: str, instance_uuids: list,
                             released: list,
                             node: dict | None = None) -> None:
        """A compute's report: it holds ``instance_uuids``, gave up the
        placements ``released``, and (from scheduler RPC 1.2) ``node``
        are its compute_nodes figures, which count ``instance_uuids``."""
        self.unclaim([uuid for uuid in released
                      if self._claimed_on(uuid, host_name)])
        if node is None:
            # Counted by the row, which the next resync reads.
            now = time.monotonic()
            for uuid in instance_uuids:
                if self._claimed_on(uuid, host_name):
                    self.pending[uuid].reported = now
            return
        nodename = node.get("hypervisor_hostname") or host_name
        for uuid in instance_uuids:
            if self._claimed_on(uuid, host_name):
                # Counted by the figures below: no give-back.
                del self.pending[uuid]
        key = (host_name, nodename)
        state = self.states.get(key)
        if state is None:
            state = self.states[key] = HostState(
                host=host_name, nodename=nodename,
                availability_zone=self.zone_of(host_name))
        state.set_figures(node)
        for claim in self.pending.values():
            if claim.host == host_name and claim.nodename == nodename:
                state.consume(claim.memory_mb, claim.vcpus, claim.disk_gb)

    def _claimed_on(self, uuid: str, host_name: str) -> bool:
        claim = self.pending.get(uuid)
        return claim is not None and claim.host == host_name

    def _expire_pending(self) -> None:
        deadline = (time.monotonic()
                    - self.conf.scheduler.pending_claim_timeout)
        expired = [uuid for uuid, claim in self.pending.items()
                   if claim.created < deadline]
        for uuid in expired:
            claim = self.pending.pop(uuid)
            self._give_back(claim)
            LOG.warning("Host %s never reported instance %s placed on it "
                        "%ss ago; no longer counting it. Check that its "
                        "minova-compute runs.", claim.host, uuid,
                        self.conf.scheduler.pending_claim_timeout)

    def reset(self) -> None:
        """Nothing pending, nothing known: the next request reads the
        services and the compute nodes again (the cloud was reset,
        ``minova.reset``)."""
        self.pending.clear()
        self.states = {}
        self._services = {}
        self._services_read_at = float("-inf")
        self._nodes_read_at = float("-inf")

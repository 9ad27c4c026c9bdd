"""Host filters: a host passes each enabled filter or gets no instance.

Enabled by name in ``[filter_scheduler] enabled_filters``. Each filter
answers ``host_passes(host_state, request_spec)``.
"""

from __future__ import annotations

from typing import Any

from minova.scheduler import host_manager


class BaseHostFilter:
    def host_passes(self, host_state: host_manager.HostState,
                    request_spec: dict) -> bool:
        raise NotImplementedError()

    def filter_all(self, hosts: list, request_spec: dict) -> list:
        return [host for host in hosts
                if self.host_passes(host, request_spec)]


class ComputeFilter(BaseHostFilter):
    """The host's compute service is up and enabled."""

    def host_passes(self, host_state: host_manager.HostState,
                    request_spec: dict) -> bool:
        return host_state.service_up and not host_state.service_disabled


class RamFilter(BaseHostFilter):
    """Enough RAM left, with ``ram_allocation_ratio`` applied."""

    def host_passes(self, host_state: host_manager.HostState,
                    request_spec: dict) -> bool:
        memory_mb = host_manager.requested_resources(request_spec)[0]
        return host_state.usable_ram_mb >= memory_mb


class CoreFilter(BaseHostFilter):
    """Enough vCPUs left, with ``cpu_allocation_ratio`` applied."""

    def host_passes(self, host_state: host_manager.HostState,
                    request_spec: dict) -> bool:
        vcpus = host_manager.requested_resources(request_spec)[1]
        return host_state.usable_vcpus >= vcpus


class DiskFilter(BaseHostFilter):
    """Enough local disk left (root + ephemeral + swap), with
    ``disk_allocation_ratio`` applied."""

    def host_passes(self, host_state: host_manager.HostState,
                    request_spec: dict) -> bool:
        disk_gb = host_manager.requested_resources(request_spec)[2]
        return host_state.usable_disk_gb >= disk_gb


class AvailabilityZoneFilter(BaseHostFilter):
    """The host is in the requested availability zone, if one was."""

    def host_passes(self, host_state: host_manager.HostState,
                    request_spec: dict) -> bool:
        zone = request_spec.get("availability_zone")
        return not zone or host_state.availability_zone == zone


class ServerGroupAffinityFilter(BaseHostFilter):
    """For an affinity group: the host of its servers, once it has any.

    ``request_spec["group"]``: ``policy``, ``rules`` and ``hosts`` (the
    host of each server of the group, one entry per server)."""

    def host_passes(self, host_state: host_manager.HostState,
                    request_spec: dict) -> bool:
        group = request_spec.get("group") or {}
        if group.get("policy") != "affinity":
            return True
        hosts = group.get("hosts") or []
        return not hosts or host_state.host in hosts


class ServerGroupAntiAffinityFilter(BaseHostFilter):
    """For an anti-affinity group: a host with fewer of its servers than
    the rule ``max_server_per_host`` (1 by default)."""

    def host_passes(self, host_state: host_manager.HostState,
                    request_spec: dict) -> bool:
        group = request_spec.get("group") or {}
        if group.get("policy") != "anti-affinity":
            return True
        most = int((group.get("rules") or {}).get("max_server_per_host", 1))
        return (group.get("hosts") or []).count(host_state.host) < most


ALL_FILTERS: dict[str, type[BaseHostFilter]] = {
    cls.__name__: cls for cls in (ComputeFilter, RamFilter, CoreFilter,
                                  DiskFilter, AvailabilityZoneFilter,
                                  ServerGroupAntiAffinityFilter,
                                  ServerGroupAffinityFilter)}


def load_filters(names: list[str]) -> list[Any]:
    unknown = [name for name in names if name not in ALL_FILTERS]
    if unknown:
        raise ValueError("Unknown scheduler filter(s) %s in "
                         "[filter_scheduler] enabled_filters; known: %s"
                         % (", ".join(unknown), ", ".join(ALL_FILTERS)))
    return [ALL_FILTERS[name]() for name in names]

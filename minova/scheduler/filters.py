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


ALL_FILTERS: dict[str, type[BaseHostFilter]] = {
    cls.__name__: cls for cls in (ComputeFilter, RamFilter, CoreFilter,
                                  DiskFilter, AvailabilityZoneFilter)}


def load_filters(names: list[str]) -> list[Any]:
    unknown = [name for name in names if name not in ALL_FILTERS]
    if unknown:
        raise ValueError("Unknown scheduler filter(s) %s in "
                         "[filter_scheduler] enabled_filters; known: %s"
                         % (", ".join(unknown), ", ".join(ALL_FILTERS)))
    return [ALL_FILTERS[name]() for name in names]

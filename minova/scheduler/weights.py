"""Host weighers: rank the hosts that passed the filters.

Each weigher gives a raw weight per host; the raw weights are normalized to
0..1 across the hosts and multiplied by the weigher's multiplier, and the
host with the highest sum wins, as in Nova. A positive multiplier spreads
instances over hosts, a negative one stacks them.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

from minova.scheduler import host_manager


class BaseWeigher:
    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf

    def multiplier(self) -> float:
        raise NotImplementedError()

    def weigh(self, host_state: host_manager.HostState,
              request_spec: dict) -> float:
        raise NotImplementedError()


class RAMWeigher(BaseWeigher):
    """Free RAM (after the allocation ratio)."""

    def multiplier(self) -> float:
        return self.conf.filter_scheduler.ram_weight_multiplier

    def weigh(self, host_state: host_manager.HostState,
              request_spec: dict) -> float:
        return host_state.usable_ram_mb


class CPUWeigher(BaseWeigher):
    """Free vCPUs (after the allocation ratio)."""

    def multiplier(self) -> float:
        return self.conf.filter_scheduler.cpu_weight_multiplier

    def weigh(self, host_state: host_manager.HostState,
              request_spec: dict) -> float:
        return host_state.usable_vcpus


def _group_members_on(host_state: host_manager.HostState,
                      request_spec: dict, policy: str) -> int:
    group = request_spec.get("group") or {}
    if group.get("policy") != policy:
        return 0
    return group.get("hosts", []).count(host_state.host)


class ServerGroupSoftAffinityWeigher(BaseWeigher):
    """For a soft-affinity group: the more of its servers a host has, the
    better."""

    def multiplier(self) -> float:
        return self.conf.filter_scheduler.soft_affinity_weight_multiplier

    def weigh(self, host_state: host_manager.HostState,
              request_spec: dict) -> float:
        return _group_members_on(host_state, request_spec, "soft-affinity")


class ServerGroupSoftAntiAffinityWeigher(BaseWeigher):
    """For a soft-anti-affinity group: the fewer of its servers a host
    has, the better."""

    def multiplier(self) -> float:
        return self.conf.filter_scheduler.\
            soft_anti_affinity_weight_multiplier

    def weigh(self, host_state: host_manager.HostState,
              request_spec: dict) -> float:
        return -_group_members_on(host_state, request_spec,
                                  "soft-anti-affinity")


ALL_WEIGHERS: dict[str, type[BaseWeigher]] = {
    cls.__name__: cls for cls in (RAMWeigher, CPUWeigher,
                                  ServerGroupSoftAffinityWeigher,
                                  ServerGroupSoftAntiAffinityWeigher)}


def load_weighers(conf: cfg.ConfigOpts, names: list[str]) -> list[Any]:
    unknown = [name for name in names if name not in ALL_WEIGHERS]
    if unknown:
        raise ValueError("Unknown scheduler weigher(s) %s in "
                         "[filter_scheduler] weight_classes; known: %s"
                         % (", ".join(unknown), ", ".join(ALL_WEIGHERS)))
    return [ALL_WEIGHERS[name](conf) for name in names]


def _normalize(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    if high == low:
        return [0.0 for _ in values]
    return [(value - low) / (high - low) for value in values]


def weigh_hosts(weighers: list[BaseWeigher], hosts: list,
                request_spec: dict | None = None) -> list[tuple[float, Any]]:
    """``(weight, host)`` pairs, best first."""
    request_spec = request_spec or {}
    totals = [0.0] * len(hosts)
    for weigher in weighers:
        multiplier = weigher.multiplier()
        if not multiplier:
            continue
        raw = [weigher.weigh(host, request_spec) for host in hosts]
        for i, value in enumerate(_normalize(raw)):
            totals[i] += multiplier * value
    ranked = sorted(zip(totals, range(len(hosts)), hosts, strict=True),
                    key=lambda item: (-item[0], item[1]))
    return [(weight, host) for weight, _index, host in ranked]

"""Scheduler filters and weighers on hand-made host states."""

from __future__ import annotations

import pytest

from minova.scheduler import filters
from minova.scheduler import host_manager
from minova.scheduler import weights


def _host(name="h1", **kwargs):
    values = dict(host=name, nodename=name, availability_zone="nova",
                  service_up=True, service_disabled=False, vcpus_total=4,
                  vcpus_used=0, total_usable_ram_mb=1024, free_ram_mb=1024,
                  total_usable_disk_gb=10, free_disk_gb=10,
                  cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0,
                  disk_allocation_ratio=1.0)
    values.update(kwargs)
    return host_manager.HostState(**values)


def _spec(memory_mb=512, vcpus=1, root_gb=1, ephemeral_gb=0, swap=0,
          zone=None):
    return {"flavor": {"memory_mb": memory_mb, "vcpus": vcpus,
                       "root_gb": root_gb, "ephemeral_gb": ephemeral_gb,
                       "swap": swap},
            "availability_zone": zone}


@pytest.mark.parametrize("up, disabled, passes", [
    (True, False, True), (False, False, False), (True, True, False)])
def test_compute_filter(up, disabled, passes):
    host = _host(service_up=up, service_disabled=disabled)
    assert filters.ComputeFilter().host_passes(host, _spec()) is passes


def test_ram_filter_applies_the_allocation_ratio():
    host = _host(free_ram_mb=256)  # 768 MB used of 1024
    assert not filters.RamFilter().host_passes(host, _spec(memory_mb=512))
    host.ram_allocation_ratio = 1.5  # 1536 usable, 768 used
    assert filters.RamFilter().host_passes(host, _spec(memory_mb=768))
    assert not filters.RamFilter().host_passes(host, _spec(memory_mb=769))


def test_core_filter_applies_the_allocation_ratio():
    host = _host(vcpus_used=4)
    assert not filters.CoreFilter().host_passes(host, _spec(vcpus=1))
    host.cpu_allocation_ratio = 2.0
    assert filters.CoreFilter().host_passes(host, _spec(vcpus=4))
    assert not filters.CoreFilter().host_passes(host, _spec(vcpus=5))


def test_disk_filter_counts_root_ephemeral_and_swap():
    host = _host(free_disk_gb=3)
    assert filters.DiskFilter().host_passes(
        host, _spec(root_gb=1, ephemeral_gb=1, swap=1024))
    assert not filters.DiskFilter().host_passes(
        host, _spec(root_gb=1, ephemeral_gb=1, swap=1025))


def test_availability_zone_filter():
    host = _host(availability_zone="az1")
    assert filters.AvailabilityZoneFilter().host_passes(host, _spec())
    assert filters.AvailabilityZoneFilter().host_passes(
        host, _spec(zone="az1"))
    assert not filters.AvailabilityZoneFilter().host_passes(
        host, _spec(zone="az2"))


def test_unknown_filter_names_the_known_ones():
    with pytest.raises(ValueError, match="NoSuchFilter.*RamFilter"):
        filters.load_filters(["RamFilter", "NoSuchFilter"])


def test_consume_counts_against_the_next_selection():
    host = _host()
    host.consume(512, 1, 1)
    assert host.usable_ram_mb == 512
    assert host.usable_vcpus == 3
    assert host.usable_disk_gb == 9
    assert host.num_instances == 1


class _Conf:
    class filter_scheduler:  # noqa: N801 - mimics a ConfigOpts group
        ram_weight_multiplier = 1.0
        cpu_weight_multiplier = 0.0


def _ranked(conf, hosts):
    weighers = weights.load_weighers(conf, ["RAMWeigher", "CPUWeigher"])
    return [host.host for _w, host in weights.weigh_hosts(weighers, hosts)]


def test_ram_weigher_spreads_by_default_and_stacks_when_negative():
    hosts = [_host("small", free_ram_mb=100), _host("big"),
             _host("mid", free_ram_mb=600)]
    assert _ranked(_Conf, hosts) == ["big", "mid", "small"]

    class Stack(_Conf):
        class filter_scheduler:  # noqa: N801
            ram_weight_multiplier = -1.0
            cpu_weight_multiplier = 0.0
    assert _ranked(Stack, hosts) == ["small", "mid", "big"]


def test_weights_are_normalized_before_the_multipliers():
    """A big RAM difference does not drown a vCPU weigher with a larger
    multiplier: each weigher contributes 0..1 times its multiplier."""
    class Conf:
        class filter_scheduler:  # noqa: N801
            ram_weight_multiplier = 1.0
            cpu_weight_multiplier = 2.0
    hosts = [_host("ram-rich", total_usable_ram_mb=100000,
                   free_ram_mb=100000, vcpus_used=3),
             _host("cpu-rich", vcpus_used=0)]
    assert _ranked(Conf, hosts) == ["cpu-rich", "ram-rich"]


def test_equal_hosts_keep_their_order():
    hosts = [_host("a"), _host("b")]
    assert _ranked(_Conf, hosts) == ["a", "b"]


def _group_spec(policy, hosts, rules=None):
    spec = _spec()
    spec["group"] = {"uuid": "g", "policy": policy, "hosts": hosts,
                     "rules": rules or {}}
    return spec


def test_server_group_affinity_filter():
    affinity = filters.ServerGroupAffinityFilter()
    assert affinity.host_passes(_host("h1"), _group_spec("affinity", []))
    assert affinity.host_passes(_host("h1"),
                                _group_spec("affinity", ["h1"]))
    assert not affinity.host_passes(_host("h2"),
                                    _group_spec("affinity", ["h1"]))
    # Other policies, or no group, are not its business.
    assert affinity.host_passes(_host("h2"),
                                _group_spec("anti-affinity", ["h1"]))
    assert affinity.host_passes(_host("h2"), _spec())


def test_server_group_anti_affinity_filter_and_max_server_per_host():
    anti = filters.ServerGroupAntiAffinityFilter()
    assert not anti.host_passes(_host("h1"),
                                _group_spec("anti-affinity", ["h1"]))
    assert anti.host_passes(_host("h2"),
                            _group_spec("anti-affinity", ["h1"]))
    two = {"max_server_per_host": 2}
    assert anti.host_passes(_host("h1"),
                            _group_spec("anti-affinity", ["h1"], two))
    assert not anti.host_passes(
        _host("h1"), _group_spec("anti-affinity", ["h1", "h1"], two))
    assert anti.host_passes(_host("h1"),
                            _group_spec("soft-anti-affinity", ["h1"]))


class _SoftConf:
    class filter_scheduler:  # noqa: N801 - mimics a ConfigOpts group
        ram_weight_multiplier = 1.0
        cpu_weight_multiplier = 0.0
        soft_affinity_weight_multiplier = 2.0
        soft_anti_affinity_weight_multiplier = 2.0


@pytest.mark.parametrize("policy, first", [("soft-affinity", "full"),
                                           ("soft-anti-affinity", "free")])
def test_soft_group_weighers_outweigh_free_ram(policy, first):
    weighers = weights.load_weighers(_SoftConf, [
        "RAMWeigher", "ServerGroupSoftAffinityWeigher",
        "ServerGroupSoftAntiAffinityWeigher"])
    hosts = [_host("free"), _host("full", free_ram_mb=512)]
    spec = _group_spec(policy, ["full"])
    ranked = weights.weigh_hosts(weighers, hosts, spec)
    assert ranked[0][1].host == first

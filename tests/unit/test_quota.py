"""minova.quota's arithmetic: how many servers of a flavor fit."""

from __future__ import annotations

import types

import pytest

from minova import exception
from minova import quota

TINY = types.SimpleNamespace(vcpus=1, memory_mb=512)
LIMITS = {"instances": 10, "cores": 20, "ram": 51200, "metadata_items": 2}
NONE_USED = {"instances": 0, "cores": 0, "ram": 0}


def test_all_fit():
    assert quota.instances_allowed(LIMITS, NONE_USED, TINY, 1, 10) == 10


def test_as_many_as_fit_when_min_count_does():
    used = {"instances": 7, "cores": 7, "ram": 3584}
    assert quota.instances_allowed(LIMITS, used, TINY, 1, 10 ** 11) == 3
    assert quota.instances_allowed(LIMITS, used, TINY, 3, 5) == 3


def test_the_tightest_resource_decides():
    big = types.SimpleNamespace(vcpus=8, memory_mb=16384)
    assert quota.instances_allowed(LIMITS, NONE_USED, big, 1, 5) == 2
    unlimited_cores = dict(LIMITS, cores=-1)
    assert quota.instances_allowed(unlimited_cores, NONE_USED, big, 1,
                                   5) == 3


def test_unlimited_means_unlimited():
    limits = dict(LIMITS, instances=-1, cores=-1, ram=-1)
    used = {"instances": 10 ** 6, "cores": 10 ** 6, "ram": 10 ** 9}
    assert quota.instances_allowed(limits, used, TINY, 1, 500) == 500


def test_a_flavor_of_nothing_takes_no_cores_or_ram():
    empty = types.SimpleNamespace(vcpus=0, memory_mb=0)
    used = {"instances": 0, "cores": 20, "ram": 51200}
    assert quota.instances_allowed(LIMITS, used, empty, 1, 10) == 10


def test_usage_above_a_lowered_limit_allows_none():
    # An admin forced the limit below what the project holds.
    used = {"instances": 12, "cores": 12, "ram": 6144}
    with pytest.raises(exception.TooManyInstances) as caught:
        quota.instances_allowed(LIMITS, used, TINY, 1, 1)
    assert caught.value.format_message() == (
        "Quota exceeded for instances: Requested 1, but already used 12 "
        "of 10 instances")


def test_the_message_names_every_resource_over_and_the_range():
    used = {"instances": 9, "cores": 19, "ram": 51000}
    with pytest.raises(exception.TooManyInstances) as caught:
        quota.instances_allowed(LIMITS, used, TINY, 2, 3)
    assert caught.value.format_message() == (
        "Quota exceeded for cores, instances, ram: Requested 3, 2-3, 1536, "
        "but already used 19, 9, 51000 of 20, 10, 51200 cores, instances, "
        "ram")
    assert caught.value.code == 403


def test_metadata_items():
    quota.check_metadata(LIMITS, {"a": "1", "b": "2"})
    quota.check_metadata(dict(LIMITS, metadata_items=-1),
                         {str(i): "x" for i in range(500)})
    with pytest.raises(exception.MetadataLimitExceeded) as caught:
        quota.check_metadata(LIMITS, {"a": "1", "b": "2", "c": "3"})
    assert caught.value.format_message() == (
        "Maximum number of metadata items exceeds 2")


def test_resize_checks_only_the_growth():
    SimpleNamespace = types.SimpleNamespace  # noqa: N806
    quota_mod = quota
    limits = dict.fromkeys(("cores", "ram"), 10)
    limits["ram"] = 4096
    used = {"cores": 9, "ram": 1024}
    instance = SimpleNamespace(vcpus=1, memory_mb=1024)
    # Same cores, 3 GiB more ram: 4096 fits exactly.
    quota_mod.check_resize(limits, used, instance,
                           SimpleNamespace(vcpus=1, memory_mb=4096))
    # A shrink always passes, even over the limit already.
    quota_mod.check_resize(limits, {"cores": 99, "ram": 99999}, instance,
                           SimpleNamespace(vcpus=1, memory_mb=512))
    with pytest.raises(exception.TooManyInstances) as info:
        quota_mod.check_resize(limits, used, instance,
                               SimpleNamespace(vcpus=3, memory_mb=8192))
    assert "cores, ram" in info.value.format_message()
    assert info.value.code == 403

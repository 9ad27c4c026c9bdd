"""MinovaObject's faster change tracking answers as the library's does."""

from __future__ import annotations

import pytest
from oslo_versionedobjects import base as ovo_base

from minova.objects import flavor as flavor_obj
from minova.objects import instance as instance_obj


def _flavor() -> flavor_obj.Flavor:
    flavor = flavor_obj.Flavor(flavorid="1", name="tiny", memory_mb=512,
                               vcpus=1)
    flavor.obj_reset_changes()
    return flavor


def test_attr_is_set_as_the_library_says() -> None:
    instance = instance_obj.Instance(uuid="8a1b0f0e-5f9c-4d36-9d59-"
                                          "4b0c3c7a1f00")
    assert instance.obj_attr_is_set("uuid")
    assert not instance.obj_attr_is_set("host")
    with pytest.raises(AttributeError):
        instance.obj_attr_is_set("no_such_field")


def test_changes_include_a_changed_nested_object() -> None:
    instance = instance_obj.Instance(flavor=_flavor(), host="h1")
    instance.obj_reset_changes()
    assert instance.obj_what_changed() == set()
    instance.flavor.memory_mb = 1024
    instance.task_state = "spawning"
    assert instance.obj_what_changed() == {"flavor", "task_state"}
    # The library's own implementation agrees.
    assert (ovo_base.VersionedObject.obj_what_changed(instance)
            == instance.obj_what_changed())


def test_serialized_object_carries_its_changes() -> None:
    instance = instance_obj.Instance(flavor=_flavor(), host="h1")
    instance.obj_reset_changes(["flavor"])
    primitive = instance.obj_to_primitive()
    assert primitive["minova_object.changes"] == ["host"]
    copy = instance_obj.Instance.obj_from_primitive(primitive)
    assert copy.host == "h1"
    assert copy.obj_what_changed() == {"host"}

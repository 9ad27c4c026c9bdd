"""MinovaObject's faster change tracking answers as the library's does."""

from __future__ import annotations

import datetime

import pytest
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception

from minova.objects import base as objects_base
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


_NAIVE = datetime.datetime(2026, 12, 2, 6, 0, 0, 123456)
_AWARE = datetime.datetime(2026, 12, 2, 7, 0, tzinfo=datetime.timezone(
    datetime.timedelta(hours=1)))


@pytest.mark.parametrize("name,value", [
    ("host", "compute1"), ("host", None), ("host", 42), ("host", 1.5),
    ("vcpus", 2), ("vcpus", "3"), ("vcpus", True), ("vcpus", None),
    ("locked", True), ("locked", 0), ("locked", None),
    ("launched_at", _NAIVE), ("launched_at", _AWARE),
    ("launched_at", "2026-12-02T06:00:00Z"), ("launched_at", None),
    ("memory_mb", None), ("uuid", "8a1b0f0e-5f9c-4d36-9d59-4b0c3c7a1f00"),
    ("metadata", {"k": "v"}), ("id", 7),
])
def test_set_fields_stores_what_the_setter_would(name: str,
                                                 value: object) -> None:
    by_setter = instance_obj.Instance()
    setattr(by_setter, name, value)
    fast = instance_obj.Instance()
    objects_base.set_fields(fast, [(name, value)])
    assert getattr(fast, name) == getattr(by_setter, name)
    assert type(getattr(fast, name)) is type(getattr(by_setter, name))
    if isinstance(getattr(fast, name), datetime.datetime):
        assert (getattr(fast, name).utcoffset()
                == getattr(by_setter, name).utcoffset())
    assert fast.obj_what_changed() == by_setter.obj_what_changed() == {name}


@pytest.mark.parametrize("name,value", [
    ("vcpus", "many"), ("host", object()), ("launched_at", 5)])
def test_set_fields_rejects_what_the_setter_rejects(name: str,
                                                    value: object) -> None:
    with pytest.raises(ValueError):
        objects_base.set_fields(instance_obj.Instance(), [(name, value)])


def test_set_fields_keeps_a_read_only_field_read_only() -> None:
    instance = instance_obj.Instance(id=1)
    with pytest.raises(ovo_exception.ReadOnlyFieldError):
        objects_base.set_fields(instance, [("id", 2)])


def test_an_object_from_a_primitive_is_the_librarys() -> None:
    instance = instance_obj.Instance(
        uuid="8a1b0f0e-5f9c-4d36-9d59-4b0c3c7a1f00", host="h1", vcpus=2,
        locked=False, launched_at=_NAIVE, flavor=_flavor(), task_state=None,
        metadata={"a": "b"})
    instance.obj_reset_changes(["uuid"])
    primitive = instance.obj_to_primitive()
    ours = instance_obj.Instance.obj_from_primitive(primitive)
    library = ovo_base.VersionedObject._obj_from_primitive.__func__(
        instance_obj.Instance, None, instance.VERSION,
        primitive)
    for name in instance.fields:
        assert ours.obj_attr_is_set(name) == library.obj_attr_is_set(name)
        if ours.obj_attr_is_set(name) and name != "flavor":
            assert getattr(ours, name) == getattr(library, name)
    assert ours.obj_what_changed() == library.obj_what_changed()
    # The library builds a nested object through the class's own
    # _obj_from_primitive (ours again): the flavor is compared with one
    # the library's method builds directly.
    nested = primitive["minova_object.data"]["flavor"]
    library_flavor = ovo_base.VersionedObject._obj_from_primitive.__func__(
        flavor_obj.Flavor, None, nested["minova_object.version"], nested)
    for name in flavor_obj.Flavor.fields:
        assert ours.flavor.obj_attr_is_set(name) == \
            library_flavor.obj_attr_is_set(name)
        if library_flavor.obj_attr_is_set(name):
            assert getattr(ours.flavor, name) == \
                getattr(library_flavor, name)
    assert ours.flavor.obj_what_changed() == \
        library_flavor.obj_what_changed()


@pytest.mark.parametrize("target", [None, "1.1", "1.2"])
def test_a_primitive_is_the_librarys(target: str | None) -> None:
    instance = instance_obj.Instance(
        uuid="8a1b0f0e-5f9c-4d36-9d59-4b0c3c7a1f00", host="h1", vcpus=2,
        locked=True, launched_at=_NAIVE, terminated_at=_AWARE,
        flavor=_flavor(), task_state=None, metadata={"a": "b"},
        user_data="x", network_info=[{"address": "10.0.0.3"}])
    instance.obj_reset_changes(["uuid", "host"])
    manifest = {"Instance": target, "Flavor": "1.0"} if target else None
    ours = instance.obj_to_primitive(target_version=target,
                                     version_manifest=manifest)
    library = ovo_base.VersionedObject.obj_to_primitive(
        instance, target_version=target, version_manifest=manifest)
    changes = "minova_object.changes"
    assert sorted(ours.pop(changes)) == sorted(library.pop(changes))
    assert ours == library
    with pytest.raises(ovo_exception.InvalidTargetVersion):
        instance.obj_to_primitive(target_version="9.0")

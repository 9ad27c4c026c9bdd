"""Base classes for minova's oslo.versionedobjects."""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception
from oslo_versionedobjects import fields as ovo_fields

from minova.db import api as db_api


class MinovaObjectRegistry(ovo_base.VersionedObjectRegistry):
    pass


class _ContextIndirection:
    """``indirection_api`` taken from the object's request context.

    oslo.versionedobjects keeps the indirection API on the class, i.e. per
    process. minova-all runs conductor and compute in one process, and only
    the compute's objects must send their remotable calls to the conductor,
    so the choice rides on the context each service builds instead (see
    ``minova.context.RequestContext``). Remotable *classmethods* see None
    here and run locally, where a compute's context has no database and
    gets ``DBNotAllowed``; computes ask the conductor explicitly instead.
    """

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None or obj._context is None:
            return None
        return getattr(obj._context, "indirection_api", None)


class MinovaObject(ovo_base.VersionedObject):
    OBJ_SERIAL_NAMESPACE = "minova_object"
    OBJ_PROJECT_NAMESPACE = "minova"

    indirection_api = _ContextIndirection()

    def obj_attr_is_set(self, attrname: str) -> bool:
        # The library's version looks the name up in ``obj_fields``, a
        # list it rebuilds on every call, and serializing an object asks
        # once per field (quadratic; a quarter of the CPU of an RPC hop
        # carrying an Instance). Same answer and errors, dict lookups.
        if (attrname not in self.fields
                and attrname not in self.obj_extra_fields):
            return super().obj_attr_is_set(attrname)  # AttributeError
        return hasattr(self, "_obj_" + attrname)

    def obj_what_changed(self) -> set[str]:
        # The library's version reads every field through its property to
        # find nested objects; only object fields can hold one.
        changes = {name for name in self._changed_fields
                   if name in self.fields}
        for name in _object_fields(type(self)):
            value = getattr(self, "_obj_" + name, None)
            if (isinstance(value, ovo_base.VersionedObject)
                    and value.obj_what_changed()):
                changes.add(name)
        return changes

    def obj_to_primitive(self, target_version: str | None = None,
                         version_manifest: dict | None = None) -> dict:
        # The library's version, but with the fields read from where the
        # library stores them and a str, int or bool of a String, Integer
        # or Boolean field (or a None) taken as it is, which is what
        # their ``to_primitive`` returns: the library's per-field getter,
        # check and ``to_primitive`` calls were most of the CPU of
        # serializing an Instance, on every RPC message that carries one.
        if target_version is None:
            target_version = self.VERSION
        if target_version != self.VERSION and (
                versionutils.convert_version_to_tuple(target_version)
                > versionutils.convert_version_to_tuple(self.VERSION)):
            raise ovo_exception.InvalidTargetVersion(version=target_version)
        plain = _plain_fields(type(self))
        stored = self.__dict__
        primitive = {}
        for name, field in self.fields.items():
            key = "_obj_" + name
            if key not in stored:
                continue
            value = stored[key]
            kind = plain.get(name)
            if value is None or (kind is not None and type(value) is kind[0]
                                 and kind[0] is not datetime.datetime):
                primitive[name] = value
            else:
                primitive[name] = field.to_primitive(self, name, value)
        if target_version != self.VERSION or version_manifest:
            self.obj_make_compatible_from_manifest(
                primitive, target_version, version_manifest)
        obj = {
            self._obj_primitive_key("name"): self.obj_name(),
            self._obj_primitive_key("namespace"): self.OBJ_PROJECT_NAMESPACE,
            self._obj_primitive_key("version"): target_version,
            self._obj_primitive_key("data"): primitive,
        }
        what_changed = self.obj_what_changed()
        if what_changed:
            changes = [name for name in what_changed if name in primitive]
            if changes:
                obj[self._obj_primitive_key("changes")] = changes
        return obj

    @classmethod
    def _obj_from_primitive(cls, context: Any, objver: str,
                            primitive: dict) -> MinovaObject:
        # The library's version, but fields set through ``set_fields``:
        # it coerces each value twice (``from_primitive``, then the
        # setter), on every object of every RPC message.
        self = cls()
        self._context = context
        self.VERSION = objver
        objdata = cls._obj_primitive_field(primitive, "data")
        changes = cls._obj_primitive_field(primitive, "changes", [])
        set_fields(self, [
            (name, field.from_primitive(self, name, objdata[name]))
            for name, field in self.fields.items() if name in objdata])
        self._changed_fields = {x for x in changes if x in self.fields}
        return self

    @staticmethod
    def _db(context: Any) -> db_api.Database:
        return db_api.from_context(context)

    @classmethod
    def _from_db_object(cls, context: Any, obj: MinovaObject,
                        row: Any) -> MinovaObject:
        set_fields(obj, [(field, getattr(row, field)) for field in obj.fields])
        obj._context = context
        obj.obj_reset_changes()
        return obj


# Field types whose ``coerce`` returns a value of exactly this Python type
# unchanged (``str(value)``, ``int(value)``, ``float(value)``,
# ``bool(value)``), and time-zone-aware DateTime, whose ``coerce`` only
# adds UTC to a naive datetime (as the database returns them).
_AS_IS = {ovo_fields.String: str, ovo_fields.Integer: int,
          ovo_fields.Float: float, ovo_fields.Boolean: bool}
# UUID's ``coerce`` returns the string as it is, after a check under
# ``warnings.catch_warnings`` (costly) that only warns: a string in the
# canonical form passes it.
_CANONICAL_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}").fullmatch


@functools.cache
def _plain_fields(cls: type) -> dict[str, tuple[type, bool, Any]]:
    """The fields of ``cls`` ``set_fields`` may set without ``coerce``:
    name -> (the type a value must be exactly, nullable, a check the
    value must pass or None)."""
    plain: dict[str, tuple[type, bool, Any]] = {}
    for name, field in cls.fields.items():
        kind = type(getattr(field, "_type", None))
        if field.read_only:
            continue  # the setter checks an overwrite
        if kind in _AS_IS:
            plain[name] = (_AS_IS[kind], field.nullable, None)
        elif kind is ovo_fields.UUID:
            plain[name] = (str, field.nullable, _CANONICAL_UUID)
        elif kind is ovo_fields.DateTime and field._type.tzinfo_aware:
            plain[name] = (datetime.datetime, field.nullable, None)
    return plain


def set_fields(obj: MinovaObject, values: list[tuple[str, Any]]) -> None:
    """``setattr(obj, name, value)`` for each pair, as
    oslo.versionedobjects' field setters do (the value stored, the field
    marked changed), skipping their ``coerce`` where it would return the
    value as it is. Building an object from a row or a primitive sets
    every field, and coercing them was a fifth of the CPU of each
    Instance built (the library has no way to set checked values)."""
    plain = _plain_fields(type(obj))
    changed = obj._changed_fields
    utc = datetime.timezone.utc
    for name, value in values:
        kind = plain.get(name)
        if kind is not None:
            if value is None:
                if kind[1]:
                    setattr(obj, "_obj_" + name, None)
                    changed.add(name)
                    continue
            elif type(value) is kind[0] and (kind[2] is None
                                             or kind[2](value)):
                if kind[0] is datetime.datetime and \
                        value.utcoffset() is None:
                    value = value.replace(tzinfo=utc)
                setattr(obj, "_obj_" + name, value)
                changed.add(name)
                continue
        setattr(obj, name, value)


def apply_remote_changes(obj: MinovaObject, updates: dict) -> None:
    """Apply what a conductor method that ran one of ``obj``'s methods
    returned (its ``object_action`` changes), as oslo.versionedobjects'
    ``remotable`` does for the calls it sends itself: for conductor
    methods that do more than one object method in a call."""
    values = []
    for name, value in updates.items():
        if name not in obj.fields:
            continue
        if not isinstance(value, ovo_base.VersionedObject):
            value = obj.fields[name].from_primitive(obj, name, value)
        values.append((name, value))
    set_fields(obj, values)
    obj.obj_reset_changes()
    obj._changed_fields = set(updates.get("obj_what_changed", ()))


@functools.cache
def _object_fields(cls: type) -> tuple[str, ...]:
    """The fields of ``cls`` whose value is a versioned object."""
    return tuple(name for name, field in cls.fields.items()
                 if isinstance(getattr(field, "_type", None),
                               ovo_fields.Object))


class MinovaRowObject:
    """Get by id, create, save and destroy for an object that is one row.

    ``_queries`` is the query module of its table (``minova.db.<table>``)
    with ``get``, ``create``, ``update`` and ``destroy``; mix in before
    ``MinovaObject``.
    """

    _queries: Any = None

    @classmethod
    @ovo_base.remotable
    def get_by_id(cls, context: Any, obj_id: int) -> Any:
        row = cls._queries.get(cls._db(context), obj_id)
        return cls._from_db_object(context, cls(), row)

    @ovo_base.remotable
    def create(self) -> None:
        row = self._queries.create(self._db(self._context),
                                   self.obj_get_changes())
        self._from_db_object(self._context, self, row)

    @ovo_base.remotable
    def save(self) -> None:
        updates = self.obj_get_changes()
        updates.pop("id", None)
        row = self._queries.update(self._db(self._context), self.id,
                                   updates)
        self._from_db_object(self._context, self, row)

    @ovo_base.remotable
    def destroy(self) -> None:
        self._queries.destroy(self._db(self._context), self.id)


class MinovaPersistentObject:
    """Mixin with the timestamp and soft-delete columns every row has."""

    from oslo_versionedobjects import fields as _f

    fields = {
        "created_at": _f.DateTimeField(nullable=True),
        "updated_at": _f.DateTimeField(nullable=True),
        "deleted_at": _f.DateTimeField(nullable=True),
        "deleted": _f.IntegerField(default=0),
    }


class MinovaObjectSerializer(ovo_base.VersionedObjectSerializer):
    OBJ_BASE_CLASS = MinovaObject


def obj_to_primitive(obj: Any) -> Any:
    return ovo_base.obj_to_primitive(obj)

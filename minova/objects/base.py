"""Base classes for minova's oslo.versionedobjects."""

from __future__ import annotations

import functools
from typing import Any

from oslo_versionedobjects import base as ovo_base
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

    @staticmethod
    def _db(context: Any) -> db_api.Database:
        return db_api.from_context(context)

    @classmethod
    def _from_db_object(cls, context: Any, obj: MinovaObject,
                        row: Any) -> MinovaObject:
        for field in obj.fields:
            setattr(obj, field, getattr(row, field))
        obj._context = context
        obj.obj_reset_changes()
        return obj


def apply_remote_changes(obj: MinovaObject, updates: dict) -> None:
    """Apply what a conductor method that ran one of ``obj``'s methods
    returned (its ``object_action`` changes), as oslo.versionedobjects'
    ``remotable`` does for the calls it sends itself: for conductor
    methods that do more than one object method in a call."""
    for name, value in updates.items():
        if name not in obj.fields:
            continue
        if not isinstance(value, ovo_base.VersionedObject):
            value = obj.fields[name].from_primitive(obj, name, value)
        setattr(obj, name, value)
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

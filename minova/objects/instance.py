"""The Instance object (a server) and its faults."""

from __future__ import annotations

from typing import Any

from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from minova.db import instance_faults as db_faults
from minova.db import instances as db_instances
from minova.objects import base
from minova.objects import flavor as flavor_obj


@base.MinovaObjectRegistry.register
class InstanceFault(base.MinovaObject, ovo_base.VersionedObjectDictCompat):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {
        "id": fields.IntegerField(read_only=True),
        "instance_uuid": fields.UUIDField(),
        "code": fields.IntegerField(),
        "message": fields.StringField(nullable=True),
        "details": fields.StringField(nullable=True),
        "host": fields.StringField(nullable=True),
        "created_at": fields.DateTimeField(nullable=True),
        "updated_at": fields.DateTimeField(nullable=True),
    }

    @ovo_base.remotable
    def create(self) -> None:
        values = self.obj_get_changes()
        if values.get("message"):
            values["message"] = values["message"][:255]
        row = db_faults.create(self._db(self._context), values)
        self._from_db_object(self._context, self, row)


_FIELDS_NOT_IN_ROW = ("metadata", "fault", "flavor")


def _flavor(snapshot: dict) -> flavor_obj.Flavor:
    """``Flavor(**snapshot)``, its fields set as ``set_fields`` does."""
    flavor = flavor_obj.Flavor()
    base.set_fields(flavor, list(snapshot.items()))
    # As read, not changed: else every save of the instance would write
    # the flavor again and send it back to the compute.
    flavor.obj_reset_changes()
    return flavor


def _same_flavor(obj: Instance, snapshot: dict | None) -> bool:
    """Whether ``obj`` holds the flavor ``snapshot`` already, unchanged
    (a save's row read back): kept, it is not built again, nor sent back
    to a compute as a change."""
    if not snapshot or not obj.obj_attr_is_set("flavor"):
        return False
    flavor = obj.flavor
    return (flavor is not None and not flavor.obj_what_changed()
            and {name: getattr(flavor, name) for name in flavor.fields
                 if flavor.obj_attr_is_set(name)} == snapshot)


@base.MinovaObjectRegistry.register
class Instance(base.MinovaPersistentObject, base.MinovaObject,
               ovo_base.VersionedObjectDictCompat):
    """A server. ``fault`` is loaded on request (``expected_attrs``)."""

    # Version 1.0: Initial version
    # Version 1.1: locked, locked_by, locked_reason
    # Version 1.2: user_data, pinned_availability_zone
    VERSION = "1.2"

    fields = {
        "id": fields.IntegerField(read_only=True),
        "uuid": fields.UUIDField(),
        "display_name": fields.StringField(nullable=True),
        "hostname": fields.StringField(nullable=True),
        "user_id": fields.StringField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "image_ref": fields.StringField(nullable=True),
        "flavor_id": fields.IntegerField(nullable=True),
        "memory_mb": fields.IntegerField(default=0),
        "vcpus": fields.IntegerField(default=0),
        "root_gb": fields.IntegerField(default=0),
        "ephemeral_gb": fields.IntegerField(default=0),
        # What the flavor was at boot (sizes are also copied in columns).
        "flavor": fields.ObjectField("Flavor", nullable=True),
        "vm_state": fields.StringField(nullable=True),
        "task_state": fields.StringField(nullable=True),
        "power_state": fields.IntegerField(default=0),
        "host": fields.StringField(nullable=True),
        "node": fields.StringField(nullable=True),
        "availability_zone": fields.StringField(nullable=True),
        "key_name": fields.StringField(nullable=True),
        "metadata": fields.DictOfStringsField(default={}),
        "network_info": fields.ListOfDictOfNullableStringsField(
            nullable=True),
        "launched_at": fields.DateTimeField(nullable=True),
        "terminated_at": fields.DateTimeField(nullable=True),
        "fault": fields.ObjectField("InstanceFault", nullable=True),
        "locked": fields.BooleanField(default=False),
        "locked_by": fields.StringField(nullable=True),
        "locked_reason": fields.StringField(nullable=True),
        "user_data": fields.StringField(nullable=True),
        "pinned_availability_zone": fields.StringField(nullable=True),
        **base.MinovaPersistentObject.fields,
    }

    def obj_make_compatible(self, primitive: dict,
                            target_version: str) -> None:
        super().obj_make_compatible(primitive, target_version)
        if versionutils.convert_version_to_tuple(target_version) < (1, 2):
            primitive.pop("user_data", None)
            primitive.pop("pinned_availability_zone", None)

    @classmethod
    def _from_db_object(cls, context: Any, obj: Instance, row: Any,
                        fault: Any = None,
                        with_fault: bool = False) -> Instance:
        base.set_fields(obj, [(field, getattr(row, field))
                              for field in obj.fields
                              if field not in _FIELDS_NOT_IN_ROW])
        obj.metadata = dict(row.meta or {})
        # Rows from before migration 0007 hold NULL: never locked.
        obj.locked = bool(row.locked)
        if not _same_flavor(obj, row.flavor):
            obj.flavor = _flavor(row.flavor) if row.flavor else None
        if with_fault:
            obj.fault = (InstanceFault._from_db_object(
                context, InstanceFault(), fault) if fault else None)
        obj._context = context
        obj.obj_reset_changes()
        return obj

    def _db_values(self) -> dict:
        values = self.obj_get_changes()
        values.pop("id", None)
        values.pop("fault", None)
        if "metadata" in values:
            values["meta"] = values.pop("metadata")
        if "flavor" in values:
            values["flavor"] = (values["flavor"].snapshot()
                                if values["flavor"] else None)
        return values

    @classmethod
    @ovo_base.remotable
    def get_by_uuid(cls, context: Any, uuid: str,
                    expected_attrs: list | None = None) -> Instance:
        db = cls._db(context)
        row = db_instances.get_by_uuid(db, uuid, context.read_deleted)
        with_fault = "fault" in (expected_attrs or [])
        fault = (db_faults.get_latest_by_instance_uuids(db, [uuid]).get(uuid)
                 if with_fault else None)
        return cls._from_db_object(context, cls(), row, fault, with_fault)

    @classmethod
    @ovo_base.remotable
    def get_by_fixed_ip(cls, context: Any, address: str) -> Instance:
        """The live instance with fixed IP ``address`` (an index look-up,
        see ``minova.db.instances.get_by_fixed_ip``)."""
        row = db_instances.get_by_fixed_ip(cls._db(context), address)
        return cls._from_db_object(context, cls(), row)

    @ovo_base.remotable
    def create(self) -> None:
        row = db_instances.create(self._db(self._context), self._db_values())
        self._from_db_object(self._context, self, row)

    # A create of several at once, in a transaction of the caller's
    # (``minova.quota.create_instances``): the values to insert, then
    # the row as stored.

    def values_to_create(self) -> dict:
        return self._db_values()

    def created_as(self, row: Any) -> None:
        self._from_db_object(self._context, self, row)

    @ovo_base.remotable
    def save(self, expected_task_state: list | None = None) -> None:
        """Write the changes; with ``expected_task_state`` only if the
        stored task_state is one of those (else UnexpectedTaskStateError).
        """
        values = self._db_values()
        if not values:
            return
        row = db_instances.update(self._db(self._context), self.uuid,
                                  values, expected_task_state)
        self._from_db_object(self._context, self, row)

    @ovo_base.remotable
    def destroy(self) -> None:
        row = db_instances.destroy(self._db(self._context), self.uuid)
        self._from_db_object(self._context, self, row)

    def obj_load_attr(self, attrname: str) -> None:
        if attrname == "fault":
            self.fault = None
            return
        super().obj_load_attr(attrname)


@base.MinovaObjectRegistry.register
class InstanceList(ovo_base.ObjectListBase, base.MinovaObject):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {"objects": fields.ListOfObjectsField("Instance")}

    @classmethod
    @ovo_base.remotable
    def get_by_filters(cls, context: Any, filters: dict,
                       sort_keys: list | None = None,
                       sort_dirs: list | None = None,
                       limit: int | None = None, marker: str | None = None,
                       expected_attrs: list | None = None) -> InstanceList:
        db = cls._db(context)
        rows = db_instances.get_all_by_filters(
            db, filters, sort_keys=sort_keys, sort_dirs=sort_dirs,
            limit=limit, marker=marker, read_deleted=context.read_deleted)
        with_fault = "fault" in (expected_attrs or [])
        faults = (db_faults.get_latest_by_instance_uuids(
            db, [row.uuid for row in rows]) if with_fault else {})
        result = cls(context)
        result.objects = [
            Instance._from_db_object(context, Instance(), row,
                                     faults.get(row.uuid), with_fault)
            for row in rows]
        result.obj_reset_changes()
        return result

    @classmethod
    @ovo_base.remotable
    def get_by_host(cls, context: Any, host: str) -> InstanceList:
        return cls.get_by_filters(context, {"host": host})

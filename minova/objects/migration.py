"""The Migration object: one resize, saved by the services that run it
(minova-compute through the conductor)."""

from __future__ import annotations

from typing import Any

from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from minova.db import instance_migrations as db_migrations
from minova.objects import base
from minova.objects import flavor as flavor_obj

_FLAVORS = ("old_flavor", "new_flavor")


@base.MinovaObjectRegistry.register
class Migration(base.MinovaObject, ovo_base.VersionedObjectDictCompat):
    # Version 1.0: Initial version
    # Version 1.1: uuid, user_id, project_id
    VERSION = "1.1"

    fields = {
        "id": fields.IntegerField(read_only=True),
        "instance_uuid": fields.UUIDField(),
        "migration_type": fields.StringField(nullable=True),
        "status": fields.StringField(nullable=True),
        "source_compute": fields.StringField(nullable=True),
        "source_node": fields.StringField(nullable=True),
        "dest_compute": fields.StringField(nullable=True),
        "dest_node": fields.StringField(nullable=True),
        "old_instance_type_id": fields.IntegerField(nullable=True),
        "new_instance_type_id": fields.IntegerField(nullable=True),
        "old_flavor": fields.ObjectField("Flavor", nullable=True),
        "new_flavor": fields.ObjectField("Flavor", nullable=True),
        "old_vm_state": fields.StringField(nullable=True),
        "uuid": fields.UUIDField(nullable=True),
        "user_id": fields.StringField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "created_at": fields.DateTimeField(nullable=True),
        "updated_at": fields.DateTimeField(nullable=True),
    }

    def obj_make_compatible(self, primitive: dict,
                            target_version: str) -> None:
        super().obj_make_compatible(primitive, target_version)
        if versionutils.convert_version_to_tuple(target_version) < (1, 1):
            for name in ("uuid", "user_id", "project_id"):
                primitive.pop(name, None)

    @classmethod
    def _from_db_object(cls, context: Any, obj: Any, row: Any) -> Any:
        for name in obj.fields:
            value = getattr(row, name)
            if name in _FLAVORS and value is not None:
                value = flavor_obj.Flavor(**value)
            setattr(obj, name, value)
        obj._context = context
        obj.obj_reset_changes()
        return obj

    def _db_values(self) -> dict:
        values = self.obj_get_changes()
        values.pop("id", None)
        for name in _FLAVORS:
            if values.get(name) is not None:
                values[name] = values[name].snapshot()
        return values

    @ovo_base.remotable
    def create(self) -> None:
        row = db_migrations.create(self._db(self._context),
                                   self._db_values())
        self._from_db_object(self._context, self, row)

    @ovo_base.remotable
    def save(self) -> None:
        changes = self._db_values()
        if changes:
            row = db_migrations.update(self._db(self._context), self.id,
                                       changes)
            self._from_db_object(self._context, self, row)

    @classmethod
    @ovo_base.remotable
    def get_by_instance_and_status(cls, context: Any, instance_uuid: str,
                                   status: str) -> Migration:
        row = db_migrations.get_by_instance_and_status(
            cls._db(context), instance_uuid, status)
        return cls._from_db_object(context, cls(), row)

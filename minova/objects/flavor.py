"""The Flavor object: a size servers boot with."""

from __future__ import annotations

from typing import Any

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from minova.db import flavors as db_flavors
from minova.objects import base

# What an instance keeps of its flavor (the sizes are copied at boot).
SNAPSHOT_FIELDS = ("flavorid", "name", "memory_mb", "vcpus", "root_gb",
                   "ephemeral_gb", "swap", "rxtx_factor", "is_public",
                   "description")


@base.MinovaObjectRegistry.register
class Flavor(base.MinovaObject, ovo_base.VersionedObjectDictCompat):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {
        "id": fields.IntegerField(read_only=True),
        "flavorid": fields.StringField(),
        "name": fields.StringField(),
        "memory_mb": fields.IntegerField(),
        "vcpus": fields.IntegerField(),
        "root_gb": fields.IntegerField(default=0),
        "ephemeral_gb": fields.IntegerField(default=0),
        "swap": fields.IntegerField(default=0),
        "rxtx_factor": fields.FloatField(default=1.0),
        "is_public": fields.BooleanField(default=True),
        "disabled": fields.BooleanField(default=False),
        "description": fields.StringField(nullable=True),
        "created_at": fields.DateTimeField(nullable=True),
        "updated_at": fields.DateTimeField(nullable=True),
    }

    @classmethod
    @ovo_base.remotable
    def get_by_flavor_id(cls, context: Any, flavorid: str) -> Flavor:
        row = db_flavors.get_by_flavorid(cls._db(context), flavorid)
        return cls._from_db_object(context, cls(), row)

    @classmethod
    @ovo_base.remotable
    def get_by_id(cls, context: Any, flavor_id: int) -> Flavor:
        row = db_flavors.get_by_id(cls._db(context), flavor_id)
        return cls._from_db_object(context, cls(), row)

    @ovo_base.remotable
    def create(self) -> None:
        row = db_flavors.create(self._db(self._context),
                                self.obj_get_changes())
        self._from_db_object(self._context, self, row)

    @ovo_base.remotable
    def save(self) -> None:
        """Saves the description, all a flavor lets change (2.55)."""
        row = db_flavors.update_description(self._db(self._context),
                                            self.flavorid, self.description)
        self._from_db_object(self._context, self, row)
        self.obj_reset_changes()

    @ovo_base.remotable
    def destroy(self) -> None:
        db_flavors.destroy(self._db(self._context), self.flavorid)

    def snapshot(self) -> dict:
        """The sizes an instance keeps when it boots with this flavor."""
        return {name: getattr(self, name) for name in SNAPSHOT_FIELDS}


@base.MinovaObjectRegistry.register
class FlavorList(ovo_base.ObjectListBase, base.MinovaObject):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {"objects": fields.ListOfObjectsField("Flavor")}

    @classmethod
    @ovo_base.remotable
    def get_all(cls, context: Any, is_public: bool | None = True,
                min_memory_mb: int | None = None,
                min_root_gb: int | None = None, sort_key: str = "flavorid",
                sort_dir: str = "asc", limit: int | None = None,
                marker: str | None = None) -> FlavorList:
        rows = db_flavors.get_all(
            cls._db(context), is_public=is_public,
            min_memory_mb=min_memory_mb, min_root_gb=min_root_gb,
            sort_key=sort_key, sort_dir=sort_dir, limit=limit,
            marker=marker)
        return ovo_base.obj_make_list(context, cls(context), rows)

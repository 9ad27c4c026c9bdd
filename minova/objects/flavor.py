"""The Flavor object: a size servers boot with."""

from __future__ import annotations

from typing import Any

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from minova import exception
from minova.db import flavor_extras as db_flavor_extras
from minova.db import flavors as db_flavors
from minova.objects import base

# What an instance keeps of its flavor (the sizes are copied at boot).
SNAPSHOT_FIELDS = ("flavorid", "name", "memory_mb", "vcpus", "root_gb",
                   "ephemeral_gb", "swap", "rxtx_factor", "is_public",
                   "description", "extra_specs")


@base.MinovaObjectRegistry.register
class Flavor(base.MinovaObject, ovo_base.VersionedObjectDictCompat):
    # Version 1.0: Initial version
    # Version 1.1: extra_specs
    VERSION = "1.1"

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
        # Loaded with the flavor; a snapshot made before there were extra
        # specs has none set.
        "extra_specs": fields.DictOfNullableStringsField(default={}),
        "created_at": fields.DateTimeField(nullable=True),
        "updated_at": fields.DateTimeField(nullable=True),
    }

    def obj_make_compatible(self, primitive: dict,
                            target_version: str) -> None:
        super().obj_make_compatible(primitive, target_version)
        if tuple(int(part) for part in target_version.split(".")) < (1, 1):
            primitive.pop("extra_specs", None)

    @classmethod
    def _from_db_object(cls, context: Any, obj: Any, row: Any) -> Any:
        for field in obj.fields:
            if field != "extra_specs":  # not a column: its own table
                setattr(obj, field, getattr(row, field))
        obj._context = context
        obj.obj_reset_changes()
        return obj

    @classmethod
    @ovo_base.remotable
    def get_by_flavor_id(cls, context: Any, flavorid: str) -> Flavor:
        """The flavor, with its extra specs. As in Nova, a private flavor
        is ``FlavorNotFound`` to a non-admin context whose project has no
        access to it."""
        db = cls._db(context)
        row, specs = db_flavors.get_with_specs(db, flavorid)
        if not (row.is_public or context.is_admin or
                db_flavor_extras.has_access(db, row.id,
                                            context.project_id)):
            raise exception.FlavorNotFound(flavor_id=flavorid)
        flavor = cls._from_db_object(context, cls(), row)
        flavor.extra_specs = dict(sorted(specs.items()))
        flavor.obj_reset_changes(["extra_specs"])
        return flavor

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

    @ovo_base.remotable
    def update_extra_specs(self, specs: dict) -> None:
        """Add or change ``specs``; the others stay."""
        db_flavor_extras.update_specs(self._db(self._context), self.id,
                                      specs)
        self.extra_specs = {**self.extra_specs, **specs}
        self.obj_reset_changes(["extra_specs"])

    @ovo_base.remotable
    def delete_extra_spec(self, key: str) -> None:
        db_flavor_extras.delete_spec(self._db(self._context), self.id,
                                     self.flavorid, key)
        self.extra_specs = {name: value for name, value
                            in self.extra_specs.items() if name != key}
        self.obj_reset_changes(["extra_specs"])

    @ovo_base.remotable
    def get_projects(self) -> list:
        """The projects a private flavor is shared with."""
        return db_flavor_extras.get_projects(self._db(self._context),
                                             self.id)

    @ovo_base.remotable
    def add_access(self, project_id: str) -> None:
        if self.is_public:
            raise exception.FlavorIsPublic(flavor_id=self.flavorid)
        db_flavor_extras.add_project(self._db(self._context), self.id,
                                     self.flavorid, project_id)

    @ovo_base.remotable
    def remove_access(self, project_id: str) -> None:
        db_flavor_extras.remove_project(self._db(self._context), self.id,
                                        self.flavorid, project_id)

    def snapshot(self) -> dict:
        """The sizes an instance keeps when it boots with this flavor."""
        return {name: getattr(self, name) for name in SNAPSHOT_FIELDS
                if self.obj_attr_is_set(name)}


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

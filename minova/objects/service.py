"""The Service object: one row of the services table."""

from __future__ import annotations

from typing import Any

from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from minova.db import services as db_services
from minova.objects import base


@base.MinovaObjectRegistry.register
class Service(base.MinovaRowObject, base.MinovaPersistentObject,
              base.MinovaObject,
              ovo_base.VersionedObjectDictCompat):
    # Version 1.0: Initial version
    # Version 1.1: uuid
    VERSION = "1.1"

    _queries = db_services

    fields = {
        "id": fields.IntegerField(read_only=True),
        "uuid": fields.UUIDField(nullable=True),
        "host": fields.StringField(nullable=True),
        "binary": fields.StringField(nullable=True),
        "topic": fields.StringField(nullable=True),
        "report_count": fields.IntegerField(default=0),
        "disabled": fields.BooleanField(default=False),
        "disabled_reason": fields.StringField(nullable=True),
        "forced_down": fields.BooleanField(default=False),
        "last_seen_up": fields.DateTimeField(nullable=True),
        "version": fields.IntegerField(default=0),
        **base.MinovaPersistentObject.fields,
    }

    @classmethod
    @ovo_base.remotable
    def get_by_host_and_binary(cls, context: Any, host: str,
                               binary: str) -> Service:
        row = db_services.get_by_host_and_binary(cls._db(context), host,
                                                 binary)
        return cls._from_db_object(context, cls(), row)

    @classmethod
    @ovo_base.remotable
    def get_by_uuid(cls, context: Any, service_uuid: str) -> Service:
        row = db_services.get_by_uuid(cls._db(context), service_uuid)
        return cls._from_db_object(context, cls(), row)

    def obj_make_compatible(self, primitive: dict,
                            target_version: str) -> None:
        super().obj_make_compatible(primitive, target_version)
        if versionutils.convert_version_to_tuple(target_version) < (1, 1):
            primitive.pop("uuid", None)

    @ovo_base.remotable
    def heartbeat(self) -> None:
        row = db_services.heartbeat(self._db(self._context), self.id)
        self._from_db_object(self._context, self, row)


@base.MinovaObjectRegistry.register
class ServiceList(ovo_base.ObjectListBase, base.MinovaObject):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {"objects": fields.ListOfObjectsField("Service")}

    @classmethod
    @ovo_base.remotable
    def get_all(cls, context: Any, host: str | None = None,
                binary: str | None = None,
                topic: str | None = None) -> ServiceList:
        rows = db_services.get_all(cls._db(context), host=host,
                                   binary=binary, topic=topic)
        return ovo_base.obj_make_list(context, cls(context), rows)

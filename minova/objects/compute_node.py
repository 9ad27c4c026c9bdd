"""The ComputeNode object: a hypervisor's resources."""

from __future__ import annotations

from typing import Any

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from minova.db import compute_nodes as db_nodes
from minova.objects import base


@base.MinovaObjectRegistry.register
class ComputeNode(base.MinovaRowObject, base.MinovaPersistentObject,
                  base.MinovaObject,
                  ovo_base.VersionedObjectDictCompat):
    # Version 1.0: Initial version
    VERSION = "1.0"

    _queries = db_nodes

    fields = {
        "id": fields.IntegerField(read_only=True),
        "uuid": fields.UUIDField(),
        "host": fields.StringField(),
        "hypervisor_hostname": fields.StringField(),
        "hypervisor_type": fields.StringField(default="fake"),
        "hypervisor_version": fields.IntegerField(default=1),
        "host_ip": fields.StringField(nullable=True),
        "vcpus": fields.IntegerField(default=0),
        "memory_mb": fields.IntegerField(default=0),
        "local_gb": fields.IntegerField(default=0),
        "vcpus_used": fields.IntegerField(default=0),
        "memory_mb_used": fields.IntegerField(default=0),
        "local_gb_used": fields.IntegerField(default=0),
        "free_ram_mb": fields.IntegerField(default=0),
        "free_disk_gb": fields.IntegerField(default=0),
        "running_vms": fields.IntegerField(default=0),
        "cpu_allocation_ratio": fields.FloatField(default=16.0),
        "ram_allocation_ratio": fields.FloatField(default=1.5),
        "disk_allocation_ratio": fields.FloatField(default=1.0),
        **base.MinovaPersistentObject.fields,
    }

    @classmethod
    @ovo_base.remotable
    def get_by_uuid(cls, context: Any, node_uuid: str) -> ComputeNode:
        row = db_nodes.get_by_uuid(cls._db(context), node_uuid)
        return cls._from_db_object(context, cls(), row)

    @classmethod
    @ovo_base.remotable
    def get_by_host_and_nodename(cls, context: Any, host: str,
                                 nodename: str) -> ComputeNode:
        row = db_nodes.get_by_host_and_nodename(cls._db(context), host,
                                                nodename)
        return cls._from_db_object(context, cls(), row)


@base.MinovaObjectRegistry.register
class ComputeNodeList(ovo_base.ObjectListBase, base.MinovaObject):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {"objects": fields.ListOfObjectsField("ComputeNode")}

    @classmethod
    @ovo_base.remotable
    def get_all(cls, context: Any,
                host: str | None = None) -> ComputeNodeList:
        rows = db_nodes.get_all(cls._db(context), host=host)
        return ovo_base.obj_make_list(context, cls(context), rows)

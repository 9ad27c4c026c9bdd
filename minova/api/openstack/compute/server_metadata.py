"""``/servers/{id}/metadata``: a server's key/value metadata, as Nova
serves it (list, merge, replace; one item: show, set, delete). Changes
are held to the ``metadata_items`` quota and need the server ACTIVE,
PAUSED, SUSPENDED or STOPPED with no task running (else 409)."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute import servers
from minova.api.openstack.compute.schemas import server_extras as schema

_RULE = "os_compute_api:server-metadata:%s"


def _instance(req: wsgi_util.APIRequest, server_id: str,
              action: str) -> Any:
    instance = servers.get_instance(req, server_id)
    req.deps.policy.authorize(req.context, _RULE % action,
                              servers.target(instance))
    return instance


def index(req: wsgi_util.APIRequest, server_id: str) -> Any:
    common.check_query(req, set())
    instance = _instance(req, server_id, "index")
    return wsgi_util.json_response({"metadata": dict(instance.metadata)})


def create(req: wsgi_util.APIRequest, server_id: str) -> Any:
    instance = _instance(req, server_id, "create")
    metadata = req.validated(schema.metadata)["metadata"]
    merged = req.deps.compute_api.update_metadata(req.context, instance,
                                                  metadata)
    return wsgi_util.json_response({"metadata": merged})


def update_all(req: wsgi_util.APIRequest, server_id: str) -> Any:
    instance = _instance(req, server_id, "update_all")
    metadata = req.validated(schema.metadata)["metadata"]
    req.deps.compute_api.update_metadata(req.context, instance, metadata,
                                         replace=True)
    return wsgi_util.json_response({"metadata": metadata})


def show(req: wsgi_util.APIRequest, server_id: str, key: str) -> Any:
    common.check_query(req, set())
    instance = _instance(req, server_id, "show")
    if key not in instance.metadata:
        raise exception.MetadataKeyNotFound()
    return wsgi_util.json_response({"meta": {key: instance.metadata[key]}})


def update(req: wsgi_util.APIRequest, server_id: str, key: str) -> Any:
    instance = _instance(req, server_id, "update")
    meta = req.validated(schema.meta_item)["meta"]
    if key not in meta:
        raise exception.Invalid(reason="Request body and URI mismatch")
    req.deps.compute_api.update_metadata(req.context, instance, meta)
    return wsgi_util.json_response({"meta": meta})


def delete(req: wsgi_util.APIRequest, server_id: str, key: str) -> Any:
    instance = _instance(req, server_id, "delete")
    req.deps.compute_api.delete_metadata_item(req.context, instance, key)
    return wsgi_util.empty_response(204)

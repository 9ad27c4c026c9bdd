"""``/servers/{id}/tags`` (2.26): list, replace, delete all; one tag: add,
check, delete. Changes need the server ACTIVE, PAUSED, SUSPENDED or
STOPPED (else 409), as in Nova; a server holds at most 50 tags."""

from __future__ import annotations

from typing import Any
from urllib import parse

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute import servers
from minova.api.openstack.compute.schemas import server_extras as schema
from minova.compute import vm_states
from minova.objects import tag as tag_obj

_RULE = "os_compute_api:os-server-tags:%s"
# Nova's, with the vm_states of actions minova may not have.
_CHANGEABLE = (vm_states.ACTIVE, "paused", "suspended", vm_states.STOPPED)


def _instance(req: wsgi_util.APIRequest, server_id: str, action: str,
              change: str | None = None) -> Any:
    if not req.api_version.matches("2.26"):
        raise exception.NotFound("The resource could not be found.")
    instance = servers.get_instance(req, server_id)
    req.deps.policy.authorize(req.context, _RULE % action,
                              servers.target(instance))
    if change is not None and instance.vm_state not in _CHANGEABLE:
        raise exception.InstanceInvalidState(
            action=change, instance_uuid=instance.uuid, attr="vm_state",
            state=instance.vm_state)
    return instance


def index(req: wsgi_util.APIRequest, server_id: str) -> Any:
    instance = _instance(req, server_id, "index")
    common.check_query(req, set())
    tags = tag_obj.TagList.get_by_resource_id(req.context, instance.uuid)
    return wsgi_util.json_response({"tags": tags.names()})


def update_all(req: wsgi_util.APIRequest, server_id: str) -> Any:
    instance = _instance(req, server_id, "update_all", "update tags")
    tags = req.validated(schema.tags)["tags"]
    return wsgi_util.json_response({"tags": tag_obj.TagList.create(
        req.context, instance.uuid, tags).names()})


def delete_all(req: wsgi_util.APIRequest, server_id: str) -> Any:
    instance = _instance(req, server_id, "delete_all", "delete tags")
    tag_obj.TagList.destroy(req.context, instance.uuid)
    return wsgi_util.empty_response(204)


def show(req: wsgi_util.APIRequest, server_id: str, tag: str) -> Any:
    instance = _instance(req, server_id, "show")
    common.check_query(req, set())
    tags = tag_obj.TagList.get_by_resource_id(req.context, instance.uuid)
    if tag not in tags.names():
        raise exception.NotFound("Server %s has no tag %s"
                                 % (server_id, exception.quote(tag)))
    return wsgi_util.empty_response(204)


def update(req: wsgi_util.APIRequest, server_id: str, tag: str) -> Any:
    instance = _instance(req, server_id, "update", "update tag")
    wsgi_util.validate(tag, schema.TAG)
    if not tag_obj.Tag.add(req.context, instance.uuid, tag):
        return wsgi_util.empty_response(204)
    response = wsgi_util.empty_response(201)
    response.headers["Location"] = "%s/servers/%s/tags/%s" % (
        common.base_url(req), server_id, parse.quote(tag, safe=""))
    return response


def delete(req: wsgi_util.APIRequest, server_id: str, tag: str) -> Any:
    instance = _instance(req, server_id, "delete", "delete tag")
    tag_obj.Tag.destroy(req.context, instance.uuid, tag)
    return wsgi_util.empty_response(204)

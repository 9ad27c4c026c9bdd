"""``/servers/{id}/os-instance-actions``: what was done to a server, by
whom and when (issue 9, RES2).

Every request that acts on a server records an action under its request
id (``minova.compute.api``); the services add its events. From 2.21 the
actions of a deleted server are shown too; 2.51 shows the events to
non-admins (without tracebacks); 2.58 adds ``updated_at`` and paging
(``limit``, ``marker``: a request id, ``changes-since``); 2.62 the events'
``host`` (admins) and ``hostId``; 2.66 ``changes-before``; 2.84 the
events' ``details`` (admins).
"""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute import servers
from minova.api.openstack.compute.views import instance_actions as views
from minova.objects import instance_action as action_obj

_RULE = "os_compute_api:os-instance-actions:%s"


def _instance(req: wsgi_util.APIRequest, server_id: str) -> Any:
    if req.api_version.matches("2.21"):
        context = req.context
        deleted_too = context.from_dict(context.to_dict(), db=context.db,
                                        read_deleted="yes")
        instance = req.deps.compute_api.get(deleted_too, server_id)
        if not context.is_admin and \
                instance.project_id != context.project_id:
            raise exception.InstanceNotFound(instance_id=server_id)
        return instance
    return servers.get_instance(req, server_id)


# Nova's list schema closes with paging at 2.58 (changes-before joins at
# 2.66); its show schema closes at 2.102.
_INDEX_QUERY = frozenset(("limit", "marker", "changes-since"))


def _check_index_query(req: wsgi_util.APIRequest) -> None:
    allowed = _INDEX_QUERY
    if req.api_version.matches("2.66"):
        allowed = allowed | {"changes-before"}
    common.check_query(req, allowed, since="2.58")


def index(req: wsgi_util.APIRequest, server_id: str) -> Any:
    _check_index_query(req)
    context = req.context
    instance = _instance(req, server_id)
    req.deps.policy.authorize(context, _RULE % "list",
                              servers.target(instance))
    paged = req.api_version.matches("2.58")
    limit = marker = since = before = None
    if paged:
        limit, marker = common.limit_and_marker(req)
        since = common.query_time(req, "changes-since")
        if req.api_version.matches("2.66"):
            before = common.query_time(req, "changes-before")
        if since and before and before < since:
            raise exception.ValidationError(
                field="changes-before",
                reason="changes-before must not be earlier than "
                       "changes-since")
    actions = action_obj.InstanceActionList.get_by_instance_uuid(
        context, instance.uuid, limit=limit, marker=marker,
        changes_since=since, changes_before=before)
    body: dict = {"instanceActions": [views.action(req, action)
                                      for action in actions]}
    if paged:
        links = common.collection_links(
            req, body["instanceActions"], limit,
            "servers/%s/os-instance-actions" % instance.uuid,
            id_key="request_id")
        if links:
            body["links"] = links
    return wsgi_util.json_response(body)


def show(req: wsgi_util.APIRequest, server_id: str,
         request_id: str) -> Any:
    common.check_query(req, set())
    context = req.context
    instance = _instance(req, server_id)
    target = servers.target(instance)
    req.deps.policy.authorize(context, _RULE % "show", target)
    action = action_obj.InstanceAction.get_by_request_id(
        context, instance.uuid, request_id)
    view = views.action(req, action)
    admin_events = _allowed(req, _RULE % "events", target)
    if admin_events or req.api_version.matches("2.51"):
        shown = views.EventFields(
            traceback=admin_events,
            host=admin_events and req.api_version.matches("2.62"),
            host_id=req.api_version.matches("2.62"),
            details=(req.api_version.matches("2.84")
                     and _allowed(req, _RULE % "events:details", target)))
        events = action_obj.InstanceActionEventList.get_by_action(
            context, action.id)
        view["events"] = [views.event(event, action.project_id, shown)
                          for event in events]
    return wsgi_util.json_response({"instanceAction": view})


def _allowed(req: wsgi_util.APIRequest, rule: str, target: dict) -> bool:
    try:
        req.deps.policy.authorize(req.context, rule, target)
    except exception.Forbidden:
        return False
    return True

"""``/os-server-groups`` (issue 9, RES2): groups of servers the scheduler
keeps together (affinity) or apart (anti-affinity), strictly or, for the
soft policies, as far as it can. A server joins a group at boot
(``os:scheduler_hints: {"group": <id>}``).

2.13 shows ``project_id`` and ``user_id``; 2.15 adds the soft policies;
2.64 replaces ``policies`` with ``policy`` and ``rules``
(``max_server_per_host`` for anti-affinity) and drops ``metadata``.
"""

from __future__ import annotations

from typing import Any

from oslo_utils import uuidutils

from minova import exception
from minova import quota
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute.schemas import server_groups as schema
from minova.api.openstack.compute.views import server_groups as views
from minova.db import api as db_api
from minova.db import server_groups as db_groups

_RULE = "os_compute_api:os-server-groups:%s"


def _target(row: Any) -> dict:
    return {"project_id": row.project_id, "user_id": row.user_id}


def _get(req: wsgi_util.APIRequest, group_id: str) -> Any:
    """The group if the caller may see it; another project's is a 404
    as an unknown one."""
    context = req.context
    row = db_groups.get_by_uuid(db_api.from_context(context), group_id)
    if not context.is_admin and row.project_id != context.project_id:
        raise exception.InstanceGroupNotFound(group_uuid=group_id)
    return row


def _view(req: wsgi_util.APIRequest, rows: list) -> list[dict]:
    members = db_groups.members(db_api.from_context(req.context),
                                [row.id for row in rows])
    return [views.group(req, row, members[row.id]) for row in rows]


# Nova's list schema closes at 2.75, its show schema at 2.102.
_INDEX_QUERY = frozenset(("all_projects", "limit", "offset"))


def index(req: wsgi_util.APIRequest) -> Any:
    common.check_query(req, _INDEX_QUERY, since="2.75")
    context = req.context
    req.deps.policy.authorize(context, _RULE % "index",
                              {"project_id": context.project_id})
    project_id: str | None = context.project_id
    if common.is_true(req.GET.get("all_projects")):
        req.deps.policy.authorize(context, _RULE % "index:all_projects",
                                  {"project_id": context.project_id})
        project_id = None
    limit, _marker = common.limit_and_marker(req)
    offset = _offset(req)
    rows = db_groups.get_all(db_api.from_context(context), project_id,
                             limit=limit, offset=offset)
    return wsgi_util.json_response({"server_groups": _view(req, rows)})


def _offset(req: wsgi_util.APIRequest) -> int:
    text = req.GET.get("offset", "0")
    if not text.isdigit():
        raise exception.ValidationError(
            field="offset", reason="%s is not an integer >= 0"
            % exception.quote(text))
    return int(text)


def show(req: wsgi_util.APIRequest, group_id: str) -> Any:
    common.check_query(req, set())
    row = _get(req, group_id)
    req.deps.policy.authorize(req.context, _RULE % "show", _target(row))
    return wsgi_util.json_response({"server_group": _view(req, [row])[0]})


def create(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    req.deps.policy.authorize(context, _RULE % "create",
                              {"project_id": context.project_id,
                               "user_id": context.user_id})
    version = req.api_version
    if version.matches("2.64"):
        body = req.validated(schema.create_v264)["server_group"]
        policy, rules = body["policy"], dict(body.get("rules") or {})
        if rules and policy != "anti-affinity":
            raise exception.ValidationError(
                field="server_group/rules",
                reason="Only anti-affinity policy supports rules.")
        if "max_server_per_host" in rules:
            rules["max_server_per_host"] = int(rules["max_server_per_host"])
    else:
        body = req.validated(schema.create_v215 if version.matches("2.15")
                             else schema.create)["server_group"]
        policy, rules = body["policies"][0], {}
    db = db_api.from_context(context)
    limits = quota.project_limits(req.deps.conf, db, context.project_id)

    def check(existing: int) -> None:
        allowed = limits["server_groups"]
        if allowed != quota.UNLIMITED and existing + 1 > allowed:
            raise exception.ServerGroupQuotaExceeded()

    row = db_groups.create(db, {
        "uuid": uuidutils.generate_uuid(), "name": body["name"],
        "user_id": context.user_id, "project_id": context.project_id,
        "policy": policy, "rules": rules}, check)
    return wsgi_util.json_response(
        {"server_group": views.group(req, row, [])})


def delete(req: wsgi_util.APIRequest, group_id: str) -> Any:
    row = _get(req, group_id)
    req.deps.policy.authorize(req.context, _RULE % "delete", _target(row))
    db_groups.delete(db_api.from_context(req.context), group_id)
    return wsgi_util.empty_response(204)

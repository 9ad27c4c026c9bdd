"""``/os-quota-sets/{project_id}``: a project's quotas, as Nova's.

Per-user quotas (``?user_id=``) are not supported: a GET shows the
project's quotas (what a user without quotas of their own gets in
Nova), a PUT or DELETE naming a user is a 400 rather than a change to
the whole project.
"""

from __future__ import annotations

from typing import Any

from oslo_utils import strutils

from minova import exception
from minova import quota
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute.schemas import quotas as schema

_RULE = "os_compute_api:os-quota-sets:%s"


def resources(req: wsgi_util.APIRequest) -> tuple[str, ...]:
    """The resources a quota set shows at the request's microversion:
    nova-network's go from 2.36, the injected_* (personality) ones from
    2.57."""
    if req.api_version.matches("2.57"):
        return tuple(name for name in quota.RESOURCES
                     if name not in INJECTED)
    if req.api_version.matches("2.36"):
        return quota.RESOURCES
    return quota.RESOURCES + quota.NETWORK_RESOURCES


# Personality files' quotas, gone from the API at 2.57.
INJECTED = ("injected_files", "injected_file_content_bytes",
            "injected_file_path_bytes")


def _authorize(req: wsgi_util.APIRequest, action: str,
               project_id: str) -> None:
    req.deps.policy.authorize(req.context, _RULE % action,
                              {"project_id": project_id})


def _quota_set(req: wsgi_util.APIRequest, values: dict,
               project_id: str | None) -> Any:
    body = {name: values[name] for name in resources(req)}
    if project_id is not None:
        body["id"] = project_id
    return wsgi_util.json_response({"quota_set": body})


def show(req: wsgi_util.APIRequest, project_id: str) -> Any:
    _authorize(req, "show", project_id)
    common.check_query(req, {"user_id"})
    deps = req.deps
    return _quota_set(req, quota.project_limits(deps.conf, deps.db,
                                                project_id), project_id)


def detail(req: wsgi_util.APIRequest, project_id: str) -> Any:
    _authorize(req, "detail", project_id)
    common.check_query(req, {"user_id"})
    deps = req.deps
    limits = quota.project_limits(deps.conf, deps.db, project_id)
    used = quota.usage(deps.db, project_id)
    return _quota_set(req, {
        name: {"in_use": used[name], "limit": limits[name], "reserved": 0}
        for name in limits}, project_id)


def defaults(req: wsgi_util.APIRequest, project_id: str) -> Any:
    _authorize(req, "defaults", project_id)
    common.check_query(req, set())
    deps = req.deps
    return _quota_set(req, quota.class_limits(deps.conf, deps.db),
                      project_id)


def _no_user(req: wsgi_util.APIRequest) -> None:
    if "user_id" in req.GET:
        raise exception.ValidationError(
            field="user_id", reason="per-user quotas are not supported")


def limits_from(body: dict) -> dict[str, int]:
    """The resources and limits of a validated quota (class) set; the
    nova-network ones are dropped, "networks" is a 400 as in Nova."""
    if "networks" in body:
        raise exception.Invalid(reason="the networks quota has been "
                                       "removed")
    limits = {}
    for name, value in body.items():
        if name not in quota.RESOURCES:
            continue
        limit = int(value)
        if not -1 <= limit <= schema.MAX_LIMIT:
            raise exception.ValidationError(
                field=name, reason="%s is not between -1 and %d"
                % (value, schema.MAX_LIMIT))
        limits[name] = limit
    return limits


def update(req: wsgi_util.APIRequest, project_id: str) -> Any:
    _authorize(req, "update", project_id)
    _no_user(req)
    version = req.api_version
    body = req.validated(
        schema.update_v257 if version.matches("2.57")
        else schema.update_v236 if version.matches("2.36")
        else schema.update)["quota_set"]
    force = strutils.bool_from_string(body.get("force", False))
    limits = limits_from(body)
    deps = req.deps
    if not force:
        used = quota.usage(deps.db, project_id)
        for name, limit in limits.items():
            if limit != quota.UNLIMITED and limit < used[name]:
                raise exception.QuotaLimitBelowUsage(
                    limit=limit, resource=name, minimum=used[name])
    quota.set_project_limits(deps.db, project_id, limits)
    return _quota_set(req, quota.project_limits(deps.conf, deps.db,
                                                project_id), None)


def delete(req: wsgi_util.APIRequest, project_id: str) -> Any:
    _authorize(req, "delete", project_id)
    _no_user(req)
    quota.delete_project_limits(req.deps.db, project_id)
    return wsgi_util.empty_response(202)

"""``/os-quota-class-sets/{class}``: quota classes, as Nova's.

Only the class 'default' means anything: its limits are every project's
defaults, over ``[quota]``. Before 2.50 a class shows the nova-network
resources and not server_groups or server_group_members, which it still
takes; from 2.50 the other way round; from 2.57 the injected_file* ones
leave.
"""

from __future__ import annotations

from typing import Any

from minova import exception
from minova import quota
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute import quota_sets
from minova.api.openstack.compute.schemas import quotas as schema

_RULE = "os_compute_api:os-quota-class-sets:%s"
_SHOWN = tuple(name for name in quota.RESOURCES + quota.NETWORK_RESOURCES
               if name not in ("server_groups", "server_group_members"))
# 2.50: the server group quotas show, nova-network's leave; 2.57: the
# personality ones leave.
_SHOWN_2_50 = quota.RESOURCES
_SHOWN_2_57 = tuple(name for name in quota.RESOURCES
                    if name not in quota_sets.INJECTED)


def _shown(req: wsgi_util.APIRequest) -> tuple[str, ...]:
    if req.api_version.matches("2.57"):
        return _SHOWN_2_57
    return _SHOWN_2_50 if req.api_version.matches("2.50") else _SHOWN


def _class_set(req: wsgi_util.APIRequest, values: dict,
               class_name: str | None) -> Any:
    body = {name: values[name] for name in _shown(req)}
    if class_name is not None:
        body["id"] = class_name
    return wsgi_util.json_response({"quota_class_set": body})


def show(req: wsgi_util.APIRequest, class_name: str) -> Any:
    req.deps.policy.authorize(req.context, _RULE % "show",
                              {"quota_class": class_name})
    common.check_query(req, set())
    deps = req.deps
    return _class_set(req, quota.class_limits(deps.conf, deps.db,
                                              class_name), class_name)


def update(req: wsgi_util.APIRequest, class_name: str) -> Any:
    req.deps.policy.authorize(req.context, _RULE % "update",
                              {"quota_class": class_name})
    if len(class_name) > 255:
        raise exception.ValidationError(
            field="quota_class_name", reason="longer than 255 characters")
    version = req.api_version
    body = req.validated(
        schema.update_class_v257 if version.matches("2.57")
        else schema.update_class_v250 if version.matches("2.50")
        else schema.update_class)["quota_class_set"]
    deps = req.deps
    quota.set_class_limits(deps.db, class_name,
                           quota_sets.limits_from(body))
    return _class_set(req, quota.class_limits(deps.conf, deps.db,
                                              class_name), None)

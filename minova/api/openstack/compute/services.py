"""``/os-services``: list services; enable, disable, force down, delete.

Every handler has the same shape: context, policy, validate, storage,
response.
"""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import wsgi_util
from minova.db import api as db_api
from minova.db import services as db_services
from minova.objects import service as service_obj

_HOST_BINARY = {
    "type": "object",
    "properties": {
        "host": {"type": "string", "minLength": 1, "maxLength": 255},
        "binary": {"type": "string", "minLength": 1, "maxLength": 255},
    },
    "required": ["host", "binary"],
    "additionalProperties": False,
}

_DISABLE_LOG_REASON = {
    **_HOST_BINARY,
    "properties": {**_HOST_BINARY["properties"],
                   "disabled_reason": {"type": "string", "minLength": 1,
                                       "maxLength": 255}},
    "required": ["host", "binary", "disabled_reason"],
}

_FORCE_DOWN = {
    **_HOST_BINARY,
    "properties": {**_HOST_BINARY["properties"],
                   "forced_down": {"type": "boolean"}},
    "required": ["host", "binary", "forced_down"],
}


def _view(req: wsgi_util.APIRequest, service: Any) -> dict:
    up = req.deps.servicegroup.is_up(service)
    view = {
        "id": service.id,
        "binary": service.binary,
        "host": service.host,
        "zone": "internal" if service.binary != "minova-compute"
        else "nova",
        "status": "disabled" if service.disabled else "enabled",
        "state": "up" if up else "down",
        "updated_at": service.updated_at,
        "disabled_reason": service.disabled_reason,
    }
    if req.api_version.matches("2.11"):
        view["forced_down"] = service.forced_down
    return view


def index(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:os-services:list")
    # Read-only list: the rows themselves (docs/architecture.md, Data).
    services = db_services.get_all(db_api.from_context(context),
                                   host=req.GET.get("host"),
                                   binary=req.GET.get("binary"))
    return wsgi_util.json_response(
        {"services": [_view(req, service) for service in services]})


def _enable(req: wsgi_util.APIRequest, service: Any, body: dict) -> dict:
    service.disabled = False
    service.disabled_reason = None
    return {"status": "enabled"}


def _disable(req: wsgi_util.APIRequest, service: Any, body: dict) -> dict:
    service.disabled = True
    service.disabled_reason = body.get("disabled_reason")
    result = {"status": "disabled"}
    if "disabled_reason" in body:
        result["disabled_reason"] = body["disabled_reason"]
    return result


def _force_down(req: wsgi_util.APIRequest, service: Any,
                body: dict) -> dict:
    service.forced_down = body["forced_down"]
    return {"forced_down": body["forced_down"]}


# action -> (schema, change, lowest microversion)
_ACTIONS = {
    "enable": (_HOST_BINARY, _enable, "2.1"),
    "disable": (_HOST_BINARY, _disable, "2.1"),
    "disable-log-reason": (_DISABLE_LOG_REASON, _disable, "2.1"),
    "force-down": (_FORCE_DOWN, _force_down, "2.11"),
}


def update(req: wsgi_util.APIRequest, service_id: str) -> Any:
    """``PUT /os-services/{enable,disable,disable-log-reason,force-down}``"""
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:os-services:update")
    action = _ACTIONS.get(service_id)
    if action is None or not req.api_version.matches(action[2]):
        raise exception.NotFound("Unknown action %s" % service_id)
    schema, change, _minimum = action
    body = req.validated(schema)
    service = service_obj.Service.get_by_host_and_binary(
        context, body["host"], body["binary"])
    result = change(req, service, body)
    service.save()
    return wsgi_util.json_response(
        {"service": {"host": body["host"], "binary": body["binary"],
                     **result}})


def delete(req: wsgi_util.APIRequest, service_id: str) -> Any:
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:os-services:delete")
    try:
        ident = int(service_id)
    except ValueError as exc:
        raise exception.ServiceNotFound(service_id=service_id) from exc
    service = service_obj.Service.get_by_id(context, ident)
    service.destroy()
    return wsgi_util.empty_response(204)

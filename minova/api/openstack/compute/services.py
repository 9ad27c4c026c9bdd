"""``/os-services``: list services; enable, disable, force down, delete.

Every handler has the same shape: context, policy, validate, storage,
response. From 2.53 a service is named by its uuid: the list shows it as
``id``, ``PUT /os-services/{uuid}`` changes status, disabled_reason and
forced_down, and ``DELETE`` takes it.
"""

from __future__ import annotations

from typing import Any

from oslo_utils import uuidutils

from minova import exception
from minova.api.openstack import common
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


# PUT /os-services/{uuid} from 2.53.
_UPDATE_2_53 = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": ["enabled", "disabled"]},
        "disabled_reason": {"type": "string", "minLength": 1,
                            "maxLength": 255},
        "forced_down": {"type": "boolean"},
    },
    "additionalProperties": False,
}

UUID_IDS = "2.53"


def _view(req: wsgi_util.APIRequest, service: Any) -> dict:
    up = req.deps.servicegroup.is_up(service)
    view = {
        "id": service.uuid if req.api_version.matches(UUID_IDS)
        else service.id,
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
    common.check_query(req, {"host", "binary"})
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


def _uuid(service_id: str) -> str:
    """From 2.53 a service id is a uuid; anything else is a 400."""
    if not uuidutils.is_uuid_like(service_id):
        raise exception.Invalid(reason="Invalid uuid %s"
                                % exception.cut(service_id))
    return service_id


def _update_by_uuid(req: wsgi_util.APIRequest, service_id: str) -> Any:
    """``PUT /os-services/{uuid}`` (2.53): status, disabled_reason and
    forced_down, as Nova checks them; the whole service back."""
    context = req.context
    body = req.validated(_UPDATE_2_53)
    service = service_obj.Service.get_by_uuid(context, _uuid(service_id))
    if not body:
        raise exception.Invalid(reason="No updates were requested. Fields "
                                       "'status' or 'forced_down' should be "
                                       "specified.")
    status = body.get("status")
    if "disabled_reason" in body and status != "disabled":
        raise exception.Invalid(reason="Specifying 'disabled_reason' with "
                                       "status other than 'disabled' is "
                                       "invalid.")
    if status is not None and service.binary != "minova-compute":
        raise exception.Invalid(reason="Updating a %s service is not "
                                       "supported. Only minova-compute "
                                       "services can be updated."
                                % exception.cut(service.binary))
    if status == "disabled":
        _disable(req, service, body)
    elif status == "enabled":
        _enable(req, service, body)
    if "forced_down" in body:
        _force_down(req, service, body)
    service.save()
    return wsgi_util.json_response({"service": _view(req, service)})


def update(req: wsgi_util.APIRequest, service_id: str) -> Any:
    """``PUT /os-services/{enable,disable,disable-log-reason,force-down}``
    before 2.53, ``PUT /os-services/{uuid}`` from it."""
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:os-services:update")
    if req.api_version.matches(UUID_IDS):
        return _update_by_uuid(req, service_id)
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
    if req.api_version.matches(UUID_IDS):
        service = service_obj.Service.get_by_uuid(context,
                                                  _uuid(service_id))
        service.destroy()
        return wsgi_util.empty_response(204)
    try:
        ident = int(service_id)
    except ValueError as exc:
        raise exception.ServiceNotFound(service_id=service_id) from exc
    service = service_obj.Service.get_by_id(context, ident)
    service.destroy()
    return wsgi_util.empty_response(204)

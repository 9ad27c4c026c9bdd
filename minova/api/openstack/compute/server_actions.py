"""``POST /servers/{id}/action``: ``os-start``, ``os-stop``, ``reboot``.

The body names one action. Each answers 202 once the compute has been
asked; an action the server's state does not allow is a 409.
"""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute import servers
from minova.api.openstack.compute.schemas import servers as schema


def _start(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    req.deps.compute_api.start(req.context, instance)


def _stop(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    req.deps.compute_api.stop(req.context, instance)


def _reboot(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    req.deps.compute_api.reboot(req.context, instance,
                                body["reboot"]["type"].upper())


# action -> (policy rule, schema, handler)
_ACTIONS = {
    "os-start": ("os_compute_api:servers:start",
                 schema.no_argument("os-start"), _start),
    "os-stop": ("os_compute_api:servers:stop",
                schema.no_argument("os-stop"), _stop),
    "reboot": ("os_compute_api:servers:reboot", schema.reboot, _reboot),
}


def action(req: wsgi_util.APIRequest, server_id: str) -> Any:
    body = req.json()
    if not isinstance(body, dict) or len(body) != 1:
        raise exception.MalformedRequestBody(
            reason="the body must name exactly one action")
    [name] = body
    if name not in _ACTIONS:
        raise exception.Invalid(reason="There is no such action: %s"
                                % name)
    rule, action_schema, handler = _ACTIONS[name]
    instance = servers.get_instance(req, server_id)
    req.deps.policy.authorize(req.context, rule, servers.target(instance))
    wsgi_util.validate(body, action_schema)
    handler(req, instance, body)
    return wsgi_util.empty_response(202)

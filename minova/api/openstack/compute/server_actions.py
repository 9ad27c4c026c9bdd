"""``POST /servers/{id}/action``: ``os-start``, ``os-stop``, ``reboot``,
and (issue 9, RES2) ``pause``, ``unpause``, ``suspend``, ``resume``,
``lock``, ``unlock``, ``rebuild``, ``resize``, ``confirmResize`` and
``revertResize``.

The body names one action. Each answers 202 once the compute has been
asked (``rebuild`` with the server's view as Nova's for the microversion,
never with an ``adminPass``: minova sets no passwords, as Nova with
``enable_instance_password = False``; ``confirmResize`` 204, as Nova);
an action the
server's state does not allow is a 409, and so is any but lock/unlock on a
locked server for anyone but an admin.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from minova import exception
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute import keypairs
from minova.api.openstack.compute import servers
from minova.api.openstack.compute.schemas import servers as schema
from minova.api.openstack.compute.views import servers as views


def _start(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    req.deps.compute_api.start(req.context, instance)


def _stop(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    req.deps.compute_api.stop(req.context, instance)


def _reboot(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    req.deps.compute_api.reboot(req.context, instance,
                                body["reboot"]["type"].upper())


def _pause(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    req.deps.compute_api.pause(req.context, instance)


def _unpause(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    req.deps.compute_api.unpause(req.context, instance)


def _suspend(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    req.deps.compute_api.suspend(req.context, instance)


def _resume(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    req.deps.compute_api.resume(req.context, instance)


def _lock(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    reason = None
    if req.api_version.matches("2.73"):
        reason = (body["lock"] or {}).get("locked_reason")
    req.deps.compute_api.lock(req.context, instance, reason=reason)


def _unlock(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    compute_api = req.deps.compute_api
    if not compute_api.is_expected_locked_by(req.context, instance):
        req.deps.policy.authorize(
            req.context, "os_compute_api:os-lock-server:unlock:"
            "unlock_override", servers.target(instance))
    compute_api.unlock(req.context, instance)


def _rebuild(req: wsgi_util.APIRequest, instance: Any, body: dict) -> Any:
    args = body["rebuild"]
    image_ref = servers.image_for_boot(req, args["imageRef"],
                                       instance.flavor)
    req.deps.compute_api.rebuild(
        req.context, instance, image_ref, name=args.get("name"),
        metadata=args.get("metadata"),
        preserve_ephemeral=bool(args.get("preserve_ephemeral")),
        **_rebuild_changes(req, args))
    return wsgi_util.json_response(
        {"server": views.Viewer(req).rebuilt(instance)}, status=202)


def _rebuild_changes(req: wsgi_util.APIRequest, args: dict) -> dict:
    """What a rebuild sets or unsets (null) besides its image, as Nova's:
    the key pair (2.54; the caller's, as Nova looks it up by the
    request's user, else a 400), user_data (2.57) and the hostname
    (2.90). The schema of the microversion admits each only from its
    version."""
    changes = {name: args[name] for name in ("key_name", "user_data",
                                             "hostname") if name in args}
    if changes.get("key_name") is not None:
        changes["key_name"] = keypairs.get_for_boot(
            req.context, changes["key_name"]).name
    if changes.get("user_data") is not None:
        _check_base64(changes["user_data"], "rebuild/user_data")
    return changes


def _check_base64(text: str, field: str) -> None:
    """Nova's ``base64`` format; a 400 naming ``field`` otherwise."""
    try:
        base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, binascii.Error) as exc:
        raise exception.ValidationError(
            field=field, reason="%s is not valid base64"
            % exception.quote(text)) from exc


def _resize(req: wsgi_util.APIRequest, instance: Any, body: dict) -> None:
    flavor = servers.flavor_for_boot(req, body["resize"]["flavorRef"])
    req.deps.compute_api.resize(req.context, instance, flavor)


def _confirm_resize(req: wsgi_util.APIRequest, instance: Any,
                    body: dict) -> Any:
    req.deps.compute_api.confirm_resize(req.context, instance)
    return wsgi_util.empty_response(204)  # as Nova


def _revert_resize(req: wsgi_util.APIRequest, instance: Any,
                   body: dict) -> None:
    req.deps.compute_api.revert_resize(req.context, instance)


def _lock_schema(req: wsgi_util.APIRequest) -> dict:
    return schema.lock_v273 if req.api_version.matches("2.73") \
        else schema.lock


def _rebuild_schema(req: wsgi_util.APIRequest) -> dict:
    return schema.for_rebuild(req.api_version)


# action -> (policy rule, schema or schema(req), handler)
_ACTIONS = {
    "os-start": ("os_compute_api:servers:start",
                 schema.no_argument("os-start"), _start),
    "os-stop": ("os_compute_api:servers:stop",
                schema.no_argument("os-stop"), _stop),
    "reboot": ("os_compute_api:servers:reboot", schema.reboot, _reboot),
    "pause": ("os_compute_api:os-pause-server:pause",
              schema.no_argument("pause"), _pause),
    "unpause": ("os_compute_api:os-pause-server:unpause",
                schema.no_argument("unpause"), _unpause),
    "suspend": ("os_compute_api:os-suspend-server:suspend",
                schema.no_argument("suspend"), _suspend),
    "resume": ("os_compute_api:os-suspend-server:resume",
               schema.no_argument("resume"), _resume),
    "lock": ("os_compute_api:os-lock-server:lock", _lock_schema, _lock),
    "unlock": ("os_compute_api:os-lock-server:unlock",
               schema.no_argument("unlock"), _unlock),
    "rebuild": ("os_compute_api:servers:rebuild", _rebuild_schema,
                _rebuild),
    "resize": ("os_compute_api:servers:resize", schema.resize, _resize),
    "confirmResize": ("os_compute_api:servers:confirm_resize",
                      schema.no_argument("confirmResize"),
                      _confirm_resize),
    "revertResize": ("os_compute_api:servers:revert_resize",
                     schema.no_argument("revertResize"), _revert_resize),
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
    if callable(action_schema):
        action_schema = action_schema(req)
    wsgi_util.validate(body, action_schema)
    response = handler(req, instance, body)
    return response or wsgi_util.empty_response(202)

"""``POST /minova/reset``: the cloud back to its freshly bootstrapped
state (``minova.reset``), for tools' test runs. Off unless ``[api]
enable_reset`` (minova-all turns it on)."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova import reset as cloud_reset
from minova.api.openstack import wsgi_util


def reset(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    deps = req.deps
    if not deps.conf.api.enable_reset:
        raise exception.NotFound(
            "The reset API is not enabled ([api] enable_reset).")
    deps.policy.authorize(context, "minova:reset")
    if req.body:  # none is needed; anything sent must be a JSON object
        wsgi_util.validate(req.json(), {"type": ["object", "null"]})
    result = cloud_reset.reset(deps.conf, deps.transport, deps.db,
                               identity=deps.identity)
    return wsgi_util.json_response({"reset": result.to_dict()})

"""``PUT /os-quota-sets/{project_id}`` and
``PUT /os-quota-class-sets/{class}``, as Nova's schemas."""

from __future__ import annotations

from minova import quota
from minova.api.openstack.compute.schemas import types

MAX_LIMIT = 0x7FFFFFFF

# -1 is unlimited. Written as a string too, as Nova takes it; the handler
# checks the bounds of the string form.
LIMIT = {
    "type": ["integer", "string"],
    "pattern": "^-?[0-9]+$",
    "minimum": -1,
    "maximum": MAX_LIMIT,
}

_RESOURCES = dict.fromkeys(quota.RESOURCES, LIMIT)
# nova-network's, taken (and ignored) until they left in 2.36;
# "networks" only to be refused with a message naming it.
_NETWORK = dict.fromkeys((*quota.NETWORK_RESOURCES, "networks"), LIMIT)


def _body(key: str, properties: dict) -> dict:
    return {
        "type": "object",
        "properties": {
            key: {
                "type": "object",
                "properties": properties,
                "additionalProperties": False,
            },
        },
        "required": [key],
        "additionalProperties": False,
    }


update = _body("quota_set", {**_RESOURCES, **_NETWORK,
                             "force": types.BOOLEAN})
update_v236 = _body("quota_set", {**_RESOURCES, "force": types.BOOLEAN})

# Before 2.50 (above minova's 2.47) a quota class takes every resource.
update_class = _body("quota_class_set", {**_RESOURCES, **_NETWORK})

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

# 2.57: the personality files' quotas leave.
_INJECTED = ("injected_files", "injected_file_content_bytes",
             "injected_file_path_bytes")
_RESOURCES_2_57 = {name: limit for name, limit in _RESOURCES.items()
                   if name not in _INJECTED}
update_v257 = _body("quota_set", {**_RESOURCES_2_57,
                                  "force": types.BOOLEAN})

# Before 2.50 a quota class takes every resource; from it not the network
# ones, from 2.57 not the personality ones.
update_class = _body("quota_class_set", {**_RESOURCES, **_NETWORK})
update_class_v250 = _body("quota_class_set", _RESOURCES)
update_class_v257 = _body("quota_class_set", _RESOURCES_2_57)

"""``POST /os-server-groups`` and the boot's ``group`` hint (issue 9,
RES2), per microversion as Nova's."""

from __future__ import annotations

import copy

from minova.api.openstack.compute.schemas import types

HARD = ["affinity", "anti-affinity"]
SOFT = ["soft-affinity", "soft-anti-affinity"]

create = {
    "type": "object",
    "properties": {
        "server_group": {
            "type": "object",
            "properties": {
                "name": types.NAME,
                "policies": {
                    "type": "array",
                    "items": {"enum": HARD},
                    "uniqueItems": True,
                    "minItems": 1,
                    "maxItems": 1,
                },
            },
            "required": ["name", "policies"],
            "additionalProperties": False,
        },
    },
    "required": ["server_group"],
    "additionalProperties": False,
}

# 2.15: the soft policies.
create_v215 = copy.deepcopy(create)
create_v215["properties"]["server_group"]["properties"]["policies"][
    "items"] = {"enum": HARD + SOFT}

# 2.64: one ``policy`` and its ``rules``.
create_v264 = {
    "type": "object",
    "properties": {
        "server_group": {
            "type": "object",
            "properties": {
                "name": types.NAME,
                "policy": {"type": "string", "enum": HARD + SOFT},
                "rules": {
                    "type": "object",
                    "properties": {
                        "max_server_per_host": types.integer(1),
                    },
                    "additionalProperties": False,
                },
            },
            "required": ["name", "policy"],
            "additionalProperties": False,
        },
    },
    "required": ["server_group"],
    "additionalProperties": False,
}

# ``os:scheduler_hints`` of a boot: the one hint minova honours.
scheduler_hints = {
    "type": "object",
    "properties": {
        "group": {"type": "string", "format": "uuid", "minLength": 36,
                  "maxLength": 36},
    },
    "additionalProperties": False,
}

"""``POST /flavors`` and, from 2.55, ``PUT /flavors/{id}``."""

from __future__ import annotations

import copy

from minova.api.openstack.compute.schemas import types

create = {
    "type": "object",
    "properties": {
        "flavor": {
            "type": "object",
            "properties": {
                "name": types.NAME,
                "id": {
                    "type": ["string", "number", "null"],
                    "minLength": 1, "maxLength": 255,
                    "pattern": r"^(?! )[a-zA-Z0-9. _-]+(?<! )$",
                },
                "ram": types.integer(1),
                "vcpus": types.integer(1),
                "disk": types.integer(0),
                "OS-FLV-EXT-DATA:ephemeral": types.integer(0),
                "swap": types.integer(0),
                "rxtx_factor": {
                    "type": ["number", "string"],
                    "pattern": r"^[0-9]+(\.[0-9]+)?$",
                    "exclusiveMinimum": 0,
                    "maximum": 3.40282e+38,
                },
                "os-flavor-access:is_public": types.BOOLEAN,
            },
            "required": ["name", "ram", "vcpus", "disk"],
            "additionalProperties": False,
        },
    },
    "required": ["flavor"],
    "additionalProperties": False,
}

# A description (2.55): printable text, up to a TEXT column's 65535.
_DESCRIPTION = {"type": ["string", "null"], "minLength": 0,
                "maxLength": 65535,
                "pattern": r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"}

create_v2_55 = copy.deepcopy(create)
create_v2_55["properties"]["flavor"]["properties"]["description"] = \
    _DESCRIPTION

# rxtx_factor leaves the flavor at 2.102.
create_v2_102 = copy.deepcopy(create_v2_55)
del create_v2_102["properties"]["flavor"]["properties"]["rxtx_factor"]

update = {
    "type": "object",
    "properties": {
        "flavor": {
            "type": "object",
            "properties": {"description": _DESCRIPTION},
            "required": ["description"],
            "additionalProperties": False,
        },
    },
    "required": ["flavor"],
    "additionalProperties": False,
}

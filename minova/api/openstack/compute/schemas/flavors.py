"""``POST /flavors``."""

from __future__ import annotations

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

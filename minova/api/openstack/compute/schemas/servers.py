"""``POST /servers``, ``PUT /servers/{id}`` and the server actions.

What minova cannot honour is not in the schemas, so asking for it is a 400
naming the field instead of being silently ignored: specific networks or
ports (there is no networking service; "auto" and "none" are), adminPass,
user_data, personality, block devices, security groups, scheduler hints,
description (2.19) and tags.
"""

from __future__ import annotations

import copy

from minova.api.openstack.compute.schemas import types

_REF = {"type": ["string", "integer"], "minLength": 1, "maxLength": 1024}

_SERVER = {
    "type": "object",
    "properties": {
        "name": types.NAME,
        "imageRef": _REF,
        "flavorRef": _REF,
        "metadata": types.METADATA,
        "availability_zone": {"type": "string", "minLength": 1,
                              "maxLength": 255},
        "key_name": {"type": "string", "minLength": 1, "maxLength": 255},
        "min_count": types.integer(1),
        "max_count": types.integer(1),
        "networks": {"type": "string", "enum": ["auto", "none"]},
        # Only MANUAL: there is no disk to resize the partitions of.
        "OS-DCF:diskConfig": {"type": "string", "enum": ["MANUAL"]},
    },
    "required": ["name", "flavorRef", "imageRef"],
    "additionalProperties": False,
}

create = {
    "type": "object",
    "properties": {"server": _SERVER},
    "required": ["server"],
    "additionalProperties": False,
}

# 2.37: networks is required.
create_v237 = copy.deepcopy(create)
create_v237["properties"]["server"]["required"] = [
    "name", "flavorRef", "imageRef", "networks"]

update = {
    "type": "object",
    "properties": {
        "server": {
            "type": "object",
            "properties": {"name": types.NAME},
            "additionalProperties": False,
        },
    },
    "required": ["server"],
    "additionalProperties": False,
}

reboot = {
    "type": "object",
    "properties": {
        "reboot": {
            "type": "object",
            "properties": {
                "type": {"enum": ["HARD", "Hard", "hard", "SOFT", "Soft",
                                  "soft"]},
            },
            "required": ["type"],
            "additionalProperties": False,
        },
    },
    "required": ["reboot"],
    "additionalProperties": False,
}


def no_argument(action: str) -> dict:
    """``{"os-start": null}`` and the like (``{}`` too)."""
    return {
        "type": "object",
        "properties": {action: {"type": ["null", "object"]}},
        "required": [action],
        "additionalProperties": False,
    }

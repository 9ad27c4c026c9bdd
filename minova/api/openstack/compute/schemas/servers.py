"""``POST /servers``, ``PUT /servers/{id}`` and the server actions.

What minova cannot honour is not in the schemas, so asking for it is a 400
naming the field instead of being silently ignored: adminPass,
user_data, personality, volumes, security groups, scheduler hints,
description (2.19) and tags. The one block device accepted is the image
as the local root disk, which the ``openstack`` CLI always sends and which
means what ``imageRef`` means.
"""

from __future__ import annotations

import copy

from minova.api.openstack.compute.schemas import types

_REF = {"type": ["string", "integer"], "minLength": 1, "maxLength": 1024}

# One NIC as Nova takes it: a network (with an address), or a port.
_NETWORK = {
    "type": "object",
    "properties": {
        "uuid": {"type": "string", "minLength": 1, "maxLength": 36},
        "port": {"type": ["string", "null"], "minLength": 1,
                 "maxLength": 36},
        "fixed_ip": {"type": "string", "format": "ip-address",
                     "minLength": 1, "maxLength": 64},
        "tag": {"type": "string", "maxLength": 60},
    },
    "additionalProperties": False,
}

# The image copied to a local root disk; nothing else (no volumes).
_IMAGE_ROOT_DISK = {
    "type": "array",
    "maxItems": 1,
    "items": {
        "type": "object",
        "properties": {
            "uuid": {"type": "string", "minLength": 1, "maxLength": 255},
            "boot_index": {"enum": [0, "0"]},
            "source_type": {"enum": ["image"]},
            "destination_type": {"enum": ["local"]},
            "delete_on_termination": types.BOOLEAN,
        },
        "required": ["uuid", "source_type"],
        "additionalProperties": False,
    },
}

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
        "networks": {"oneOf": [
            {"type": "string", "enum": ["auto", "none"]},
            {"type": "array", "minItems": 1, "maxItems": 16,
             "items": _NETWORK}]},
        # Only MANUAL: there is no disk to resize the partitions of.
        "OS-DCF:diskConfig": {"type": "string", "enum": ["MANUAL"]},
        "block_device_mapping_v2": _IMAGE_ROOT_DISK,
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

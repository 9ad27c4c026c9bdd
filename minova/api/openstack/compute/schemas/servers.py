"""``POST /servers``, ``PUT /servers/{id}`` and the server actions.

What minova cannot honour is not in the schemas, so asking for it is a 400
naming the field instead of being silently ignored: adminPass,
user_data at create (a rebuild sets it from 2.57), personality, volumes,
security groups, scheduler hints other than ``group``, description
(2.19) and, before 2.52, tags. The one block
device accepted is the image as the local root disk, which the
``openstack`` CLI always sends and which means what ``imageRef`` means.
"""

from __future__ import annotations

import copy
from typing import Any

from minova.api.openstack.compute.schemas import server_extras
from minova.api.openstack.compute.schemas import server_groups
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
        # Every port gets its project's one security group, "default";
        # clients that name it, or send [] (Ansible's
        # openstack.cloud.server), may say so, and no other group.
        "security_groups": {
            "type": "array",
            "items": {"type": "object",
                      "properties": {"name": {"enum": ["default"]}},
                      "required": ["name"],
                      "additionalProperties": False}},
    },
    "required": ["name", "flavorRef", "imageRef"],
    "additionalProperties": False,
}

# Issue 9, RES2: the one scheduler hint minova honours, ``group``.
_HINTS = server_groups.scheduler_hints

create = {
    "type": "object",
    "properties": {"server": _SERVER, "os:scheduler_hints": _HINTS,
                   "OS-SCH-HNT:scheduler_hints": _HINTS},
    "required": ["server"],
    "additionalProperties": False,
}

# 2.37: networks is required.
create_v237 = copy.deepcopy(create)
create_v237["properties"]["server"]["required"] = [
    "name", "flavorRef", "imageRef", "networks"]

# 2.52: tags at create.
create_v252 = copy.deepcopy(create_v237)
create_v252["properties"]["server"]["properties"]["tags"] = \
    server_extras.TAGS


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

# 2.90: a hostname may be asked for at create and update; 2.94: any FQDN.
_HOSTNAME_2_90 = {"type": "string", "minLength": 2, "maxLength": 63,
                  "pattern": r"^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$"}
_HOSTNAME_2_94 = {"type": "string", "minLength": 1, "maxLength": 255,
                  "pattern": r"^[a-zA-Z0-9-._]*$"}


def _with_hostname(base: dict, hostname: dict) -> dict:
    result = copy.deepcopy(base)
    result["properties"]["server"]["properties"]["hostname"] = hostname
    return result


create_v290 = _with_hostname(create_v252, _HOSTNAME_2_90)
create_v294 = _with_hostname(create_v252, _HOSTNAME_2_94)
update_v290 = _with_hostname(update, _HOSTNAME_2_90)
update_v294 = _with_hostname(update, _HOSTNAME_2_94)


def for_create(version: Any) -> dict:
    """The create schema of a microversion."""
    for minimum, schema in (("2.94", create_v294), ("2.90", create_v290),
                            ("2.52", create_v252), ("2.37", create_v237)):
        if version.matches(minimum):
            return schema
    return create


# Nova's parameter_types.name_or_none: a name, or null to unset.
_NAME_OR_NONE = {"type": ["string", "null"], "minLength": 1,
                 "maxLength": 255}

# 2.104: the zone a server is pinned to, or null to unpin.
update_v2104 = copy.deepcopy(update_v294)
update_v2104["properties"]["server"]["properties"][
    "pinned_availability_zone"] = _NAME_OR_NONE


def for_update(version: Any) -> dict:
    for minimum, schema in (("2.104", update_v2104), ("2.94", update_v294),
                            ("2.90", update_v290)):
        if version.matches(minimum):
            return schema
    return update


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


# -- Issue 9, RES2 ----------------------------------------------------------

# Before 2.73 Nova accepts any value and ignores it.
lock = {
    "type": "object",
    "properties": {"lock": {}},
    "required": ["lock"],
    "additionalProperties": False,
}

# 2.73: an optional reason.
lock_v273 = {
    "type": "object",
    "properties": {
        "lock": {
            "type": ["object", "null"],
            "properties": {
                "locked_reason": {"type": "string", "minLength": 1,
                                  "maxLength": 255},
            },
            "additionalProperties": False,
        },
    },
    "required": ["lock"],
    "additionalProperties": False,
}

# What minova can honour of Nova's rebuild: a new image, name and
# metadata, and in later microversions the key pair, user_data and
# hostname (adminPass, personality, description, trusted certificates
# are refused for the reasons given at the top).
rebuild = {
    "type": "object",
    "properties": {
        "rebuild": {
            "type": "object",
            "properties": {
                "imageRef": _REF,
                "name": types.NAME,
                "metadata": types.METADATA,
                "preserve_ephemeral": types.BOOLEAN,
                "OS-DCF:diskConfig": {"type": "string",
                                      "enum": ["MANUAL"]},
            },
            "required": ["imageRef"],
            "additionalProperties": False,
        },
    },
    "required": ["rebuild"],
    "additionalProperties": False,
}

resize = {
    "type": "object",
    "properties": {
        "resize": {
            "type": "object",
            "properties": {
                "flavorRef": _REF,
                "OS-DCF:diskConfig": {"type": "string",
                                      "enum": ["MANUAL"]},
            },
            "required": ["flavorRef"],
            "additionalProperties": False,
        },
    },
    "required": ["resize"],
    "additionalProperties": False,
}


def _rebuild_with(base: dict, **properties: dict) -> dict:
    result = copy.deepcopy(base)
    result["properties"]["rebuild"]["properties"].update(properties)
    return result


# 2.54: set (a key pair of the caller's) or unset (null) the key pair.
rebuild_v254 = _rebuild_with(rebuild, key_name=_NAME_OR_NONE)
# 2.57: set or unset (null) user_data, base64 (checked by the handler:
# Nova's "base64" format), at most 65535 characters, as at create.
rebuild_v257 = _rebuild_with(rebuild_v254, user_data={
    "type": ["string", "null"], "maxLength": 65535})
# 2.90: a new hostname; 2.94: any FQDN.
rebuild_v290 = _rebuild_with(rebuild_v257, hostname=_HOSTNAME_2_90)
rebuild_v294 = _rebuild_with(rebuild_v257, hostname=_HOSTNAME_2_94)


def for_rebuild(version: Any) -> dict:
    """The rebuild schema of a microversion."""
    for minimum, schema in (("2.94", rebuild_v294), ("2.90", rebuild_v290),
                            ("2.57", rebuild_v257), ("2.54", rebuild_v254)):
        if version.matches(minimum):
            return schema
    return rebuild

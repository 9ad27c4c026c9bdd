"""JSON Schemas of the network API's request bodies. Attributes Neutron
has and minova does not serve are refused (400 naming them), as Neutron
refuses unrecognized attributes."""

from __future__ import annotations

import copy

_NAME = {"type": "string", "maxLength": 255}
_ID = {"type": "string", "minLength": 1, "maxLength": 36}
_IP = {"type": "string", "minLength": 1, "maxLength": 64}
_PROJECT = {"type": "string", "minLength": 1, "maxLength": 255}


def _body(key: str, properties: dict, required: list[str] = ()) -> dict:
    return {
        "type": "object",
        "properties": {key: {"type": "object", "properties": properties,
                             "required": list(required),
                             "additionalProperties": False}},
        "required": [key],
        "additionalProperties": False,
    }


_NETWORK = {
    "name": _NAME, "description": _NAME,
    "admin_state_up": {"type": "boolean"},
    "shared": {"type": "boolean"},
    "router:external": {"type": "boolean"},
    "mtu": {"type": "integer", "minimum": 68, "maximum": 65535},
    "project_id": _PROJECT, "tenant_id": _PROJECT,
}
NETWORK_CREATE = _body("network", _NETWORK)
_NETWORK_UPDATE = copy.deepcopy(_NETWORK)
del _NETWORK_UPDATE["project_id"], _NETWORK_UPDATE["tenant_id"]
NETWORK_UPDATE = _body("network", _NETWORK_UPDATE)

_POOL = {"type": "object",
         "properties": {"start": _IP, "end": _IP},
         "required": ["start", "end"], "additionalProperties": False}
_SUBNET_COMMON = {
    "name": _NAME, "description": _NAME,
    "enable_dhcp": {"type": "boolean"},
    "dns_nameservers": {"type": "array", "items": _IP, "maxItems": 5},
}
SUBNET_CREATE = _body("subnet", {
    **_SUBNET_COMMON,
    "network_id": _ID,
    "cidr": {"type": "string", "minLength": 1, "maxLength": 64},
    "ip_version": {"enum": [4, 6]},
    "gateway_ip": {"type": ["string", "null"], "maxLength": 64},
    "allocation_pools": {"type": "array", "items": _POOL, "minItems": 1,
                         "maxItems": 16},
    "project_id": _PROJECT, "tenant_id": _PROJECT,
}, ["network_id", "cidr"])
SUBNET_UPDATE = _body("subnet", _SUBNET_COMMON)

_FIXED_IP = {"type": "object",
             "properties": {"subnet_id": _ID, "ip_address": _IP},
             "minProperties": 1, "additionalProperties": False}
_PORT_COMMON = {
    "name": _NAME, "description": _NAME,
    "admin_state_up": {"type": "boolean"},
    "device_id": {"type": "string", "maxLength": 255},
    "device_owner": {"type": "string", "maxLength": 255},
}
PORT_CREATE = _body("port", {
    **_PORT_COMMON,
    "network_id": _ID,
    "mac_address": {"type": "string",
                    "pattern": "^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$"},
    "fixed_ips": {"type": "array", "items": _FIXED_IP, "maxItems": 8},
    "security_groups": {"type": "array", "items": _ID},
    "project_id": _PROJECT, "tenant_id": _PROJECT,
}, ["network_id"])
PORT_UPDATE = _body("port", _PORT_COMMON)

FLOATINGIP_CREATE = _body("floatingip", {
    "floating_network_id": _ID,
    "floating_ip_address": _IP,
    "port_id": {"type": ["string", "null"], "maxLength": 36},
    "fixed_ip_address": _IP,
    "description": _NAME,
    "project_id": _PROJECT, "tenant_id": _PROJECT,
}, ["floating_network_id"])
FLOATINGIP_UPDATE = _body("floatingip", {
    "port_id": {"type": ["string", "null"], "maxLength": 36},
    "fixed_ip_address": {"type": ["string", "null"], "maxLength": 64},
    "description": _NAME,
})

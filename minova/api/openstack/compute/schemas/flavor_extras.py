"""Flavor extra specs and flavor access requests, as Nova's schemas."""

from __future__ import annotations

_KEY = "^[a-zA-Z0-9-_:. ]{1,255}$"
_VALUE = {"type": ["string", "number", "boolean"], "minLength": 1,
          "maxLength": 255}
_SPECS = {
    "type": "object",
    "patternProperties": {_KEY: _VALUE},
    "additionalProperties": False,
}

create = {
    "type": "object",
    "properties": {"extra_specs": _SPECS},
    "required": ["extra_specs"],
    "additionalProperties": False,
}

# PUT /flavors/{id}/os-extra_specs/{key}: {key: value}, one item.
update = dict(_SPECS, minProperties=1, maxProperties=1)


def _tenant_action(action: str) -> dict:
    return {
        "type": "object",
        "properties": {
            action: {
                "type": "object",
                "properties": {
                    "tenant": {"type": "string", "minLength": 1,
                               "maxLength": 255,
                               "pattern": "^[a-zA-Z0-9-_]*$"},
                },
                "required": ["tenant"],
                "additionalProperties": False,
            },
        },
        "required": [action],
        "additionalProperties": False,
    }


add_tenant_access = _tenant_action("addTenantAccess")
remove_tenant_access = _tenant_action("removeTenantAccess")

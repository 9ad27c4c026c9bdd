"""Server metadata and tags requests, as Nova's schemas."""

from __future__ import annotations

from minova.api.openstack.compute.schemas import types

metadata = {
    "type": "object",
    "properties": {"metadata": types.METADATA},
    "required": ["metadata"],
    "additionalProperties": False,
}

# PUT /servers/{id}/metadata/{key}: {"meta": {key: value}}, one item.
meta_item = {
    "type": "object",
    "properties": {
        "meta": dict(types.METADATA, minProperties=1, maxProperties=1),
    },
    "required": ["meta"],
    "additionalProperties": False,
}

TAG = {"type": "string", "pattern": "^[^,/]*$", "minLength": 1,
       "maxLength": 60}
TAGS = {"type": "array", "items": TAG, "maxItems": 50}

tags = {
    "type": "object",
    "properties": {"tags": TAGS},
    "required": ["tags"],
    "additionalProperties": False,
}

"""``POST /os-keypairs`` at each microversion, as Nova's schemas."""

from __future__ import annotations

import copy

_NAME = {"type": "string", "minLength": 1, "maxLength": 255,
         "pattern": "^[a-zA-Z0-9 _-]+$"}
# 2.92 allows '@' and '.' too.
_NAME_292 = dict(_NAME, pattern="^[a-zA-Z0-9 @._-]+$")
_PUBLIC_KEY = {"type": "string", "minLength": 1, "maxLength": 65535}


def _create(properties: dict, required: list[str]) -> dict:
    return {
        "type": "object",
        "properties": {
            "keypair": {
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            },
        },
        "required": ["keypair"],
        "additionalProperties": False,
    }


create = _create({"name": _NAME, "public_key": _PUBLIC_KEY}, ["name"])
create_v22 = _create({"name": _NAME, "public_key": _PUBLIC_KEY,
                      "type": {"type": "string",
                               "enum": ["ssh", "x509"]}}, ["name"])
create_v210 = copy.deepcopy(create_v22)
create_v210["properties"]["keypair"]["properties"]["user_id"] = {
    "type": "string", "minLength": 1, "maxLength": 255}
# 2.92: imported keys only.
create_v292 = copy.deepcopy(create_v210)
create_v292["properties"]["keypair"]["properties"]["name"] = _NAME_292
create_v292["properties"]["keypair"]["required"] = ["name", "public_key"]


def for_version(version: object) -> dict:
    for minimum, schema in (("2.92", create_v292), ("2.10", create_v210),
                            ("2.2", create_v22)):
        if version.matches(minimum):  # type: ignore[attr-defined]
            return schema
    return create

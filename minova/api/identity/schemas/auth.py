"""POST /v3/auth/tokens."""

_NAME = {"type": "string", "minLength": 1, "maxLength": 255}
_DOMAIN = {"type": "object", "properties": {"id": _NAME, "name": _NAME}}
_USER = {
    "type": "object",
    "properties": {"id": _NAME, "name": _NAME, "domain": _DOMAIN,
                   "password": {"type": "string", "maxLength": 4096}},
}

AUTH = {
    "type": "object",
    "properties": {
        "auth": {
            "type": "object",
            "properties": {
                "identity": {
                    "type": "object",
                    "properties": {
                        "methods": {
                            "type": "array", "minItems": 1,
                            "items": {"type": "string", "enum": [
                                "password", "token",
                                "application_credential"]},
                        },
                        "password": {"type": "object",
                                     "properties": {"user": _USER}},
                        "token": {"type": "object",
                                  "properties": {"id": {"type": "string"}},
                                  "required": ["id"]},
                        "application_credential": {
                            "type": "object",
                            "properties": {
                                "id": _NAME, "name": _NAME,
                                "secret": {"type": "string"},
                                "user": _USER},
                            "required": ["secret"]},
                    },
                    "required": ["methods"],
                },
                "scope": {
                    "type": ["object", "string"],
                    "properties": {
                        "project": {
                            "type": "object",
                            "properties": {"id": _NAME, "name": _NAME,
                                           "domain": _DOMAIN}},
                        "domain": _DOMAIN,
                        "system": {"type": "object"},
                    },
                },
            },
            "required": ["identity"],
        },
    },
    "required": ["auth"],
}

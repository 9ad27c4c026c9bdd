"""Bodies of the admin resources: projects, users, roles, application
credentials."""

_NAME = {"type": "string", "minLength": 1, "maxLength": 255}
_PROJECT_NAME = {"type": "string", "minLength": 1, "maxLength": 64}
_TEXT = {"type": ["string", "null"], "maxLength": 65535}
_ID = {"type": ["string", "null"], "maxLength": 64}
_PASSWORD = {"type": ["string", "null"], "minLength": 1, "maxLength": 72}


def _wrapped(key: str, properties: dict, required: list) -> dict:
    return {
        "type": "object",
        "properties": {key: {"type": "object", "properties": properties,
                             "required": required}},
        "required": [key],
    }


_PROJECT = {"name": _PROJECT_NAME, "domain_id": _ID, "description": _TEXT,
            "enabled": {"type": "boolean"}, "is_domain": {"const": False},
            "parent_id": _ID, "tags": {"type": "array"}}
PROJECT_CREATE = _wrapped("project", _PROJECT, ["name"])
PROJECT_UPDATE = _wrapped("project", _PROJECT, [])

_USER = {"name": _NAME, "domain_id": _ID, "password": _PASSWORD,
         "enabled": {"type": "boolean"}, "default_project_id": _ID,
         "email": _TEXT, "description": _TEXT}
USER_CREATE = _wrapped("user", _USER, ["name"])
USER_UPDATE = _wrapped("user", _USER, [])
PASSWORD_CHANGE = _wrapped(
    "user", {"password": {"type": "string", "minLength": 1,
                          "maxLength": 72},
             "original_password": {"type": "string"}},
    ["password", "original_password"])

ROLE_CREATE = _wrapped("role", {"name": _NAME, "description": _TEXT},
                       ["name"])

APP_CRED_CREATE = _wrapped(
    "application_credential",
    {"name": _NAME, "description": _TEXT,
     "secret": {"type": ["string", "null"], "minLength": 1,
                "maxLength": 72},
     "expires_at": {"type": ["string", "null"]},
     "unrestricted": {"type": ["boolean", "null"]},
     "roles": {"type": ["array", "null"], "items": {
         "type": "object",
         "properties": {"id": _NAME, "name": _NAME}}}},
    ["name"])

"""Request and response helpers shared by the compute API handlers."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import webob
from oslo_serialization import jsonutils

from minova import exception
from minova import wsgi
from minova.api import deps as api_deps


class APIRequest(wsgi.Request):
    """A request with minova's context, dependencies and microversion."""

    api_version: Any = None

    @property
    def context(self) -> Any:
        return self.environ["minova.context"]

    @property
    def deps(self) -> api_deps.Deps:
        return self.environ[api_deps.ENVIRON_KEY]

    def json(self) -> Any:
        """The body as JSON; a 400 ``MalformedRequestBody`` otherwise."""
        if not self.body:
            raise exception.MalformedRequestBody(reason="the body is empty")
        try:
            body = jsonutils.loads(self.body)
        except RecursionError as exc:
            raise exception.MalformedRequestBody(reason=_TOO_DEEP) from exc
        except ValueError as exc:
            raise exception.MalformedRequestBody(reason=exc) from exc
        _check_body(body)
        return body

    def validated(self, schema: dict) -> Any:
        """The JSON body, checked against ``schema`` (400 names the field)."""
        body = self.json()
        validate(body, schema)
        return body


# No request body of the API nests more than a few levels; past this a
# body is refused before anything (the schema checks, a repr in a message)
# walks it recursively and hits Python's recursion limit.
MAX_DEPTH = 32
_TOO_DEEP = "it nests deeper than %d levels" % MAX_DEPTH


def _check_body(body: Any) -> None:
    """``MalformedRequestBody`` for a body nesting deeper than MAX_DEPTH
    or holding a NUL character (PostgreSQL refuses it in any text, a
    500). Walked level by level, without recursion: the point is to be
    safe on any depth."""
    level = [body]
    for _depth in range(MAX_DEPTH + 1):
        texts = [text for node in level if isinstance(node, dict)
                 for text in node]
        texts += [node for node in level if isinstance(node, str)]
        if any("\x00" in text for text in texts):
            raise exception.MalformedRequestBody(
                reason="it contains a NUL character")
        level = [child for node in level if isinstance(node, (dict, list))
                 for child in (node.values() if isinstance(node, dict)
                               else node)]
        if not level:
            return
    raise exception.MalformedRequestBody(reason=_TOO_DEEP)


def validate(body: Any, schema: dict) -> None:
    validator = jsonschema.Draft7Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is None:
        return
    field = "/".join(str(part) for part in error.absolute_path) or \
        _missing_field(error) or "body"
    raise exception.ValidationError(field=exception.cut(field),
                                    reason=_reason(error))


def _missing_field(error: jsonschema.ValidationError) -> str | None:
    if error.validator == "required":
        return next((name for name in error.validator_value
                     if name not in error.instance), None)
    return None


# jsonschema's own messages repr the whole offending value (a 100 KB name
# came back whole in the 400), so minova words its own from the error's
# validator and a quoted prefix of the value.
_REASONS = {
    "type": "{value} is not of type {expected}",
    "minLength": "{value} is too short",
    "maxLength": "{value} is too long",
    "pattern": "{value} does not match {expected}",
    "enum": "{value} is not one of {expected}",
    "const": "{value} is not {expected}",
    "minimum": "{value} is less than the minimum of {expected}",
    "maximum": "{value} is greater than the maximum of {expected}",
    "minItems": "{value} is too short",
    "maxItems": "{value} is too long",
    "minProperties": "{value} does not have enough properties",
    "maxProperties": "{value} has too many properties",
    "anyOf": "{value} is not valid under any of the given schemas",
    "oneOf": "{value} is not valid under exactly one of the given schemas",
}


def _reason(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        return "%s is a required property" % exception.quote(
            _missing_field(error))
    if error.validator == "additionalProperties":
        extra = _additional(error.instance, error.schema)
        return "Additional properties are not allowed (%s %s unexpected)" \
            % (", ".join(exception.quote(name) for name in extra[:3])
               + (", ..." if len(extra) > 3 else ""),
               "was" if len(extra) == 1 else "were")
    template = _REASONS.get(error.validator,
                            "{value} is not valid under {validator}")
    return template.format(value=exception.quote(error.instance),
                           expected=exception.quote(error.validator_value),
                           validator=error.validator)


def _additional(instance: Any, schema: dict) -> list[str]:
    """The properties of ``instance`` that ``schema`` does not allow."""
    if not isinstance(instance, dict):
        return []
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    return [name for name in instance if name not in known
            and not any(re.search(pattern, name) for pattern in patterns)]


def json_response(body: Any, status: int = 200) -> webob.Response:
    response = webob.Response(status=status,
                              content_type="application/json",
                              charset="UTF-8")
    response.body = jsonutils.dump_as_bytes(body)
    return response


def empty_response(status: int = 204) -> webob.Response:
    return webob.Response(status=status)

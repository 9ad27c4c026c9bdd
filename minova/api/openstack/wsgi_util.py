"""Request and response helpers shared by the compute API handlers."""

from __future__ import annotations

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
            return jsonutils.loads(self.body)
        except ValueError as exc:
            raise exception.MalformedRequestBody(reason=exc) from exc

    def validated(self, schema: dict) -> Any:
        """The JSON body, checked against ``schema`` (400 names the field)."""
        body = self.json()
        validate(body, schema)
        return body


def validate(body: Any, schema: dict) -> None:
    validator = jsonschema.Draft7Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is None:
        return
    field = "/".join(str(part) for part in error.absolute_path) or \
        _missing_field(error) or "body"
    raise exception.ValidationError(field=field, reason=error.message)


def _missing_field(error: jsonschema.ValidationError) -> str | None:
    if error.validator == "required":
        return str(error.message).split("'")[1]
    return None


def json_response(body: Any, status: int = 200) -> webob.Response:
    response = webob.Response(status=status,
                              content_type="application/json",
                              charset="UTF-8")
    response.body = jsonutils.dump_as_bytes(body)
    return response


def empty_response(status: int = 204) -> webob.Response:
    return webob.Response(status=status)

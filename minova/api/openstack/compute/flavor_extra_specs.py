"""``/flavors/{id}/os-extra_specs``: a flavor's key/value properties.
Everyone may read them, admins change them (Nova's defaults).

minova's scheduler reads no extra spec, so any key of the allowed
characters is stored as given; Nova's 2.86 validation of known namespaces
is not done.
"""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute.schemas import flavor_extras as schema
from minova.objects import flavor as flavor_obj

_RULE = "os_compute_api:os-flavor-extra-specs:%s"


def _flavor(req: wsgi_util.APIRequest, flavor_id: str, action: str) -> Any:
    req.deps.policy.authorize(req.context, _RULE % action)
    return flavor_obj.Flavor.get_by_flavor_id(req.context, flavor_id)


def _text(key: str, value: Any) -> str:
    """Values are stored as text; Nova takes numbers and booleans too.
    The schema's maxLength bounds strings only: a number of hundreds of
    digits would overflow the column (a 500 on MariaDB)."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > _MAX_VALUE:
        raise exception.ValidationError(
            field="extra_specs/%s" % exception.cut(key),
            reason="longer than %d characters" % _MAX_VALUE)
    return text


_MAX_VALUE = 255


def index(req: wsgi_util.APIRequest, flavor_id: str) -> Any:
    common.check_query(req, set())
    flavor = _flavor(req, flavor_id, "index")
    return wsgi_util.json_response({"extra_specs": flavor.extra_specs})


def create(req: wsgi_util.APIRequest, flavor_id: str) -> Any:
    flavor = _flavor(req, flavor_id, "create")
    specs = {key: _text(key, value) for key, value in
             req.validated(schema.create)["extra_specs"].items()}
    flavor.update_extra_specs(specs)
    return wsgi_util.json_response({"extra_specs": specs})


def show(req: wsgi_util.APIRequest, flavor_id: str, key: str) -> Any:
    common.check_query(req, set())
    flavor = _flavor(req, flavor_id, "show")
    if key not in flavor.extra_specs:
        raise exception.FlavorExtraSpecsNotFound(flavor_id=flavor_id,
                                                 extra_specs_key=key)
    return wsgi_util.json_response({key: flavor.extra_specs[key]})


def update(req: wsgi_util.APIRequest, flavor_id: str, key: str) -> Any:
    flavor = _flavor(req, flavor_id, "update")
    body = req.validated(schema.update)
    if key not in body:
        raise exception.Invalid(reason="Request body and URI mismatch")
    specs = {key: _text(key, body[key])}
    flavor.update_extra_specs(specs)
    return wsgi_util.json_response(specs)


def delete(req: wsgi_util.APIRequest, flavor_id: str, key: str) -> Any:
    flavor = _flavor(req, flavor_id, "delete")
    flavor.delete_extra_spec(key)
    return wsgi_util.empty_response(202)

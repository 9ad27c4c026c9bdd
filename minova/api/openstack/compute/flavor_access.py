"""``os-flavor-access``: which projects may use a private flavor. Admins
list it (``GET /flavors/{id}/os-flavor-access``) and change it
(``addTenantAccess``, ``removeTenantAccess`` on ``/flavors/{id}/action``).

A private flavor is listed, shown and bootable only for admins and the
projects on its list (``Flavor.get_by_flavor_id``, ``db.flavors.get_all``).
"""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute.schemas import flavor_extras as schema
from minova.objects import flavor as flavor_obj

_RULE = "os_compute_api:os-flavor-access"


def _access_list(req: wsgi_util.APIRequest, flavor: Any) -> Any:
    projects = flavor.get_projects()
    return wsgi_util.json_response({"flavor_access": [
        {"flavor_id": flavor.flavorid, "tenant_id": project}
        for project in projects]})


def index(req: wsgi_util.APIRequest, flavor_id: str) -> Any:
    common.check_query(req, set())
    req.deps.policy.authorize(req.context, _RULE)
    flavor = flavor_obj.Flavor.get_by_flavor_id(req.context, flavor_id)
    if flavor.is_public:
        raise exception.NotFound("Access list not available for public "
                                 "flavors.")
    return _access_list(req, flavor)


def action(req: wsgi_util.APIRequest, flavor_id: str) -> Any:
    """``POST /flavors/{id}/action``: the two access actions."""
    body = req.json()
    if isinstance(body, dict) and "removeTenantAccess" in body:
        return _remove(req, flavor_id)
    return _add(req, flavor_id)


def _add(req: wsgi_util.APIRequest, flavor_id: str) -> Any:
    context = req.context
    req.deps.policy.authorize(context, _RULE + ":add_tenant_access")
    project = req.validated(schema.add_tenant_access)[
        "addTenantAccess"]["tenant"]
    flavor = flavor_obj.Flavor.get_by_flavor_id(context, flavor_id)
    flavor.add_access(project)
    return _access_list(req, flavor)


def _remove(req: wsgi_util.APIRequest, flavor_id: str) -> Any:
    context = req.context
    req.deps.policy.authorize(context, _RULE + ":remove_tenant_access")
    project = req.validated(schema.remove_tenant_access)[
        "removeTenantAccess"]["tenant"]
    flavor = flavor_obj.Flavor.get_by_flavor_id(context, flavor_id)
    flavor.remove_access(project)
    return _access_list(req, flavor)

"""Flavors as Nova shows them, for the microversion asked."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util

DESCRIPTION = "2.55"
EXTRA_SPECS = "2.61"
SWAP_INTEGER = "2.75"
NO_RXTX = "2.102"


def extra_specs(flavor: Any) -> dict:
    """The flavor's extra specs (2.61), when the flavor object was read
    with them, or a server's flavor snapshot holds them (a server list
    shows snapshots as namespaces: ``views.servers.servers_from_rows``).
    A flavors row has none: the flavor list adds them
    (``with_extra_specs``)."""
    is_set = getattr(flavor, "obj_attr_is_set", None)
    if is_set is None:
        return dict(getattr(flavor, "extra_specs", None) or {})
    if is_set("extra_specs"):
        return dict(flavor.extra_specs)
    return {}


def basic(req: wsgi_util.APIRequest, flavor: Any) -> dict:
    view = {"id": flavor.flavorid, "name": flavor.name,
            "links": common.links(req, "flavors", flavor.flavorid)}
    if req.api_version.matches(DESCRIPTION):
        view["description"] = flavor.description
    return view


def detail(req: wsgi_util.APIRequest, flavor: Any) -> dict:
    version = req.api_version
    view = basic(req, flavor)
    view.update({
        "ram": flavor.memory_mb,
        "disk": flavor.root_gb,
        "vcpus": flavor.vcpus,
        "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral_gb,
        # No swap is "" before 2.75, 0 from it.
        "swap": flavor.swap if version.matches(SWAP_INTEGER)
        else flavor.swap or "",
        "os-flavor-access:is_public": flavor.is_public,
    })
    if not version.matches(NO_RXTX):
        view["OS-FLV-DISABLED:disabled"] = flavor.disabled
        view["rxtx_factor"] = flavor.rxtx_factor
    return view


def with_extra_specs(req: wsgi_util.APIRequest, view: dict,
                     extra_specs: dict | None) -> dict:
    """2.61: a flavor shows its extra specs to those who may read them
    (``os_compute_api:os-flavor-extra-specs:index``)."""
    if req.api_version.matches(EXTRA_SPECS) and _may_read_specs(req):
        view["extra_specs"] = dict(extra_specs or {})
    return view


def _may_read_specs(req: wsgi_util.APIRequest) -> bool:
    try:
        req.deps.policy.authorize(
            req.context, "os_compute_api:os-flavor-extra-specs:index")
    except exception.Forbidden:
        return False
    return True


def embedded(flavor: Any) -> dict:
    """The flavor a server shows from 2.47: its snapshot, no id."""
    return {
        "vcpus": flavor.vcpus,
        "ram": flavor.memory_mb,
        "disk": flavor.root_gb,
        "ephemeral": flavor.ephemeral_gb,
        "swap": flavor.swap,
        "original_name": flavor.name,
        "extra_specs": extra_specs(flavor),
    }

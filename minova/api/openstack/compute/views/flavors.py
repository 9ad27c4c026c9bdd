"""Flavors as Nova shows them."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util


def basic(req: wsgi_util.APIRequest, flavor: Any) -> dict:
    return {"id": flavor.flavorid, "name": flavor.name,
            "links": common.links(req, "flavors", flavor.flavorid)}


def detail(req: wsgi_util.APIRequest, flavor: Any) -> dict:
    view = basic(req, flavor)
    view.update({
        "ram": flavor.memory_mb,
        "disk": flavor.root_gb,
        "vcpus": flavor.vcpus,
        "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral_gb,
        "OS-FLV-DISABLED:disabled": flavor.disabled,
        # Nova shows no swap as "" before 2.75; minova stops at 2.47.
        "swap": flavor.swap or "",
        "rxtx_factor": flavor.rxtx_factor,
        "os-flavor-access:is_public": flavor.is_public,
    })
    return view


def with_extra_specs(req: wsgi_util.APIRequest, view: dict,
                     extra_specs: dict | None) -> dict:
    """2.61: a flavor shows its extra specs to those who may read them
    (``os_compute_api:os-flavor-extra-specs:index``)."""
    if req.api_version.matches("2.61") and _may_read_specs(req):
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
        "extra_specs": dict(flavor.extra_specs)
        if flavor.obj_attr_is_set("extra_specs") else {},
    }

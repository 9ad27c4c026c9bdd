"""Flavors as Nova shows them."""

from __future__ import annotations

from typing import Any

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


def embedded(flavor: Any) -> dict:
    """The flavor a server shows from 2.47: its snapshot, no id."""
    return {
        "vcpus": flavor.vcpus,
        "ram": flavor.memory_mb,
        "disk": flavor.root_gb,
        "ephemeral": flavor.ephemeral_gb,
        "swap": flavor.swap,
        "original_name": flavor.name,
        "extra_specs": {},
    }

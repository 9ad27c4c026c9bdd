"""``/v2.0/extensions``: the Neutron extensions whose part minova serves
(clients such as openstacksdk look for them before using a feature)."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.network import common
from minova.api.openstack import wsgi_util

EXTENSIONS = {
    "external-net": ("Neutron external network",
                     "Adds external network attribute to network "
                     "resource."),
    "floatingip-pools": ("Floating IP Pools",
                         "Floating IPs on external networks."),
    "security-group": ("security-group",
                       "The security groups extension (read only: each "
                       "project's default group)."),
    "binding": ("Port Binding", "Expose port bindings of a virtual port "
                "to external application."),
    "project-id": ("project_id field enabled",
                   "Extension that indicates that project_id field is "
                   "enabled."),
    "standard-attr-timestamp": ("Resource timestamps",
                                "Adds created_at and updated_at fields to "
                                "all Neutron resources that have Neutron "
                                "standard attributes."),
}


def _view(alias: str) -> dict:
    name, description = EXTENSIONS[alias]
    return {"alias": alias, "name": name, "description": description,
            "updated": "2026-12-01T00:00:00-00:00", "links": []}


def index(req: wsgi_util.APIRequest) -> Any:
    return common.collection(req, "extensions",
                             [_view(alias) for alias in EXTENSIONS])


def show(req: wsgi_util.APIRequest, alias: str) -> Any:
    if alias not in EXTENSIONS:
        raise exception.NotFound("Extension with alias %s does not exist"
                                 % exception.cut(alias, 64))
    return common.respond(req, "extension", _view(alias))

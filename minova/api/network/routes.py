"""The network API's route table (a Neutron v2.0 subset): path -> HTTP
method -> handler. Paths not here are 404, methods not here 405, both in
Neutron's fault format."""

from __future__ import annotations

from typing import Any

from minova.api.network import extensions
from minova.api.network import floatingips
from minova.api.network import networks
from minova.api.network import ports
from minova.api.network import security_groups
from minova.api.network import subnets
from minova.api.network import versions
from minova.api.openstack import faults
from minova.api.openstack import router

_V = "/v2.0"

ROUTES: dict[str, dict[str, router.Handler]] = {
    "": {"GET": versions.versions},
    "/": {"GET": versions.versions},
    _V: {"GET": versions.version},
    _V + "/": {"GET": versions.version},
    _V + "/extensions": {"GET": extensions.index},
    _V + "/extensions/{alias}": {"GET": extensions.show},
    _V + "/networks": {"GET": networks.index, "POST": networks.create},
    _V + "/networks/{network_id}": {"GET": networks.show,
                                    "PUT": networks.update,
                                    "DELETE": networks.delete},
    _V + "/subnets": {"GET": subnets.index, "POST": subnets.create},
    _V + "/subnets/{subnet_id}": {"GET": subnets.show, "PUT": subnets.update,
                                  "DELETE": subnets.delete},
    _V + "/ports": {"GET": ports.index, "POST": ports.create},
    _V + "/ports/{port_id}": {"GET": ports.show, "PUT": ports.update,
                              "DELETE": ports.delete},
    _V + "/floatingips": {"GET": floatingips.index,
                          "POST": floatingips.create},
    _V + "/floatingips/{floatingip_id}": {"GET": floatingips.show,
                                          "PUT": floatingips.update,
                                          "DELETE": floatingips.delete},
    _V + "/security-groups": {"GET": security_groups.index},
    _V + "/security-groups/{group_id}": {"GET": security_groups.show},
    _V + "/security-group-rules": {"GET": security_groups.rules_index},
    _V + "/security-group-rules/{rule_id}": {
        "GET": security_groups.rule_show},
}


def app_factory(global_config: dict, **local_config: Any) -> Any:
    """paste ``app_factory`` for the network API router."""
    return router.APIRouter(ROUTES, fault=faults.neutron_fault_response,
                            microversions=False)

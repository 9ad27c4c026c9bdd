"""The compute API's route table: path -> HTTP method -> handler."""

from __future__ import annotations

from typing import Any

from minova.api.openstack import router
from minova.api.openstack import versions
from minova.api.openstack.compute import aggregates
from minova.api.openstack.compute import flavors
from minova.api.openstack.compute import hypervisors
from minova.api.openstack.compute import images
from minova.api.openstack.compute import limits
from minova.api.openstack.compute import quota_classes
from minova.api.openstack.compute import quota_sets
from minova.api.openstack.compute import server_actions
from minova.api.openstack.compute import servers
from minova.api.openstack.compute import services

ROUTES: dict[str, dict[str, router.Handler]] = {
    "": {"GET": versions.version_v21},
    "/": {"GET": versions.version_v21},
    "/os-services": {"GET": services.index},
    "/os-services/{service_id}": {"PUT": services.update,
                                  "DELETE": services.delete},
    "/servers": {"GET": servers.index, "POST": servers.create},
    "/servers/detail": {"GET": servers.detail},
    "/servers/{server_id}": {"GET": servers.show, "PUT": servers.update,
                             "DELETE": servers.delete},
    "/servers/{server_id}/action": {"POST": server_actions.action},
    "/flavors": {"GET": flavors.index, "POST": flavors.create},
    "/flavors/detail": {"GET": flavors.detail},
    "/flavors/{flavor_id}": {"GET": flavors.show,
                             "PUT": flavors.update,  # 2.55 (part MV)
                             "DELETE": flavors.delete},
    "/os-hypervisors": {"GET": hypervisors.index},
    "/os-hypervisors/detail": {"GET": hypervisors.detail},
    "/os-hypervisors/statistics": {"GET": hypervisors.statistics},
    "/os-hypervisors/{hypervisor_id}": {"GET": hypervisors.show},
    "/os-hypervisors/{hypervisor_id}/uptime": {"GET": hypervisors.uptime},
    "/os-aggregates": {"GET": aggregates.index},
    "/limits": {"GET": limits.index},
    "/os-quota-sets/{project_id}": {"GET": quota_sets.show,
                                    "PUT": quota_sets.update,
                                    "DELETE": quota_sets.delete},
    "/os-quota-sets/{project_id}/detail": {"GET": quota_sets.detail},
    "/os-quota-sets/{project_id}/defaults": {"GET": quota_sets.defaults},
    "/os-quota-class-sets/{class_name}": {"GET": quota_classes.show,
                                          "PUT": quota_classes.update},
    # Glance-shaped image catalog, see minova.api.openstack.compute.images.
    "/images": {"GET": images.index},
    "/images/{image_id}": {"GET": images.show},
    "/v2/images": {"GET": images.index},
    "/v2/images/{image_id}": {"GET": images.show},
}


def app_factory(global_config: dict, **local_config: Any) -> Any:
    """paste ``app_factory`` for the compute API router."""
    return router.APIRouter(ROUTES)

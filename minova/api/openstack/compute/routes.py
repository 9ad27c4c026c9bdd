"""The compute API's route table: path -> HTTP method -> handler."""

from __future__ import annotations

from typing import Any

from minova.api.openstack import router
from minova.api.openstack import versions
from minova.api.openstack.compute import aggregates
from minova.api.openstack.compute import availability_zone
from minova.api.openstack.compute import flavor_access
from minova.api.openstack.compute import flavor_extra_specs
from minova.api.openstack.compute import flavors
from minova.api.openstack.compute import hypervisors
from minova.api.openstack.compute import images
from minova.api.openstack.compute import instance_actions
from minova.api.openstack.compute import keypairs
from minova.api.openstack.compute import limits
from minova.api.openstack.compute import migrations
from minova.api.openstack.compute import quota_classes
from minova.api.openstack.compute import quota_sets
from minova.api.openstack.compute import server_actions
from minova.api.openstack.compute import server_groups
from minova.api.openstack.compute import server_metadata
from minova.api.openstack.compute import server_tags
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
    # Issue 9, part RES1: flavor extra specs and access, key pairs, server
    # metadata and tags, availability zones.
    "/flavors/{flavor_id}/os-extra_specs": {
        "GET": flavor_extra_specs.index, "POST": flavor_extra_specs.create},
    "/flavors/{flavor_id}/os-extra_specs/{key}": {
        "GET": flavor_extra_specs.show, "PUT": flavor_extra_specs.update,
        "DELETE": flavor_extra_specs.delete},
    "/flavors/{flavor_id}/os-flavor-access": {"GET": flavor_access.index},
    "/flavors/{flavor_id}/action": {"POST": flavor_access.action},
    "/os-keypairs": {"GET": keypairs.index, "POST": keypairs.create},
    "/os-keypairs/{name}": {"GET": keypairs.show,
                            "DELETE": keypairs.delete},
    "/servers/{server_id}/metadata": {
        "GET": server_metadata.index, "POST": server_metadata.create,
        "PUT": server_metadata.update_all},
    "/servers/{server_id}/metadata/{key}": {
        "GET": server_metadata.show, "PUT": server_metadata.update,
        "DELETE": server_metadata.delete},
    "/servers/{server_id}/tags": {
        "GET": server_tags.index, "PUT": server_tags.update_all,
        "DELETE": server_tags.delete_all},
    "/servers/{server_id}/tags/{tag}": {
        "GET": server_tags.show, "PUT": server_tags.update,
        "DELETE": server_tags.delete},
    "/os-availability-zone": {"GET": availability_zone.index},
    "/os-availability-zone/detail": {"GET": availability_zone.detail},
    # Issue 9, RES2: server groups and instance actions (the server
    # actions are in server_actions._ACTIONS).
    "/os-server-groups": {"GET": server_groups.index,
                          "POST": server_groups.create},
    "/os-server-groups/{group_id}": {"GET": server_groups.show,
                                     "DELETE": server_groups.delete},
    "/servers/{server_id}/os-instance-actions": {
        "GET": instance_actions.index},
    "/servers/{server_id}/os-instance-actions/{request_id}": {
        "GET": instance_actions.show},
    # Issue 9: the migrations (resizes) of every server.
    "/os-migrations": {"GET": migrations.index},
}


def app_factory(global_config: dict, **local_config: Any) -> Any:
    """paste ``app_factory`` for the compute API router."""
    return router.APIRouter(ROUTES)

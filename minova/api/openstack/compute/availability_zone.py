"""``/os-availability-zone`` and ``/os-availability-zone/detail``: the
zones of the compute services, as Nova lists them.

A compute host's zone is the scheduler's: ``[filter_scheduler]
host_availability_zones`` for it, else ``[compute]
default_availability_zone``. Other services are in Nova's ``internal``
zone, shown only in the detail (admins). A zone with an enabled compute
service is available; one whose compute services are all disabled is
not.
"""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.objects import service as service_obj

COMPUTE_BINARY = "minova-compute"
# Nova's [DEFAULT] internal_service_availability_zone default.
INTERNAL_ZONE = "internal"
_RULE = "os_compute_api:os-availability-zone:%s"


def zone_of(conf: Any, service: Any) -> str:
    if service.binary != COMPUTE_BINARY:
        return INTERNAL_ZONE
    zones = conf.filter_scheduler.host_availability_zones
    return zones.get(service.host) or conf.compute.default_availability_zone


def zone_of_instance(conf: Any, instance: Any) -> str | None:
    """The zone a server is in, as Nova's
    ``get_instance_availability_zone``: its host's, or before it has one
    the zone it was asked into."""
    if not instance.host:
        return instance.availability_zone
    zones = conf.filter_scheduler.host_availability_zones
    return zones.get(instance.host) or conf.compute.default_availability_zone


def _zones(req: wsgi_util.APIRequest) -> tuple[dict, list]:
    """(available zone -> its enabled services, unavailable zones)."""
    conf = req.deps.conf
    services = service_obj.ServiceList.get_all(req.context.elevated())
    enabled: dict[str, list] = {}
    disabled: set[str] = set()
    for service in services:
        zone = zone_of(conf, service)
        if service.disabled:
            disabled.add(zone)
        else:
            enabled.setdefault(zone, []).append(service)
    return enabled, sorted(disabled - set(enabled))


def check_for_boot(req: wsgi_util.APIRequest, zone: str) -> None:
    """A 400 unless ``zone`` is an available zone, as Nova checks a
    boot's ``availability_zone`` (its ``zone:host`` forms are not
    served)."""
    available, _unavailable = _zones(req)
    if zone not in available or zone == INTERNAL_ZONE:
        raise exception.Invalid(
            reason="The requested availability zone is not available")


def index(req: wsgi_util.APIRequest) -> Any:
    common.check_query(req, set())
    req.deps.policy.authorize(req.context, _RULE % "list")
    available, unavailable = _zones(req)
    info = [{"zoneName": zone, "zoneState": {"available": True},
             "hosts": None}
            for zone in sorted(available) if zone != INTERNAL_ZONE]
    info += [{"zoneName": zone, "zoneState": {"available": False},
              "hosts": None}
             for zone in unavailable if zone != INTERNAL_ZONE]
    return wsgi_util.json_response({"availabilityZoneInfo": info})


def detail(req: wsgi_util.APIRequest) -> Any:
    common.check_query(req, set())
    req.deps.policy.authorize(req.context, _RULE % "detail")
    available, unavailable = _zones(req)
    is_up = req.deps.servicegroup.is_up
    info = []
    for zone in sorted(available):
        hosts: dict[str, dict] = {}
        for service in available[zone]:
            hosts.setdefault(service.host, {})[service.binary] = {
                "available": is_up(service),
                "active": not service.disabled,
                "updated_at": common.plain_time(service.updated_at
                                                or service.created_at)}
        info.append({"zoneName": zone, "zoneState": {"available": True},
                     "hosts": hosts})
    info += [{"zoneName": zone, "zoneState": {"available": False},
              "hosts": None} for zone in unavailable]
    return wsgi_util.json_response({"availabilityZoneInfo": info})

"""``GET /limits``: absolute limits and what the project uses.

minova implements no quotas: every ``max*`` is -1 (Nova's "unlimited"),
which is the truth, and the ``total*Used`` figures are counted from the
project's live servers.
"""

from __future__ import annotations

from typing import Any

from minova.api.openstack import wsgi_util
from minova.objects import instance as instance_obj

UNLIMITED = -1

# name -> lowest microversion it is absent from (None: never removed).
_MAXIMA = {
    "maxTotalInstances": None,
    "maxTotalCores": None,
    "maxTotalRAMSize": None,
    "maxServerMeta": None,
    "maxTotalKeypairs": None,
    "maxServerGroups": None,
    "maxServerGroupMembers": None,
    "maxPersonality": None,
    "maxPersonalitySize": None,
    "maxImageMeta": "2.39",
    "maxSecurityGroups": "2.36",
    "maxSecurityGroupRules": "2.36",
    "maxTotalFloatingIps": "2.36",
}

# Usage of things minova does not have: always none used.
_NOT_HELD = {"totalServerGroupsUsed": None,
             "totalSecurityGroupsUsed": "2.36",
             "totalFloatingIpsUsed": "2.36"}


def _shown(req: wsgi_util.APIRequest, removed_in: str | None) -> bool:
    return removed_in is None or not req.api_version.matches(removed_in)


def index(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:limits")
    project_id = context.project_id
    if context.is_admin and req.GET.get("tenant_id"):
        project_id = req.GET["tenant_id"]
    instances = instance_obj.InstanceList.get_by_filters(
        context, {"project_id": project_id})
    absolute: dict[str, int] = {
        name: UNLIMITED for name, removed_in in _MAXIMA.items()
        if _shown(req, removed_in)}
    absolute.update({name: 0 for name, removed_in in _NOT_HELD.items()
                     if _shown(req, removed_in)})
    absolute.update({
        "totalInstancesUsed": len(instances),
        "totalCoresUsed": sum(inst.vcpus for inst in instances),
        "totalRAMUsed": sum(inst.memory_mb for inst in instances),
    })
    return wsgi_util.json_response(
        {"limits": {"rate": [], "absolute": absolute}})

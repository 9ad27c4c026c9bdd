"""``GET /limits``: the project's absolute limits and what it uses.

The limits are the project's quotas (``minova.quota``) under Nova's
names; usage is counted from the project's live servers. Admins may ask
about another project with ``tenant_id``.
"""

from __future__ import annotations

from typing import Any

from minova import quota
from minova.api.openstack import common
from minova.api.openstack import wsgi_util

# Quota resource -> the limits it is shown as (Nova's views/limits.py).
_LIMIT_NAMES = {
    "ram": ("maxTotalRAMSize",),
    "instances": ("maxTotalInstances",),
    "cores": ("maxTotalCores",),
    "key_pairs": ("maxTotalKeypairs",),
    "floating_ips": ("maxTotalFloatingIps",),
    "metadata_items": ("maxServerMeta", "maxImageMeta"),
    "injected_files": ("maxPersonality",),
    "injected_file_content_bytes": ("maxPersonalitySize",),
    "security_groups": ("maxSecurityGroups",),
    "security_group_rules": ("maxSecurityGroupRules",),
    "server_groups": ("maxServerGroups",),
    "server_group_members": ("maxServerGroupMembers",),
}

# Usage shown -> the quota resource it counts.
_USED_NAMES = {
    "totalRAMUsed": "ram",
    "totalCoresUsed": "cores",
    "totalInstancesUsed": "instances",
    "totalFloatingIpsUsed": "floating_ips",
    "totalSecurityGroupsUsed": "security_groups",
    "totalServerGroupsUsed": "server_groups",
}

# 2.36: the proxied network resources leave (injected files in 2.57,
# above minova's maximum).
_FILTERED_2_36 = ("floating_ips", "security_groups", "security_group_rules")
# 2.57: personality files are gone, maxPersonality* with them.
_FILTERED_2_57 = ("injected_files", "injected_file_content_bytes")


def index(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:limits")
    common.check_query(req, {"tenant_id"})
    project_id = context.project_id
    if context.is_admin and req.GET.get("tenant_id"):
        project_id = req.GET["tenant_id"]
    deps = req.deps
    limits = quota.project_limits(deps.conf, deps.db, project_id)
    used = quota.usage(deps.db, project_id)
    filtered = _FILTERED_2_36 if req.api_version.matches("2.36") else ()
    if req.api_version.matches("2.57"):
        filtered += _FILTERED_2_57
    # 2.39: image metadata is Glance's business, maxImageMeta leaves.
    image_meta = not req.api_version.matches("2.39")
    absolute: dict[str, int] = {}
    for resource, names in _LIMIT_NAMES.items():
        if resource in filtered:
            continue
        for name in names:
            if name != "maxImageMeta" or image_meta:
                absolute[name] = limits[resource]
    for name, resource in _USED_NAMES.items():
        if resource not in filtered:
            absolute[name] = used[resource]
    return wsgi_util.json_response(
        {"limits": {"rate": [], "absolute": absolute}})

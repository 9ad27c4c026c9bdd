"""Quotas as Nova has them: limits, usage, and the check of a create.

A limit comes from, in order: the project's own (``os-quota-sets``), the
'default' quota class (``os-quota-class-sets/default``), ``[quota]``.
-1 is unlimited. Usage is counted from the project's live servers at the
moment of a create, in the transaction that inserts them
(``minova.db.quotas.create_instances``), so it never drifts and racing
creates cannot together exceed a limit.

Enforced: instances, cores and ram on server create, metadata_items on
the create's metadata and on server metadata changes, key_pairs on key
pair create (a user's keys, counted by ``minova.db.keypairs.create``),
server_groups on a group's create and server_group_members on a boot into
a group (``minova.db.server_groups``, counted the same way), and the
growth of cores and ram of a resize. The rest are shown only: the
injected_* ones because minova refuses personality files, and Nova's
nova-network ones, always -1 as in Nova since nova-network went.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from oslo_config import cfg

from minova import exception
from minova.db import api as db_api
from minova.db import quotas as db_quotas
from minova.db import server_groups as db_groups

LOG = logging.getLogger(__name__)

UNLIMITED = -1
DEFAULT_CLASS = "default"

# Resource -> its [quota] option, in Nova's order.
_OPTIONS = {
    "instances": "instances",
    "cores": "cores",
    "ram": "ram",
    "metadata_items": "metadata_items",
    "injected_files": "injected_files",
    "injected_file_content_bytes": "injected_file_content_bytes",
    "injected_file_path_bytes": "injected_file_path_length",
    "key_pairs": "key_pairs",
    "server_groups": "server_groups",
    "server_group_members": "server_group_members",
}
RESOURCES = tuple(_OPTIONS)
# nova-network's: no such resources, shown as unlimited before 2.36.
NETWORK_RESOURCES = ("fixed_ips", "floating_ips", "security_groups",
                     "security_group_rules")
# What a server holds, counted from the instances table.
COUNTED = ("instances", "cores", "ram")


def _with_config(conf: cfg.ConfigOpts, stored: dict) -> dict[str, int]:
    limits = {name: stored.get(name, getattr(conf.quota, option))
              for name, option in _OPTIONS.items()}
    limits.update(dict.fromkeys(NETWORK_RESOURCES, UNLIMITED))
    return limits


def class_limits(conf: cfg.ConfigOpts, db: db_api.Database,
                 class_name: str = DEFAULT_CLASS) -> dict[str, int]:
    """A quota class's limits; for 'default', every project's defaults."""
    return _with_config(conf, db_quotas.get_limits(db, class_name, None)[0])


def project_limits(conf: cfg.ConfigOpts, db: db_api.Database,
                   project_id: str) -> dict[str, int]:
    """The limits that apply to ``project_id``."""
    defaults, own = db_quotas.get_limits(db, DEFAULT_CLASS, project_id)
    return _with_config(conf, {**defaults, **own})


def usage(db: db_api.Database, project_id: str) -> dict[str, int]:
    """In use per resource; 0 for those minova does not count."""
    used = dict.fromkeys(RESOURCES + NETWORK_RESOURCES, 0)
    used.update(db_quotas.get_usage(db, project_id))
    with db.reader() as connection:
        used["server_groups"] = db_groups.count(connection, project_id)
    return used


def check_metadata(limits: dict[str, int], metadata: dict | None) -> None:
    """``MetadataLimitExceeded`` (403) if ``metadata`` has too many
    items."""
    allowed = limits["metadata_items"]
    if allowed != UNLIMITED and len(metadata or {}) > allowed:
        raise exception.MetadataLimitExceeded(allowed=allowed)


def instances_allowed(limits: dict[str, int], used: dict[str, int],
                      flavor: Any, min_count: int, max_count: int) -> int:
    """How many servers of ``flavor`` to create: ``max_count`` if they
    fit, else as many as fit if that is at least ``min_count``, else
    ``TooManyInstances`` with Nova's message."""
    each = {"instances": 1, "cores": flavor.vcpus, "ram": flavor.memory_mb}
    allowed = max_count
    overs = []
    for resource in sorted(each):
        limit, size = limits[resource], each[resource]
        if limit == UNLIMITED or size <= 0:
            continue
        if used[resource] + size * max_count > limit:
            overs.append(resource)
        allowed = min(allowed, max(0, (limit - used[resource]) // size))
    if allowed >= min_count:
        return allowed
    requested = {"instances": (str(min_count) if min_count == max_count
                               else "%d-%d" % (min_count, max_count)),
                 "cores": str(flavor.vcpus * max_count),
                 "ram": str(flavor.memory_mb * max_count)}
    raise exception.TooManyInstances(
        overs=", ".join(overs),
        req=", ".join(requested[name] for name in overs),
        used=", ".join(str(used[name]) for name in overs),
        allowed=", ".join(str(limits[name]) for name in overs))


def check_resize(limits: dict[str, int], used: dict[str, int],
                 instance: Any, flavor: Any) -> None:
    """``TooManyInstances`` (403) if resizing ``instance`` to ``flavor``
    grows its cores or ram beyond the project's limits (a shrink always
    passes), as Nova counts a resize."""
    grow = {"cores": flavor.vcpus - (instance.vcpus or 0),
            "ram": flavor.memory_mb - (instance.memory_mb or 0)}
    overs = [name for name, delta in sorted(grow.items())
             if delta > 0 and limits[name] != UNLIMITED
             and used[name] + delta > limits[name]]
    if overs:
        raise exception.TooManyInstances(
            overs=", ".join(overs),
            req=", ".join(str(grow[name]) for name in overs),
            used=", ".join(str(used[name]) for name in overs),
            allowed=", ".join(str(limits[name]) for name in overs))


def create_instances(db: db_api.Database, limits: dict[str, int],
                     project_id: str, flavor: Any, min_count: int,
                     max_count: int,
                     values_for: Callable[[int], list[dict]],
                     action: dict[str, Any] | None = None) -> list:
    """Insert ``values_for(count)`` for the project's servers, ``count``
    being what ``instances_allowed`` says given the usage counted in the
    same transaction; nothing (``TooManyInstances``) if that is less than
    ``min_count``. ``action`` is recorded for each in that transaction
    (``db.quotas.create_instances``). Returns the rows as stored."""
    return db_quotas.create_instances(
        db, project_id,
        lambda used: values_for(instances_allowed(
            limits, used, flavor, min_count, max_count)), action)


def set_project_limits(db: db_api.Database, project_id: str,
                       limits: dict[str, int]) -> None:
    db_quotas.set_project_limits(db, project_id, limits)
    LOG.info("Quotas of project %s set: %s", project_id, _listed(limits))


def delete_project_limits(db: db_api.Database, project_id: str) -> None:
    """Back to the defaults."""
    db_quotas.delete_project_limits(db, project_id)
    LOG.info("Quotas of project %s reverted to the defaults", project_id)


def set_class_limits(db: db_api.Database, class_name: str,
                     limits: dict[str, int]) -> None:
    db_quotas.set_class_limits(db, class_name, limits)
    LOG.info("Quotas of class %s set: %s", class_name, _listed(limits))


def _listed(limits: dict[str, int]) -> str:
    return ", ".join("%s=%d" % item for item in sorted(limits.items())) \
        or "nothing"

"""What the compute API's resources share: status mapping, paging, links.

The status table is Nova's (``nova/api/openstack/common.py``) reduced to
the vm_states and task_states minova has.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib import parse

from oslo_utils import strutils
from oslo_utils import timeutils

from minova import exception
from minova.api.openstack import wsgi_util
from minova.compute import task_states
from minova.compute import vm_states

_STATE_MAP: dict[str, dict[str | None, str]] = {
    vm_states.ACTIVE: {
        "default": "ACTIVE",
        task_states.REBOOTING: "REBOOT",
        task_states.REBOOT_PENDING: "REBOOT",
        task_states.REBOOT_STARTED: "REBOOT",
        task_states.REBOOTING_HARD: "HARD_REBOOT",
        task_states.REBUILDING: "REBUILD",
        task_states.REBUILD_SPAWNING: "REBUILD",
        task_states.RESIZE_PREP: "RESIZE",
        task_states.RESIZE_MIGRATING: "RESIZE",
        task_states.RESIZE_MIGRATED: "RESIZE",
        task_states.RESIZE_FINISH: "RESIZE",
    },
    vm_states.BUILDING: {"default": "BUILD"},
    vm_states.STOPPED: {"default": "SHUTOFF",
                        task_states.REBUILDING: "REBUILD",
                        task_states.REBUILD_SPAWNING: "REBUILD",
                        task_states.RESIZE_PREP: "RESIZE",
                        task_states.RESIZE_MIGRATING: "RESIZE",
                        task_states.RESIZE_MIGRATED: "RESIZE",
                        task_states.RESIZE_FINISH: "RESIZE"},
    vm_states.RESIZED: {"default": "VERIFY_RESIZE",
                        task_states.RESIZE_REVERTING: "REVERT_RESIZE"},
    vm_states.ERROR: {"default": "ERROR",
                      task_states.REBUILDING: "REBUILD",
                      task_states.REBUILD_SPAWNING: "REBUILD"},
    vm_states.PAUSED: {"default": "PAUSED"},
    vm_states.SUSPENDED: {"default": "SUSPENDED"},
    vm_states.DELETED: {"default": "DELETED"},
}


def status_from_state(vm_state: str | None,
                      task_state: str | None = None) -> str:
    """The ``status`` Nova shows for a vm_state and task_state."""
    task_map = _STATE_MAP.get(vm_state or "", {"default": "UNKNOWN"})
    return task_map.get(task_state, task_map["default"])


def states_from_status(status: str) -> tuple[list[str], list[str] | None]:
    """The vm_states and task_states (None: any) a status filter means.

    Both lists are empty for a status minova never shows.
    """
    vm: set[str] = set()
    tasks: set[str | None] = set()
    for vm_state, task_map in _STATE_MAP.items():
        for task_state, shown in task_map.items():
            if shown.lower() == status.strip().lower():
                vm.add(vm_state)
                tasks.add(task_state)
    if "default" in tasks:
        # A status shown by default matches every task state, as in Nova.
        return sorted(vm), None
    return sorted(vm), sorted(t for t in tasks if t is not None)


def isotime(value: datetime.datetime | None) -> str | None:
    """``2012-12-02T02:11:57Z``, the format of created/updated."""
    if value is None:
        return None
    # The ISO form's first 19 characters, not strftime: half the cost,
    # per server of a list (the same text for any year after 999).
    return value.isoformat()[:19] + "Z"


def query_time(req: wsgi_util.APIRequest,
               name: str) -> datetime.datetime | None:
    """The ISO 8601 time of query parameter ``name`` (naive UTC), None if
    it is not given; a 400 if it is not a time."""
    text = req.GET.get(name)
    if text is None:
        return None
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(text))
    except (ValueError, OverflowError) as exc:
        # OverflowError: a time that is only valid before its offset is
        # applied (9999-12-31T23:00:00-05:00).
        raise exception.ValidationError(
            field=name, reason="%s is not an ISO 8601 time"
            % exception.quote(text)) from exc


def plain_time(value: datetime.datetime | None) -> str | None:
    """``2013-09-23T13:53:12.000000``, the format Nova uses for
    launched_at, terminated_at and the hypervisor service fields."""
    if value is None:
        return None
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


def is_true(value: str | None) -> bool:
    return strutils.bool_from_string(value, default=False)


# Paging -------------------------------------------------------------------

def limit_and_marker(req: wsgi_util.APIRequest) -> tuple[int, str | None]:
    """``limit`` (capped at ``[api] max_limit``) and ``marker`` params."""
    max_limit = req.deps.conf.api.max_limit
    text = req.GET.get("limit")
    limit = max_limit
    if text is not None:
        try:
            limit = int(text)
        except ValueError as exc:
            raise exception.ValidationError(
                field="limit", reason="%s is not an integer"
                % exception.quote(text)) from exc
        if limit < 0:
            raise exception.ValidationError(
                field="limit", reason="must be >= 0")
    return min(limit, max_limit), req.GET.get("marker")


def sort_params(req: wsgi_util.APIRequest, default_key: str,
                default_dir: str) -> tuple[list[str], list[str]]:
    """Repeatable ``sort_key``/``sort_dir`` pairs, as Nova reads them."""
    keys = req.GET.getall("sort_key") or [default_key]
    dirs = req.GET.getall("sort_dir")
    for direction in dirs:
        if direction not in ("asc", "desc"):
            raise exception.ValidationError(
                field="sort_dir", reason="%s is not one of asc, desc"
                % exception.quote(direction))
    dirs = dirs + [dirs[-1] if dirs else default_dir] * (len(keys)
                                                         - len(dirs))
    return keys, dirs[:len(keys)]


def collection_links(req: wsgi_util.APIRequest, items: list, limit: int,
                     collection: str, id_key: str = "id") -> list[dict]:
    """The ``<collection>_links`` next link when the page is full."""
    if not items or len(items) < limit:
        return []
    params = [(k, v) for k, v in req.GET.items() if k != "marker"]
    params.append(("marker", items[-1][id_key]))
    href = "%s/%s?%s" % (base_url(req), collection, parse.urlencode(params))
    return [{"rel": "next", "href": href}]


# Links --------------------------------------------------------------------

def base_url(req: wsgi_util.APIRequest) -> str:
    """``http://host:port/v2.1``: where this API is mounted.

    Worked out once per request: a list's links ask for it per item.
    """
    url = req.environ.get(_BASE_URL_KEY)
    if url is None:
        url = req.environ[_BASE_URL_KEY] = req.application_url.rstrip("/")
    return url


_BASE_URL_KEY = "minova.base_url"


def link_prefixes(req: wsgi_util.APIRequest) -> tuple[str, str]:
    """The versioned and the unversioned prefix of the request's links:
    worked out once for a list of them (``links_under``)."""
    versioned = base_url(req)
    return versioned, versioned.rsplit("/v2.1", 1)[0]


def links_under(prefixes: tuple[str, str], collection: str,
                ident: Any) -> list[dict]:
    """``self`` (versioned) and ``bookmark`` (unversioned) links."""
    versioned, root = prefixes
    return [
        {"rel": "self",
         "href": "%s/%s/%s" % (versioned, collection, ident)},
        {"rel": "bookmark",
         "href": "%s/%s/%s" % (root, collection, ident)},
    ]


def links(req: wsgi_util.APIRequest, collection: str,
          ident: Any) -> list[dict]:
    return links_under(link_prefixes(req), collection, ident)


# Query parameters -----------------------------------------------------------

def check_query(req: wsgi_util.APIRequest, allowed: frozenset[str] | set[str],
                since: str = "2.102") -> None:
    """Refuse query parameters the route does not know, from ``since``.

    Nova ignored unknown parameters until 2.75 (the server list) and 2.102
    (every other route) and answers 400 from then on; its query schemas
    declare no more than the names, so a set of them is all this needs.
    """
    if not req.api_version.matches(since):
        return
    unknown = sorted(set(req.GET.keys()) - set(allowed))
    if unknown:
        raise exception.ValidationError(
            field=", ".join(exception.quote(name) for name in unknown[:3]),
            reason="not a query parameter of this resource (unknown "
                   "parameters are refused from microversion %s)" % since)

"""``GET /os-migrations``: the migrations of every server, as Nova lists
them; in minova those are resizes (``migration_type`` ``resize``, written
by ``minova.compute.resize_api``), the only kind it makes.

Filters ``instance_uuid``, ``status``, ``migration_type``, ``host``
(source or destination), ``source_compute`` and ``hidden`` (nothing is
hidden in minova: ``hidden=true`` matches none); before 2.59 any other
parameter is ignored, as Nova's schema allows them. 2.23 adds
``migration_type`` (and ``links``, for live migrations in progress only:
never here). 2.59 pages newest first (``limit``, ``marker``: a
migration's ``uuid``, ``changes-since``; ``migrations_links``), shows
``uuid`` and refuses unknown parameters; 2.66 adds ``changes-before``;
2.80 shows and filters by ``user_id`` and ``project_id`` (who started
it).

Policy as Nova's defaults: listing is for admins and a project's
managers; anything but the caller's own project (``project_id``) takes
``index:all_projects`` (admins); the hosts are shown only with
``index:host`` (admins), else null.

A read-only list: its rows become the view directly
(docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from oslo_utils import strutils

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.db import api as db_api
from minova.db import instance_migrations as db_migrations

_RULE = "os_compute_api:os-migrations:%s"

# Nova's query schemas: additional parameters allowed (and ignored)
# before 2.59, refused from it.
_QUERY = frozenset(("hidden", "host", "instance_uuid", "source_compute",
                    "status", "migration_type"))
_QUERY_2_59 = _QUERY | {"limit", "marker", "changes-since"}
_QUERY_2_66 = _QUERY_2_59 | {"changes-before"}
_QUERY_2_80 = _QUERY_2_66 | {"user_id", "project_id"}
# Parameters Nova takes once (its ``single_param``).
_SINGLE = ("limit", "marker", "changes-since", "changes-before", "user_id",
           "project_id")


def _allowed_query(version: Any) -> frozenset[str]:
    for minimum, allowed in (("2.80", _QUERY_2_80), ("2.66", _QUERY_2_66),
                             ("2.59", _QUERY_2_59)):
        if version.matches(minimum):
            return allowed
    return _QUERY


def _check_query(req: wsgi_util.APIRequest) -> None:
    common.check_query(req, _allowed_query(req.api_version), since="2.59")
    if not req.api_version.matches("2.59"):
        return
    for name in _SINGLE:
        if len(req.GET.getall(name)) > 1:
            raise exception.ValidationError(
                field=name, reason="may be given once only")


def _filters(req: wsgi_util.APIRequest) -> dict | None:
    """The filters asked for; None if none can match (``hidden``)."""
    params, version = req.GET, req.api_version
    filters = {name: params[name] for name in (
        "instance_uuid", "status", "migration_type", "host",
        "source_compute") if name in params}
    if strutils.bool_from_string(params.get("hidden")):
        return None
    # Nova filters by them at any version (before 2.80 its schema lets
    # them through); 2.80 documents them.
    for name in ("user_id", "project_id"):
        if name in params:
            filters[name] = params[name]
    if version.matches("2.59"):
        for name in ("changes-since", "changes-before"):
            if name in params and (name == "changes-since"
                                   or version.matches("2.66")):
                filters[name] = common.query_time(req, name)
        since = filters.get("changes-since")
        before = filters.get("changes-before")
        if since and before and before < since:
            raise exception.Invalid(
                reason="The value of changes-since must be less than or "
                       "equal to changes-before.")
    return filters


def _authorize(req: wsgi_util.APIRequest) -> bool:
    """Nova's checks; whether the hosts may be shown."""
    context, policy = req.context, req.deps.policy
    policy.authorize(context, _RULE % "index")
    if req.GET.get("project_id") != context.project_id:
        policy.authorize(context, _RULE % "index:all_projects")
    try:
        policy.authorize(context, _RULE % "index:host")
    except exception.Forbidden:
        return False
    return True


def _view(req: wsgi_util.APIRequest, row: Any, show_host: bool) -> dict:
    version = req.api_version
    view = {
        "id": row.id,
        "instance_uuid": row.instance_uuid,
        "status": row.status,
        "source_compute": row.source_compute if show_host else None,
        "source_node": row.source_node if show_host else None,
        "dest_compute": row.dest_compute if show_host else None,
        # Nova's is the destination's address for live migration; a
        # resize has none.
        "dest_host": None,
        "dest_node": row.dest_node if show_host else None,
        "old_instance_type_id": row.old_instance_type_id,
        "new_instance_type_id": row.new_instance_type_id,
        "created_at": common.plain_time(row.created_at),
        "updated_at": common.plain_time(row.updated_at),
    }
    if version.matches("2.23"):
        view["migration_type"] = row.migration_type
    if version.matches("2.59"):
        view["uuid"] = row.uuid
    if version.matches("2.80"):
        view["user_id"] = row.user_id
        view["project_id"] = row.project_id
    return view


def index(req: wsgi_util.APIRequest) -> Any:
    show_host = _authorize(req)
    _check_query(req)
    paged = req.api_version.matches("2.59")
    limit, marker = common.limit_and_marker(req) if paged else (None, None)
    filters = _filters(req)
    rows = [] if filters is None else db_migrations.get_all(
        db_api.from_context(req.context), filters, paged=paged,
        limit=limit, marker=marker)
    body: dict = {"migrations": [_view(req, row, show_host)
                                 for row in rows]}
    if paged:
        links = common.collection_links(req, body["migrations"], limit,
                                        "os-migrations", id_key="uuid")
        if links:
            body["migrations_links"] = links
    return wsgi_util.json_response(body)

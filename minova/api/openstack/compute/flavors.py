"""``/flavors``: list, detail, show; create, update (the description,
2.55) and delete for admins."""

from __future__ import annotations

import uuid
from typing import Any

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute.schemas import flavors as schema
from minova.api.openstack.compute.views import flavors as views
from minova.db import api as db_api
from minova.db import flavor_extras as db_flavor_extras
from minova.db import flavors as db_flavors
from minova.objects import flavor as flavor_obj

# API sort key -> column; Nova takes the column names themselves.
_SORT_KEYS = {key: key for key in db_flavors.SORT_KEYS}
_LIST_QUERY = frozenset({"limit", "marker", "is_public", "minRam",
                         "minDisk", "sort_key", "sort_dir"})


def _int_param(req: wsgi_util.APIRequest, name: str) -> int | None:
    text = req.GET.get(name)
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError as exc:
        raise exception.ValidationError(
            field=name, reason="%s is not an integer"
            % exception.quote(text)) from exc
    if not 0 <= value <= _DB_MAX_INT:
        # Past the column's range the database driver fails (a 500).
        raise exception.ValidationError(
            field=name, reason="must be between 0 and %d" % _DB_MAX_INT)
    return value


def _is_public(req: wsgi_util.APIRequest) -> bool | None:
    """Public flavors for users; admins may ask for all or private ones
    (``is_public=none|false``), as in Nova."""
    if not req.context.is_admin:
        return True
    text = req.GET.get("is_public")
    if text is None:
        return True
    if text.lower() == "none":
        return None
    return common.is_true(text)


def _list(req: wsgi_util.APIRequest, view: Any) -> Any:
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:flavors:index")
    # Strict from 2.75 here (Nova's flavor list was cleaned up then), the
    # name filter from 2.102.
    by_name = req.api_version.matches("2.102")
    common.check_query(req, _LIST_QUERY | {"name"} if by_name
                       else _LIST_QUERY, since="2.75")
    limit, marker = common.limit_and_marker(req)
    sort_key = req.GET.get("sort_key", "flavorid")
    sort_dir = req.GET.get("sort_dir", "asc")
    if sort_key not in _SORT_KEYS:
        raise exception.InvalidSortKey(key=sort_key)
    if sort_dir not in ("asc", "desc"):
        raise exception.ValidationError(
            field="sort_dir", reason="%r is not one of asc, desc" % sort_dir)
    # Read-only list: the rows themselves (docs/architecture.md, Data).
    db = db_api.from_context(context)
    flavors = db_flavors.get_all(
        db, is_public=_is_public(req), project_id=context.project_id,
        min_memory_mb=_int_param(req, "minRam"),
        min_root_gb=_int_param(req, "minDisk"),
        name=req.GET.get("name") if by_name else None,
        sort_key=_SORT_KEYS[sort_key], sort_dir=sort_dir, limit=limit,
        marker=marker)
    items = [view(req, flavor) for flavor in flavors]
    if view is views.detail and req.api_version.matches("2.61"):
        specs = db_flavor_extras.get_specs_many(
            db, [flavor.id for flavor in flavors])
        for item, flavor in zip(items, flavors, strict=True):
            views.with_extra_specs(req, item, specs[flavor.id])
    body: dict = {"flavors": items}
    next_links = common.collection_links(req, items, limit, "flavors")
    if next_links:
        body["flavors_links"] = next_links
    return wsgi_util.json_response(body)


def index(req: wsgi_util.APIRequest) -> Any:
    return _list(req, views.basic)


def detail(req: wsgi_util.APIRequest) -> Any:
    return _list(req, views.detail)


def show(req: wsgi_util.APIRequest, flavor_id: str) -> Any:
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:flavors:show")
    common.check_query(req, set())
    flavor = flavor_obj.Flavor.get_by_flavor_id(context, flavor_id)
    return wsgi_util.json_response({"flavor": views.with_extra_specs(
        req, views.detail(req, flavor), flavor.extra_specs)})


_DB_MAX_INT = 2 ** 31 - 1


def _number(body: dict, field: str, minimum: int, default: int = 0) -> int:
    """The schema checked the bounds of integers; these are for integers
    written as strings."""
    text = body.get(field, default)
    # A string of digits has no bound in the schema; int() refuses one
    # of more than 4,300 digits.
    value = int(text) if len(str(text)) <= 10 else _DB_MAX_INT + 1
    if not minimum <= value <= _DB_MAX_INT:
        raise exception.ValidationError(
            field="flavor/%s" % field,
            reason="%s is not between %s and %s"
            % (exception.cut(str(text)), minimum, _DB_MAX_INT))
    return value


def _rxtx_factor(body: dict) -> float:
    """The schema bounds a number; a string of digits only here."""
    value = float(body.get("rxtx_factor", 1.0))
    if not 0 < value <= _MAX_FLOAT:
        raise exception.ValidationError(
            field="flavor/rxtx_factor",
            reason="%s is not between 0 and %s"
            % (exception.cut(str(body["rxtx_factor"])), _MAX_FLOAT))
    return value


_MAX_FLOAT = 3.40282e+38


def create(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:os-flavor-manage:"
                                       "create")
    version = req.api_version
    body = req.validated(
        schema.create_v2_102 if version.matches("2.102")
        else schema.create_v2_55 if version.matches("2.55")
        else schema.create)["flavor"]
    flavorid = body.get("id")
    flavor = flavor_obj.Flavor(
        context=context,
        flavorid=str(flavorid) if flavorid is not None
        else str(uuid.uuid4()),
        name=body["name"],
        memory_mb=_number(body, "ram", 1),
        vcpus=_number(body, "vcpus", 1),
        root_gb=_number(body, "disk", 0),
        ephemeral_gb=_number(body, "OS-FLV-EXT-DATA:ephemeral", 0),
        swap=_number(body, "swap", 0),
        rxtx_factor=_rxtx_factor(body),
        is_public=common.is_true(
            str(body.get("os-flavor-access:is_public", True))),
        description=body.get("description"))
    flavor.create()
    return wsgi_util.json_response({"flavor": views.with_extra_specs(
        req, views.detail(req, flavor), {})})


def update(req: wsgi_util.APIRequest, flavor_id: str) -> Any:
    """``PUT /flavors/{id}`` (2.55): a flavor's description, all of it
    that may change. Before 2.55 the route is not there (404)."""
    context = req.context
    if not req.api_version.matches(views.DESCRIPTION):
        raise exception.NotFound("The resource could not be found.")
    req.deps.policy.authorize(context, "os_compute_api:os-flavor-manage:"
                                       "update")
    body = req.validated(schema.update)["flavor"]
    flavor = flavor_obj.Flavor.get_by_flavor_id(context, flavor_id)
    flavor.description = body["description"]
    flavor.save()
    return wsgi_util.json_response({"flavor": views.detail(req, flavor)})


def delete(req: wsgi_util.APIRequest, flavor_id: str) -> Any:
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:os-flavor-manage:"
                                       "delete")
    flavor = flavor_obj.Flavor.get_by_flavor_id(context, flavor_id)
    flavor.destroy()
    return wsgi_util.empty_response(202)

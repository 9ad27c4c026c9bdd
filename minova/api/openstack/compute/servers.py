"""``/servers``: create, list (brief and detail), show, rename, delete.

A user works on their own project's servers only: another project's
server is a 404, as if it did not exist. Admins see their own project's
servers too, and every project's with ``all_tenants``.
"""

from __future__ import annotations

from typing import Any

from oslo_utils import strutils

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute import availability_zone
from minova.api.openstack.compute import idempotency
from minova.api.openstack.compute import images
from minova.api.openstack.compute import keypairs
from minova.api.openstack.compute.schemas import servers as schema
from minova.api.openstack.compute.views import servers as views
from minova.db import api as db_api
from minova.db import instance_faults as db_faults
from minova.db import instances as db_instances
from minova.objects import flavor as flavor_obj

# Filters only admins may use; users' are ignored, as Nova ignores them.
_ADMIN_FILTERS = ("host", "node", "project_id", "tenant_id")

# The list's query parameters Nova knows (those minova does not apply are
# ignored, as Nova ignores a user's admin filters); anything else is a
# 400 from 2.75, the API clean-up.
_LIST_QUERY = frozenset((
    "user_id", "project_id", "tenant_id", "launch_index", "image_ref",
    "image", "kernel_id", "ramdisk_id", "hostname", "key_name",
    "power_state", "vm_state", "task_state", "host", "node", "flavor",
    "reservation_id", "launched_at", "terminated_at", "availability_zone",
    "name", "display_name", "description", "display_description",
    "locked_by", "uuid", "root_device_name", "config_drive",
    "access_ip_v4", "access_ip_v6", "auto_disk_config", "progress",
    "sort_key", "sort_dir", "all_tenants", "soft_deleted", "deleted",
    "status", "changes-since", "ip", "ip6", "created_at", "limit",
    "marker", "tags", "tags-any", "not-tags", "not-tags-any",
    "changes-before", "locked", "block_device_mapping", "services",
    "metadata", "system_metadata", "info_cache", "security_groups",
    "pci_devices"))


def target(instance: Any) -> dict:
    return {"project_id": instance.project_id, "user_id": instance.user_id}


def get_instance(req: wsgi_util.APIRequest, server_id: str,
                 expected_attrs: list | None = None) -> Any:
    """The server if the caller may see it; ``InstanceNotFound`` if it
    does not exist or belongs to another project."""
    context = req.context
    instance = req.deps.compute_api.get(context, server_id,
                                        expected_attrs=expected_attrs)
    if not context.is_admin and instance.project_id != context.project_id:
        raise exception.InstanceNotFound(instance_id=server_id)
    return instance


# List ---------------------------------------------------------------------

def _read_deleted(req: wsgi_util.APIRequest) -> str:
    """'yes' with changes-since or changes-before (clients learn of
    deletions that way), 'only' for an admin's deleted=true, else 'no'."""
    if "changes-since" in req.GET or (
            "changes-before" in req.GET
            and req.api_version.matches(CHANGES_BEFORE)):
        return "yes"
    if req.context.is_admin and common.is_true(req.GET.get("deleted")):
        return "only"
    return "no"


def _status_filters(req: wsgi_util.APIRequest) -> dict | None:
    """The vm/task state filters ``status`` means; None if it matches
    nothing (an empty list before 2.38, a 400 from it)."""
    statuses = req.GET.getall("status")
    if not statuses:
        return {}
    vm: set[str] = set()
    tasks: set[str] | None = set()
    for status in statuses:
        vm_states, task_states = common.states_from_status(status)
        if not vm_states:
            if req.api_version.matches("2.38"):
                raise exception.ValidationError(
                    field="status", reason="invalid status value %s"
                    % exception.cut(status))
            return None
        vm.update(vm_states)
        tasks = None if tasks is None or task_states is None \
            else tasks | set(task_states)
    filters: dict = {"vm_state": sorted(vm)}
    if tasks is not None:
        filters["task_state"] = sorted(tasks)
    return filters


CHANGES_BEFORE = "2.66"


def _time_filters(req: wsgi_util.APIRequest) -> dict:
    """changes-since, and from 2.66 changes-before (not before it)."""
    filters = {}
    if "changes-since" in req.GET:
        filters["changes-since"] = common.query_time(req, "changes-since")
    if "changes-before" in req.GET and req.api_version.matches(
            CHANGES_BEFORE):
        filters["changes-before"] = common.query_time(req, "changes-before")
        if filters["changes-before"] < filters.get(
                "changes-since", filters["changes-before"]):
            raise exception.Invalid(
                reason="The value of changes-since must be less than or "
                       "equal to changes-before.")
    return filters


def _boolean(text: str, name: str) -> bool:
    try:
        return strutils.bool_from_string(text, strict=True)
    except ValueError as exc:
        raise exception.ValidationError(
            field=name, reason="%s is not a boolean"
            % exception.quote(text)) from exc


def _flavor_filter(req: wsgi_util.APIRequest) -> int | None:
    """The flavors table id for the ``flavor`` filter (a flavorid);
    None if there is no such flavor (no server can match)."""
    try:
        return flavor_obj.Flavor.get_by_flavor_id(
            req.context, req.GET["flavor"]).id
    except exception.FlavorNotFound:
        return None


def _all_tenants(req: wsgi_util.APIRequest, rule: str) -> bool:
    if "all_tenants" not in req.GET:
        return False
    value = req.GET["all_tenants"]
    # A bare ?all_tenants means true, as in Nova.
    wanted = value == "" or common.is_true(value)
    if wanted:
        req.deps.policy.authorize(req.context, rule + ":get_all_tenants")
    return wanted


def _filters(req: wsgi_util.APIRequest, rule: str) -> dict | None:
    context, params = req.context, req.GET
    filters = _status_filters(req)
    if filters is None:
        return None
    for name in ("name", "image"):
        if params.get(name):
            filters["image_ref" if name == "image" else name] = params[name]
    if "flavor" in params:
        filters["flavor_id"] = _flavor_filter(req)
        if filters["flavor_id"] is None:
            return None
    filters.update(_time_filters(req))
    filters.update(_versioned_filters(req))
    all_tenants = _all_tenants(req, rule)
    if context.is_admin:
        filters.update(_admin_filters(params))
    if not all_tenants and "project_id" not in filters:
        filters["project_id"] = context.project_id
    return filters


_TAG_FILTERS = ("tags", "tags-any", "not-tags", "not-tags-any")


def _versioned_filters(req: wsgi_util.APIRequest) -> dict:
    """The filters of later microversions: tags (2.26), locked (2.73)."""
    params, filters = req.GET, {}
    if req.api_version.matches("2.26"):
        filters.update(_tag_filters(params))
    if "locked" in params and req.api_version.matches("2.73"):
        filters["locked"] = _boolean(params["locked"], "locked")
    return filters


def _tag_filters(params: Any) -> dict:
    """2.26: each a comma-separated list of tags."""
    return {name: [tag for tag in params[name].split(",") if tag]
            for name in _TAG_FILTERS if params.get(name)}


def _admin_filters(params: Any) -> dict:
    filters = {}
    for name in _ADMIN_FILTERS:
        if params.get(name):
            key = "project_id" if name == "tenant_id" else name
            filters[key] = params[name]
    return filters


def _list(req: wsgi_util.APIRequest, detail: bool) -> Any:
    context = req.context
    rule = "os_compute_api:servers:%s" % ("detail" if detail else "index")
    req.deps.policy.authorize(context, rule)
    common.check_query(req, _LIST_QUERY, since="2.75")
    limit, marker = common.limit_and_marker(req)
    sort_keys, sort_dirs = common.sort_params(req, "created_at", "desc")
    filters = _filters(req, rule)
    servers: list = []
    viewer = views.Viewer(req)
    if filters is not None:
        # One connection for the page's reads (the views' included): a
        # connection each cost a pre-ping and a rollback each.
        with db_api.from_context(context).reader() as connection:
            servers = _servers(req, connection, filters, limit=limit,
                               marker=marker, sort_keys=sort_keys,
                               sort_dirs=sort_dirs, with_faults=detail)
            if detail:
                viewer.load(servers, connection)
    if detail:
        viewer.load_floating(servers)
    show = viewer.detail if detail else viewer.basic
    items = [show(server) for server in servers]
    body: dict = {"servers": items}
    path = "servers/detail" if detail else "servers"
    next_links = common.collection_links(req, items, limit, path)
    if next_links:
        body["servers_links"] = next_links
    return wsgi_util.json_response(body)


def _servers(req: wsgi_util.APIRequest, connection: Any, filters: dict,
             *, with_faults: bool, **paging: Any) -> list:
    """The page's servers as the views read them, from Core rows and
    not Instance objects: a read-only list view (docs/architecture.md),
    where building an object per server was a third of a page. What
    ``compute.API.get_all`` reads, within the same ``scoped`` rule."""
    rows = db_instances.get_all_on(
        connection, req.deps.compute_api.scoped(req.context, filters),
        read_deleted=_read_deleted(req), **paging)
    faults = (db_faults.latest_on(connection, [row.uuid for row in rows])
              if with_faults else {})
    return views.servers_from_rows(rows, faults)


def index(req: wsgi_util.APIRequest) -> Any:
    return _list(req, detail=False)


def detail(req: wsgi_util.APIRequest) -> Any:
    return _list(req, detail=True)


# One server ---------------------------------------------------------------

def show(req: wsgi_util.APIRequest, server_id: str) -> Any:
    instance = get_instance(req, server_id, expected_attrs=["fault"])
    req.deps.policy.authorize(req.context, "os_compute_api:servers:show",
                              target(instance))
    common.check_query(req, set())
    return wsgi_util.json_response({"server": one_view(req, instance)})


def one_view(req: wsgi_util.APIRequest, instance: Any) -> dict:
    """One server as show answers it (update and rebuild answer the
    views ``Viewer.updated`` and ``Viewer.rebuilt``)."""
    return views.Viewer(req).show(instance)


def _ref(value: Any) -> str:
    """An id from an id or a link to one (``.../flavors/1``)."""
    return str(value).rstrip("/").rsplit("/", 1)[-1]


def flavor_for_boot(req: wsgi_util.APIRequest, ref: Any) -> Any:
    try:
        return flavor_obj.Flavor.get_by_flavor_id(req.context, _ref(ref))
    except exception.FlavorNotFound as exc:
        raise exception.FlavorNotFoundForBoot(flavor_id=ref) from exc


def image_for_boot(req: wsgi_util.APIRequest, ref: Any,
                   flavor: Any) -> str:
    try:
        image = images.find(req, str(ref))
    except exception.ImageNotFound as exc:
        raise exception.ImageNotFoundForBoot(image_id=ref) from exc
    images.check_boot(image, flavor)
    return image["id"]


def _count(body: dict, name: str, default: int) -> int:
    """min_count or max_count. The schema takes numeric strings too, as
    Nova does; they get the integer form's bounds here (Nova has none,
    only the quota, which still caps what is created)."""
    count = int(body.get(name, default))
    if not 1 <= count <= _MAX_COUNT:
        raise exception.ValidationError(
            field="server/%s" % name, reason="%s is not between 1 and %d"
            % (body[name], _MAX_COUNT))
    return count


_MAX_COUNT = 2 ** 31 - 1


def create(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:servers:create")
    body = req.validated(schema.for_create(req.api_version))
    hints = (body.get("os:scheduler_hints")
             or body.get("OS-SCH-HNT:scheduler_hints") or {})
    return idempotency.once(req, body, lambda: _create(
        req, body["server"], hints.get("group")))


def _create(req: wsgi_util.APIRequest, body: dict,
            group: str | None = None) -> Any:
    context = req.context
    min_count = _count(body, "min_count", 1)
    max_count = _count(body, "max_count", min_count)
    if min_count > max_count:
        raise exception.ValidationError(
            field="server/min_count", reason="min_count must be <= "
                                             "max_count")
    flavor = flavor_for_boot(req, body["flavorRef"])
    image_id = image_for_boot(req, body["imageRef"], flavor)
    if body.get("key_name") is not None:
        keypairs.get_for_boot(context, body["key_name"])
    if body.get("availability_zone") is not None:
        availability_zone.check_for_boot(req, body["availability_zone"])
    hostname = body.get("hostname")
    if hostname is not None and max_count > 1:
        raise exception.Invalid(reason="Unable to allocate a single "
                                       "hostname to multiple instances")
    for device in body.get("block_device_mapping_v2", []):
        if device["uuid"] != image_id:
            raise exception.ValidationError(
                field="server/block_device_mapping_v2/0/uuid",
                reason="only the image of imageRef can be the root disk")
    instances = req.deps.compute_api.create(
        context, flavor, image_id, body["name"],
        metadata=body.get("metadata"),
        availability_zone=body.get("availability_zone"),
        key_name=body.get("key_name"), min_count=min_count,
        max_count=max_count, networks=body.get("networks", "auto"),
        tags=body.get("tags"), group=group, hostname=hostname)
    first = instances[0]
    response = wsgi_util.json_response(
        {"server": _created_view(req, first, body)}, status=202)
    response.headers["Location"] = common.links(
        req, "servers", first.uuid)[0]["href"]
    return response


def _created_view(req: wsgi_util.APIRequest, instance: Any,
                  body: dict) -> dict:
    view = views.Viewer(req).created(instance)
    # The groups asked for: minova takes none, so Nova's default.
    view["security_groups"] = [{"name": "default"}]
    return view


def update(req: wsgi_util.APIRequest, server_id: str) -> Any:
    context = req.context
    instance = get_instance(req, server_id)
    req.deps.policy.authorize(context, "os_compute_api:servers:update",
                              target(instance))
    body = req.validated(schema.for_update(req.api_version))["server"]
    changes = {"display_name": body["name"]} if "name" in body else {}
    if "hostname" in body:
        changes["hostname"] = body["hostname"]
    if "pinned_availability_zone" in body:  # 2.104
        req.deps.compute_api.pin_availability_zone(
            instance, body["pinned_availability_zone"],
            availability_zone.zone_of_instance(req.deps.conf, instance))
    if changes or instance.obj_what_changed():
        instance = req.deps.compute_api.update(context, instance, **changes)
    return wsgi_util.json_response(
        {"server": views.Viewer(req).updated(instance)})


def delete(req: wsgi_util.APIRequest, server_id: str) -> Any:
    context = req.context
    instance = get_instance(req, server_id)
    req.deps.policy.authorize(context, "os_compute_api:servers:delete",
                              target(instance))
    req.deps.compute_api.delete(context, instance)
    return wsgi_util.empty_response(204)

"""``/v2/images``: list, show, create, patch, delete, and tags."""

from __future__ import annotations

import urllib.parse
from typing import Any

import jsonpatch
import sqlalchemy as sa
from oslo_utils import uuidutils

from minova import exception
from minova.api.image import common
from minova.api.image.schemas import image as schemas
from minova.api.openstack import wsgi_util
from minova.db import images as db_images
from minova.db import models

DEFAULT_LIMIT = 25
MAX_LIMIT = 1000
# Filters whose value may be Glance's "in:a,b" list.
_LIST_FILTERS = ("id", "name", "status", "container_format", "disk_format")
_MEMBER_STATUSES = ("accepted", "pending", "rejected", "all")


def _values(text: str) -> list[str]:
    if text.startswith("in:"):
        return [value.strip() for value in text[3:].split(",")]
    return [text]


def _sort(params: Any) -> tuple[list[str], list[str]]:
    """Glance's two sort syntaxes: ``sort=name:asc,size`` or repeated
    ``sort_key`` with ``sort_dir``."""
    keys: list[str] = []
    dirs: list[str] = []
    if "sort" in params:
        if "sort_key" in params or "sort_dir" in params:
            raise exception.Invalid(reason="sort cannot be combined with "
                                           "sort_key or sort_dir")
        for item in params["sort"].split(","):
            key, _, direction = item.strip().partition(":")
            keys.append(key)
            dirs.append(direction or "desc")
    else:
        keys = params.getall("sort_key") or ["created_at"]
        dirs = params.getall("sort_dir") or ["desc"]
        if len(dirs) == 1:
            dirs = dirs * len(keys)
        if len(dirs) != len(keys):
            raise exception.Invalid(reason="give one sort_dir, or one per "
                                           "sort_key")
    for key in keys:
        if key not in db_images.SORT_KEYS:
            raise exception.InvalidSortKey(key=exception.quote(key))
    for direction in dirs:
        if direction not in ("asc", "desc"):
            raise exception.Invalid(reason="sort direction %s is not asc "
                                           "or desc"
                                    % exception.quote(direction))
    return keys, dirs


def _limit(params: Any) -> int:
    text = params.get("limit")
    if text is None:
        return DEFAULT_LIMIT
    try:
        limit = int(text)
    except ValueError:
        limit = -1
    if limit < 0:
        raise exception.Invalid(reason="limit param must be a positive "
                                       "integer")
    return min(limit, MAX_LIMIT)


def _filters(req: wsgi_util.APIRequest) -> tuple[dict, Any]:
    """Column filters, and the visibility rule of the listing."""
    params = req.GET
    filters = {key: _values(params[key]) for key in _LIST_FILTERS
               if key in params}
    context = req.context
    if "owner" in params:
        filters["owner"] = [params["owner"]]
    member_status = params.get("member_status", "accepted")
    if member_status not in _MEMBER_STATUSES:
        raise exception.Invalid(reason="member_status must be one of %s"
                                % ", ".join(_MEMBER_STATUSES))
    visibility = params.get("visibility")
    rule = common.visible(req)
    if visibility is None:
        # Glance leaves others' community images out of the default list.
        if not context.is_admin:
            rule = sa.and_(rule, sa.or_(
                models.Image.visibility != "community",
                models.Image.owner == context.project_id))
    elif visibility != "all":
        if visibility not in schemas.VISIBILITIES:
            raise exception.Invalid(
                reason="visibility must be one of %s or all"
                % ", ".join(schemas.VISIBILITIES))
        filters["visibility"] = [visibility]
    hidden = params.get("os_hidden", "false").lower()
    if hidden not in ("true", "false"):
        raise exception.Invalid(reason="os_hidden must be true or false")
    filters["os_hidden"] = [hidden == "true"]
    return filters, rule


def index(req: wsgi_util.APIRequest) -> Any:
    common.authorize(req, "get_images")
    filters, rule = _filters(req)
    keys, dirs = _sort(req.GET)
    limit = _limit(req.GET)
    marker = req.GET.get("marker")
    images = db_images.get_all(req.deps.db, rule, filters=filters,
                               tags=req.GET.getall("tag"), sort_keys=keys,
                               sort_dirs=dirs, limit=limit, marker=marker)
    body = {"images": [common.view(image) for image in images],
            "first": "/v2/images", "schema": "/v2/schemas/images"}
    if limit and len(images) == limit:
        query = [(key, value) for key, value in req.GET.items()
                 if key != "marker"]
        body["next"] = "/v2/images?" + urllib.parse.urlencode(
            [*query, ("marker", images[-1]["id"])])
    return wsgi_util.json_response(body)


def show(req: wsgi_util.APIRequest, image_id: str) -> Any:
    return wsgi_util.json_response(common.view(common.get(req, image_id)))


def _check_client_values(req: wsgi_util.APIRequest, values: dict,
                         before: dict | None = None) -> None:
    """Glance's 403s: read-only attributes, and visibilities the caller
    may not give (public: admin only)."""
    for name in schemas.READ_ONLY:
        if name in values and (before is None
                               or values[name] != before.get(name)):
            raise exception.Forbidden("Attribute '%s' is read-only." % name)
    for name in schemas.RESERVED:
        if name in values and name != "owner":
            raise exception.Forbidden("Attribute '%s' is reserved." % name)
    visibility = values.get("visibility")
    if visibility in ("public", "community") and (
            before is None or before["visibility"] != visibility):
        common.authorize(req, "publicize_image" if visibility == "public"
                         else "communitize_image", before)


_COLUMNS = ("name", "visibility", "protected", "os_hidden", "min_disk",
            "min_ram", "container_format", "disk_format")


def create(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    common.authorize(req, "add_image")
    body = common.json_body(req, {"type": "object"})
    _check_client_values(req, body)
    wsgi_util.validate(body, schemas.CLIENT_IMAGE)
    owner = body.pop("owner", None) or context.project_id
    if owner != context.project_id and not context.is_admin:
        raise exception.Forbidden("You are not permitted to create images "
                                  "owned by '%s'." % exception.cut(owner))
    values = {name: body.pop(name) for name in _COLUMNS if name in body}
    tags = body.pop("tags", [])
    image_id = body.pop("id", None) or uuidutils.generate_uuid()
    image = db_images.create(req.deps.db, {
        "id": image_id.lower(), "status": "queued", "owner": owner,
        "visibility": "shared", "protected": False, "os_hidden": False,
        "min_disk": 0, "min_ram": 0, **values, "properties": body},
        tags=tags)
    response = wsgi_util.json_response(common.view(image), 201)
    response.headers["Location"] = "%s/v2/images/%s" % (
        req.application_url, image["id"])
    return response


def _patchable(image: dict) -> dict:
    document = dict(image["properties"])
    document.update({name: image[name] for name in _COLUMNS})
    document["tags"] = image["tags"]
    document["owner"] = image["owner"]
    for name in schemas.READ_ONLY:
        if name in image:
            document[name] = image[name]
    return document


def update(req: wsgi_util.APIRequest, image_id: str) -> Any:
    image = common.get(req, image_id, "modify_image")
    operations = common.json_body(req, schemas.PATCH,
                                  common.JSON_PATCH_TYPES)
    before = _patchable(image)
    try:
        after = jsonpatch.JsonPatch(operations).apply(before)
    except (jsonpatch.JsonPatchException,
            jsonpatch.JsonPointerException) as exc:
        raise exception.Conflict(reason=exception.cut(str(exc))) from exc
    _check_client_values(req, after, before)
    if "id" in after:
        raise exception.Forbidden("Attribute 'id' is read-only.")
    if after.get("owner") != image["owner"] and not req.context.is_admin:
        raise exception.Forbidden("Attribute 'owner' is reserved.")
    client = {key: value for key, value in after.items()
              if key not in schemas.READ_ONLY}
    wsgi_util.validate(client, schemas.CLIENT_IMAGE)
    client.pop("owner", None)
    if image["status"] != "queued" and any(
            after.get(name) != before.get(name)
            for name in ("disk_format", "container_format")):
        raise exception.Forbidden("The disk and container formats can "
                                  "only be changed while the image is "
                                  "queued.")
    values = {name: client.pop(name) for name in _COLUMNS if name in client}
    tags = client.pop("tags", [])
    values["owner"] = after.get("owner")
    values["properties"] = client
    image = db_images.update(req.deps.db, image_id, values, tags=tags)
    return wsgi_util.json_response(common.view(image))


def delete(req: wsgi_util.APIRequest, image_id: str) -> Any:
    image = common.get(req, image_id, "delete_image")
    if image["protected"]:
        raise exception.ImageProtected(image_id=image_id)
    db_images.delete(req.deps.db, image_id)
    common.store(req).delete(image_id)
    return wsgi_util.empty_response(204)


def add_tag(req: wsgi_util.APIRequest, image_id: str, tag: str) -> Any:
    image = common.get(req, image_id, "modify_image")
    if len(tag) > 255:
        raise exception.Invalid(reason="a tag is at most 255 characters")
    db_images.update(req.deps.db, image_id, {},
                     tags=[*image["tags"], tag])
    return wsgi_util.empty_response(204)


def delete_tag(req: wsgi_util.APIRequest, image_id: str, tag: str) -> Any:
    image = common.get(req, image_id, "modify_image")
    if tag not in image["tags"]:
        raise exception.NotFound("Tag %s not found."
                                 % exception.quote(tag))
    db_images.update(req.deps.db, image_id, {},
                     tags=[t for t in image["tags"] if t != tag])
    return wsgi_util.empty_response(204)

"""What the image handlers share: the caller's view of the images
(visibility, policy), request bodies, and Glance's image view."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import wsgi_util
from minova.db import images as db_images
from minova.image import store as image_store

# JSON bodies of the image API are small: the pipeline has no size limit
# filter (it would cap uploads), so the handlers cap what they read.
MAX_JSON_BODY = 64 * 1024
JSON_PATCH_TYPES = ("application/openstack-images-v2.1-json-patch",
                    "application/openstack-images-v2.0-json-patch")


def visible(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    return db_images.visible(context.project_id, context.is_admin)


def target(image: dict) -> dict:
    return {"project_id": image["owner"] or "",
            "visibility": image["visibility"]}


def authorize(req: wsgi_util.APIRequest, action: str,
              image: dict | None = None) -> None:
    """403 unless the caller may do ``action`` (to ``image``)."""
    context = req.context
    try:
        req.deps.policy.authorize(
            context, action, target(image) if image else
            {"project_id": context.project_id, "visibility": ""})
    except exception.Forbidden:
        raise exception.ImageForbidden(
            action=action.replace("_", " ")) from None


def get(req: wsgi_util.APIRequest, image_id: str,
        action: str = "get_image") -> dict:
    """The image if the caller sees it and may do ``action`` to it; 404
    for an image it cannot see (no hint that it exists), 403 otherwise."""
    image = db_images.get(req.deps.db, image_id,
                          project_id=req.context.project_id,
                          is_admin=req.context.is_admin)
    authorize(req, action, image)
    return image


def store(req: wsgi_util.APIRequest) -> image_store.Store:
    return image_store.Store(req.deps.conf.image.store_path)


def json_body(req: wsgi_util.APIRequest, schema: dict,
              content_types: tuple[str, ...] = ("application/json",)) -> Any:
    if req.content_type not in content_types:
        raise exception.UnsupportedMediaType(
            content_type=exception.quote(req.content_type or "none"))
    length = req.content_length
    if length is not None and length > MAX_JSON_BODY:
        raise exception.RequestTooLarge()
    if length is None:
        req.body = req.body_file.read(MAX_JSON_BODY + 1)
        if len(req.body) > MAX_JSON_BODY:
            raise exception.RequestTooLarge()
    return req.validated(schema)


def _time(value: Any) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def view(image: dict) -> dict:
    """Glance's image: the columns, then the additional properties at the
    top level, with the links."""
    path = "/v2/images/%s" % image["id"]
    body = dict(image["properties"])
    body.update({
        "id": image["id"], "name": image["name"],
        "status": image["status"], "visibility": image["visibility"],
        "protected": image["protected"], "os_hidden": image["os_hidden"],
        "tags": image["tags"], "owner": image["owner"],
        "container_format": image["container_format"],
        "disk_format": image["disk_format"],
        "min_disk": image["min_disk"], "min_ram": image["min_ram"],
        "size": image["size"], "virtual_size": None,
        "checksum": image["checksum"],
        "os_hash_algo": image["os_hash_algo"],
        "os_hash_value": image["os_hash_value"],
        "created_at": _time(image["created_at"]),
        "updated_at": _time(image["updated_at"] or image["created_at"]),
        "self": path, "file": path + "/file",
        "schema": "/v2/schemas/image",
    })
    return body

"""The images of the image API, in Glance's v2 shape, on the compute
endpoint.

Clients that authenticate with one fixed endpoint (keystoneauth's
``admin_token``) send their image look-ups to the compute endpoint: the
``openstack`` CLI asks ``/v2.1/images/<ref>``, the ``nova`` CLI
``/v2.1/v2/images/<ref>``. Both expect Glance's answer (a bare image
object; a list under ``images``), so that is what is served at both
places, read from the image API's database with its visibility rules.
Nova's own image proxy (``{"image": {...}}``, gone in 2.36) is not
implemented.
"""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.image import common as image_common
from minova.api.openstack import wsgi_util
from minova.db import images as db_images

_FILTERS = ("name", "id", "status")


def find(req: wsgi_util.APIRequest, ref: str) -> dict:
    """The image ``ref`` names (an id or a link to one) if the caller
    sees it; ``ImageNotFound`` otherwise."""
    ident = ref.rstrip("/").rsplit("/", 1)[-1]
    return db_images.get(req.deps.db, ident,
                         project_id=req.context.project_id,
                         is_admin=req.context.is_admin)


def _values(text: str) -> list[str]:
    """A filter's values: Glance's ``in:a,b`` (what ``openstack server
    list`` sends to name the images of its servers) or one value."""
    if text.startswith("in:"):
        return [value.strip() for value in text[3:].split(",")]
    return [text]


def index(req: wsgi_util.APIRequest) -> Any:
    """The images the caller sees; ``name``, ``id`` and ``status`` filter
    them."""
    req.deps.policy.authorize(req.context, "os_compute_api:images")
    filters = {key: _values(req.GET[key]) for key in _FILTERS
               if key in req.GET}
    images = db_images.get_all(req.deps.db, image_common.visible(req),
                               filters=filters, sort_keys=["name"],
                               sort_dirs=["asc"])
    return wsgi_util.json_response({
        "images": [image_common.view(image) for image in images],
        "first": "/v2/images", "schema": "/v2/schemas/images"})


def show(req: wsgi_util.APIRequest, image_id: str) -> Any:
    req.deps.policy.authorize(req.context, "os_compute_api:images")
    return wsgi_util.json_response(image_common.view(find(req, image_id)))


def check_boot(image: dict, flavor: Any) -> None:
    """Nova's checks of an image against the flavor of a boot."""
    if image["status"] != "active":
        raise exception.ImageNotActive(image_id=image["id"])
    if flavor.memory_mb < image["min_ram"]:
        raise exception.FlavorMemoryTooSmall()
    root_bytes = flavor.root_gb * 1024 ** 3
    if flavor.root_gb:
        # Nova skips the disk checks for a flavor with a 0 GB root disk
        # (the disk is then sized to the image).
        if image["size"] and image["size"] > root_bytes:
            raise exception.FlavorDiskSmallerThanImage(
                flavor_size=root_bytes, image_size=image["size"])
        if flavor.root_gb < image["min_disk"]:
            raise exception.FlavorDiskTooSmall()

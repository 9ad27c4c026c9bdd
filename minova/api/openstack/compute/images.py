"""The image catalog from ``[image] images``, in Glance's v2 shape.

minova has no image service. Clients that authenticate with one fixed
endpoint (keystoneauth's ``admin_token``) send their image look-ups to the
compute endpoint: the ``openstack`` CLI asks ``/v2.1/images/<ref>``, the
``nova`` CLI ``/v2.1/v2/images/<ref>``. Both expect Glance's answer (a
bare image object; a list under ``images``), so that is what is served at
both places. Nova's own image proxy (``{"image": {...}}``, gone in 2.36)
is not implemented.
"""

from __future__ import annotations

from typing import Any

from oslo_utils import uuidutils

from minova import exception
from minova.api.openstack import wsgi_util

# The catalog lives in configuration; it has no creation time of its own.
_EPOCH = "1970-01-01T00:00:00Z"


def catalog(conf: Any) -> dict[str, str]:
    """``{uuid: name}`` of the configured images that have a valid id."""
    return {ident.strip(): name.strip()
            for name, ident in (conf.image.images or {}).items()
            if uuidutils.is_uuid_like(ident.strip())}


def find(conf: Any, ref: str) -> tuple[str, str]:
    """``(id, name)`` of the image ``ref`` names (an id or a link to one);
    ``ImageNotFound`` otherwise."""
    ident = ref.rstrip("/").rsplit("/", 1)[-1]
    images = catalog(conf)
    if ident not in images:
        raise exception.ImageNotFound(image_id=ref)
    return ident, images[ident]


def _view(ident: str, name: str) -> dict:
    return {
        "id": ident, "name": name, "status": "active",
        "visibility": "public", "protected": False, "os_hidden": False,
        "tags": [], "container_format": "bare", "disk_format": "raw",
        "min_disk": 0, "min_ram": 0, "size": None, "virtual_size": None,
        "checksum": None, "os_hash_algo": None, "os_hash_value": None,
        "owner": None, "created_at": _EPOCH, "updated_at": _EPOCH,
        "self": "/v2/images/%s" % ident,
        "file": "/v2/images/%s/file" % ident,
        "schema": "/v2/schemas/image",
    }


def _values(text: str) -> list[str]:
    """A filter's values: Glance's ``in:a,b`` (what ``openstack server
    list`` sends to name the images of its servers) or one value."""
    if text.startswith("in:"):
        return [value.strip() for value in text[3:].split(",")]
    return [text]


def index(req: wsgi_util.APIRequest) -> Any:
    """The catalog; ``name``, ``id`` and ``status`` filter it."""
    req.deps.policy.authorize(req.context, "os_compute_api:images")
    images = [_view(ident, name)
              for ident, name in sorted(catalog(req.deps.conf).items(),
                                        key=lambda item: item[1])]
    for key in ("name", "id", "status"):
        if key in req.GET:
            wanted = _values(req.GET[key])
            images = [image for image in images if image[key] in wanted]
    return wsgi_util.json_response({"images": images,
                                    "first": "/v2/images",
                                    "schema": "/v2/schemas/images"})


def show(req: wsgi_util.APIRequest, image_id: str) -> Any:
    req.deps.policy.authorize(req.context, "os_compute_api:images")
    ident, name = find(req.deps.conf, image_id)
    return wsgi_util.json_response(_view(ident, name))

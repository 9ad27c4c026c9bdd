"""``/v2/schemas/image`` and ``/v2/schemas/images``: Glance's schema
documents, from which clients build their image models."""

from __future__ import annotations

from typing import Any

from minova.api.image.schemas import image as schemas
from minova.api.openstack import wsgi_util


def image(req: wsgi_util.APIRequest) -> Any:
    return wsgi_util.json_response(schemas.IMAGE)


def images(req: wsgi_util.APIRequest) -> Any:
    return wsgi_util.json_response(schemas.IMAGES)

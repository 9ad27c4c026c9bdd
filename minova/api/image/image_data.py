"""``/v2/images/{id}/file``: the image's data, streamed in and out.

An upload moves the image queued -> saving (a compare-and-swap: a second
upload at once is a 409) -> active with its size and checksums; if the
upload fails the image goes back to queued and no file is left.
"""

from __future__ import annotations

import logging
from typing import Any

import webob

from minova import exception
from minova.api.image import common
from minova.api.openstack import wsgi_util
from minova.db import images as db_images
from minova.image import store as image_store

LOG = logging.getLogger(__name__)


def upload(req: wsgi_util.APIRequest, image_id: str) -> Any:
    common.get(req, image_id, "upload_image")
    if req.content_type != "application/octet-stream":
        raise exception.UnsupportedMediaType(
            content_type=exception.quote(req.content_type or "none"))
    db = req.deps.db
    db_images.update(db, image_id, {"status": "saving"},
                     expected_status="queued")
    try:
        # wsgi.input reads the body as it arrives (Content-Length or
        # chunked): nothing holds more than a chunk.
        written = common.store(req).write(
            image_id, req.environ["wsgi.input"], req.content_length)
    except BaseException:
        db_images.update(db, image_id, {"status": "queued"},
                         expected_status="saving")
        raise
    try:
        db_images.update(db, image_id, {
            "status": "active", "size": written.size,
            "checksum": written.checksum,
            "os_hash_algo": image_store.HASH_ALGO,
            "os_hash_value": written.os_hash_value},
            expected_status="saving")
    except exception.ImageNotFound:
        # Deleted while it was uploading: its file goes too.
        common.store(req).delete(image_id)
        raise
    LOG.info("Image %s uploaded: %d bytes.", image_id, written.size)
    return wsgi_util.empty_response(204)


def download(req: wsgi_util.APIRequest, image_id: str) -> Any:
    image = common.get(req, image_id, "download_image")
    if image["status"] != "active" or image["size"] is None:
        # Glance: an image without data answers 204.
        return wsgi_util.empty_response(204)
    response = webob.Response(status=200,
                              content_type="application/octet-stream")
    response.app_iter = common.store(req).read(image_id)
    response.content_length = image["size"]
    response.headers["Content-MD5"] = image["checksum"]
    return response

"""The bootstrap step of the image API: the images of ``[image] images``
(public, active, without data) created when missing, with the ids they
are configured with, so that servers booted from them keep finding
them."""

from __future__ import annotations

import logging

from oslo_config import cfg
from oslo_utils import uuidutils

from minova import exception
from minova.db import api as db_api
from minova.db import images as db_images

LOG = logging.getLogger(__name__)


def configured(conf: cfg.ConfigOpts) -> dict[str, str]:
    """``{uuid: name}`` of ``[image] images``; a malformed id is skipped
    with a warning."""
    images = {}
    for name, ident in (conf.image.images or {}).items():
        if not uuidutils.is_uuid_like(ident.strip()):
            LOG.warning("[image] images: %r is not a UUID; image %r is "
                        "not created. Give it a UUID.", ident, name)
            continue
        images[ident.strip()] = name.strip()
    return images


def seed(conf: cfg.ConfigOpts, db: db_api.Database, result: object) -> None:
    """A bootstrap STEP (``bootstrap.STEPS``): idempotent."""
    for ident, name in configured(conf).items():
        try:
            db_images.get(db, ident)
            continue
        except exception.ImageNotFound:
            pass
        try:
            db_images.create(db, {
                "id": ident, "name": name, "status": "active",
                "visibility": "public", "owner": None, "protected": False,
                "os_hidden": False, "disk_format": "raw",
                "container_format": "bare", "min_disk": 0, "min_ram": 0,
                "properties": {}})
        except exception.ImageExists:
            continue  # another process seeded it first
        result.created.append("image %s" % name)

"""The image API's route table (a Glance v2 subset): path -> HTTP method
-> handler. Paths not here are 404, methods not here 405, both in
Glance's fault format."""

from __future__ import annotations

from typing import Any

from minova.api.image import image_data
from minova.api.image import images
from minova.api.image import schema_documents
from minova.api.image import versions
from minova.api.openstack import faults
from minova.api.openstack import router

ROUTES: dict[str, dict[str, router.Handler]] = {
    "": {"GET": versions.versions},
    "/": {"GET": versions.versions},
    "/versions": {"GET": versions.versions_list},
    "/v2": {"GET": versions.versions},
    "/v2/": {"GET": versions.versions},
    "/v2/images": {"GET": images.index, "POST": images.create},
    "/v2/images/{image_id}": {"GET": images.show, "PATCH": images.update,
                              "DELETE": images.delete},
    "/v2/images/{image_id}/file": {"PUT": image_data.upload,
                                   "GET": image_data.download},
    "/v2/images/{image_id}/tags/{tag}": {"PUT": images.add_tag,
                                         "DELETE": images.delete_tag},
    "/v2/schemas/image": {"GET": schema_documents.image},
    "/v2/schemas/images": {"GET": schema_documents.images},
}


def app_factory(global_config: dict, **local_config: Any) -> Any:
    """paste ``app_factory`` for the image API router."""
    return router.APIRouter(ROUTES, fault=faults.glance_fault_response,
                            microversions=False)

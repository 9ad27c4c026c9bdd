"""The compute API's route table: path -> HTTP method -> handler."""

from __future__ import annotations

from typing import Any

from minova.api.openstack import router
from minova.api.openstack import versions
from minova.api.openstack.compute import services

ROUTES: dict[str, dict[str, router.Handler]] = {
    "": {"GET": versions.version_v21},
    "/": {"GET": versions.version_v21},
    "/os-services": {"GET": services.index},
    "/os-services/{service_id}": {"PUT": services.update,
                                  "DELETE": services.delete},
}


def app_factory(global_config: dict, **local_config: Any) -> Any:
    """paste ``app_factory`` for the compute API router."""
    return router.APIRouter(ROUTES)

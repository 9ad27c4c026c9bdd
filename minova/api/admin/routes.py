"""The route table of minova's administrative API (Nova's fault
format, no microversions)."""

from __future__ import annotations

from typing import Any

from minova.api.admin import reset
from minova.api.openstack import router

ROUTES: dict[str, dict[str, router.Handler]] = {
    "/reset": {"POST": reset.reset},
}


def app_factory(global_config: dict, **local_config: Any) -> Any:
    """paste ``app_factory`` for the administrative API router."""
    return router.APIRouter(ROUTES, microversions=False)

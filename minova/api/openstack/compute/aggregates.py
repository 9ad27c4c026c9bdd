"""``GET /os-aggregates``: always empty, because minova has no host
aggregates. It exists because ``openstack hypervisor show`` lists the
aggregates to say which ones a host is in, and fails on a 404."""

from __future__ import annotations

from typing import Any

from minova.api.openstack import common
from minova.api.openstack import wsgi_util


def index(req: wsgi_util.APIRequest) -> Any:
    req.deps.policy.authorize(req.context, "os_compute_api:os-aggregates:"
                                           "index")
    common.check_query(req, set())
    return wsgi_util.json_response({"aggregates": []})

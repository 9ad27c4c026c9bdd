"""Server groups as Nova shows them, for the microversion asked."""

from __future__ import annotations

from typing import Any

from minova.api.openstack import wsgi_util


def group(req: wsgi_util.APIRequest, row: Any, members: list) -> dict:
    view = {"id": row.uuid, "name": row.name,
            "members": [uuid for uuid, _host in members]}
    version = req.api_version
    if version.matches("2.64"):
        view["policy"] = row.policy
        view["rules"] = dict(row.rules or {})
    else:
        view["policies"] = [row.policy]
        view["metadata"] = {}
    if version.matches("2.13"):
        view["project_id"] = row.project_id
        view["user_id"] = row.user_id
    return view

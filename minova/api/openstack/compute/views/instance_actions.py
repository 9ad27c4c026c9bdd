"""Instance actions and their events as Nova shows them."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from minova.api.openstack import common
from minova.api.openstack import wsgi_util


@dataclasses.dataclass(frozen=True)
class EventFields:
    """Which of an event's optional fields the caller sees."""

    traceback: bool
    host: bool
    host_id: bool
    details: bool


def action(req: wsgi_util.APIRequest, row: Any) -> dict:
    view = {
        "action": row.action,
        "instance_uuid": row.instance_uuid,
        "request_id": row.request_id,
        "user_id": row.user_id,
        "project_id": row.project_id,
        "start_time": common.plain_time(row.start_time),
        "message": row.message,
    }
    if req.api_version.matches("2.58"):
        view["updated_at"] = common.plain_time(row.updated_at
                                               or row.created_at)
    return view


def event(row: Any, project_id: str | None, shown: EventFields) -> dict:
    view = {
        "event": row.event,
        "start_time": common.plain_time(row.start_time),
        "finish_time": common.plain_time(row.finish_time),
        "result": row.result,
    }
    if shown.traceback:
        view["traceback"] = row.traceback
    if shown.host:
        view["host"] = row.host
    if shown.host_id:
        view["hostId"] = _host_id(project_id, row.host)
    if shown.details:
        view["details"] = row.details
    return view


def _host_id(project_id: str | None, host: str | None) -> str:
    """As a server's hostId: the same for one project on one host,
    without naming the host."""
    if not host:
        return ""
    return hashlib.sha224(("%s%s" % (project_id, host)).encode()).hexdigest()

"""``/v2.0/security-groups`` and ``/v2.0/security-group-rules``, read
only: each project's default group, made on first use."""

from __future__ import annotations

from typing import Any

from minova.api.network import common
from minova.api.openstack import wsgi_util
from minova.db import network as db_network
from minova.network import security_groups

_FILTERS = {"id": "id", "name": "name"}
_RULE_FILTERS = {"id": "id", "security_group_id": "security_group_id",
                 "direction": "direction", "ethertype": "ethertype",
                 "protocol": "protocol"}


def _target(row: Any) -> dict:
    return {"project_id": row.project_id}


def _ensure(req: wsgi_util.APIRequest) -> None:
    if req.context.project_id:
        security_groups.ensure_default(req.deps.db, req.context.project_id)


def _rules(req: wsgi_util.APIRequest, group_ids: list[str]) -> dict:
    result: dict[str, list] = {ident: [] for ident in group_ids}
    if group_ids:
        for rule in db_network.find(req.deps.db, "security_group_rule",
                                    {"security_group_id": group_ids}):
            result[rule.security_group_id].append(rule)
    return result


def index(req: wsgi_util.APIRequest) -> Any:
    _ensure(req)
    filters = common.filters(req, _FILTERS)
    filters.update(common.project_filter(req))
    rows = [row for row in db_network.find(req.deps.db, "security_group",
                                           filters)
            if common.allowed(req, "get_security_group", _target(row))]
    rules = _rules(req, [row.id for row in rows])
    return common.collection(req, "security_groups", [
        common.group_view(row, rules[row.id]) for row in rows])


def show(req: wsgi_util.APIRequest, group_id: str) -> Any:
    _ensure(req)
    row = common.get_visible(req, "security_group", group_id, _target)
    return common.respond(req, "security_group", common.group_view(
        row, _rules(req, [row.id])[row.id]))


def rules_index(req: wsgi_util.APIRequest) -> Any:
    _ensure(req)
    filters = common.filters(req, _RULE_FILTERS)
    filters.update(common.project_filter(req))
    rows = [row for row in db_network.find(req.deps.db,
                                           "security_group_rule", filters)
            if common.allowed(req, "get_security_group_rule", _target(row))]
    return common.collection(req, "security_group_rules",
                             [common.rule_view(row) for row in rows])


def rule_show(req: wsgi_util.APIRequest, rule_id: str) -> Any:
    row = common.get_visible(req, "security_group_rule", rule_id, _target)
    return common.respond(req, "security_group_rule", common.rule_view(row))

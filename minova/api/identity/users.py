"""``/v3/users``: users, their password, their projects."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.identity import common
from minova.api.identity.schemas import resources as schemas
from minova.api.openstack import wsgi_util
from minova.db import identity as db_identity
from minova.identity import bootstrap


def _target(user_id: str, domain_id: str | None = None) -> dict:
    return {"target.user.id": user_id, "target.user.domain_id": domain_id}


def index(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "list_users")
    rows = db_identity.find(req.deps.db, "user", name=req.GET.get("name"),
                            domain_id=req.GET.get("domain_id"),
                            enabled=common.truthy(req.GET.get("enabled")))
    return common.collection(req, "users",
                             [common.user_view(req, row) for row in rows])


def create(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "create_user")
    values = req.validated(schemas.USER_CREATE)["user"]
    values["domain_id"] = values.get("domain_id") or \
        bootstrap.DEFAULT_DOMAIN
    db_identity.get(req.deps.db, "domain", values["domain_id"])
    if values.get("default_project_id"):
        db_identity.get(req.deps.db, "project", values["default_project_id"])
    password = values.pop("password", None)
    row = common.identity(req).create_user(
        {"id": bootstrap.new_id(), "enabled": True, **values}, password)
    return wsgi_util.json_response({"user": common.user_view(req, row)}, 201)


def show(req: wsgi_util.APIRequest, user_id: str) -> Any:
    common.context(req)
    common.authorize(req, "get_user", _target(user_id))
    row = db_identity.get(req.deps.db, "user", user_id)
    return wsgi_util.json_response({"user": common.user_view(req, row)})


def update(req: wsgi_util.APIRequest, user_id: str) -> Any:
    common.context(req)
    common.authorize(req, "update_user", _target(user_id))
    values = req.validated(schemas.USER_UPDATE)["user"]
    if "domain_id" in values:
        raise exception.ValidationError(field="domain_id",
                                        reason="cannot be changed")
    if values.get("password") is None:
        values.pop("password", None)
    row = common.identity(req).update_user(user_id, values)
    return wsgi_util.json_response({"user": common.user_view(req, row)})


def delete(req: wsgi_util.APIRequest, user_id: str) -> Any:
    common.context(req)
    common.authorize(req, "delete_user", _target(user_id))
    common.identity(req).delete("user", user_id)
    return wsgi_util.empty_response(204)


def change_password(req: wsgi_util.APIRequest, user_id: str) -> Any:
    common.context(req)
    common.authorize(req, "change_password", _target(user_id))
    values = req.validated(schemas.PASSWORD_CHANGE)["user"]
    common.identity(req).change_password(
        user_id, values["original_password"], values["password"])
    return wsgi_util.empty_response(204)


def projects(req: wsgi_util.APIRequest, user_id: str) -> Any:
    common.context(req)
    common.authorize(req, "list_user_projects", _target(user_id))
    db_identity.get(req.deps.db, "user", user_id)
    project_ids = {row.project_id for row in
                   db_identity.assignments(req.deps.db, user_id=user_id)}
    rows = [db_identity.get(req.deps.db, "project", project_id)
            for project_id in sorted(project_ids)]
    return common.collection(req, "projects",
                             [common.project_view(req, row) for row in rows])

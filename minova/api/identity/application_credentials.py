"""``/v3/users/{user_id}/application_credentials``: a user delegates
some of its roles on its token's project to a named secret."""

from __future__ import annotations

from typing import Any

from oslo_utils import timeutils

from minova import exception
from minova.api.identity import common
from minova.api.identity.schemas import resources as schemas
from minova.api.openstack import wsgi_util
from minova.db import identity as db_identity
from minova.identity import bootstrap

_KIND = "application credential"


def _view(req: wsgi_util.APIRequest, row: Any, ids: dict) -> dict:
    return {
        "id": row.id, "name": row.name, "description": row.description,
        "user_id": row.user_id, "project_id": row.project_id,
        "expires_at": (row.expires_at.strftime("%Y-%m-%dT%H:%M:%S.%f")
                       if row.expires_at else None),
        "unrestricted": row.unrestricted, "access_rules": [],
        "roles": [{"id": ids.get(name), "name": name}
                  for name in row.roles or ()],
        "links": common.link(req, "/v3/users/%s/application_credentials/%s"
                             % (row.user_id, row.id)),
    }


def _role_ids(req: wsgi_util.APIRequest) -> dict:
    return common.identity(req).cache.get().role_ids


def index(req: wsgi_util.APIRequest, user_id: str) -> Any:
    common.context(req)
    common.authorize(req, "list_application_credentials",
                     {"target.user.id": user_id})
    rows = db_identity.find(req.deps.db, _KIND, user_id=user_id,
                            name=req.GET.get("name"))
    ids = _role_ids(req)
    return common.collection(req, "application_credentials",
                             [_view(req, row, ids) for row in rows])


def create(req: wsgi_util.APIRequest, user_id: str) -> Any:
    token = common.caller(req)
    common.authorize(req, "create_application_credential",
                     {"target.user.id": user_id})
    values = req.validated(schemas.APP_CRED_CREATE)[
        "application_credential"]
    if not token.project_id:
        raise exception.ValidationError(
            field="application_credential",
            reason="a project-scoped token is required to create one")
    held = token.roles
    wanted = {role.get("name") or _name_of(req, role.get("id"))
              for role in values.get("roles") or ()} or set(held)
    if not wanted <= held:
        raise exception.ForbiddenAction(
            action="delegate roles the token does not have")
    expires_at = None
    if values.get("expires_at"):
        try:
            expires_at = timeutils.normalize_time(
                timeutils.parse_isotime(values["expires_at"]))
        except ValueError as exc:
            raise exception.ValidationError(field="expires_at",
                                            reason=str(exc)) from exc
    secret = values.get("secret") or bootstrap.generate_password()
    row = common.identity(req).create_application_credential({
        "id": bootstrap.new_id(), "name": values["name"],
        "description": values.get("description"), "user_id": user_id,
        "project_id": token.project_id, "expires_at": expires_at,
        "unrestricted": bool(values.get("unrestricted")),
        "roles": sorted(wanted)}, secret)
    view = _view(req, row, _role_ids(req))
    view["secret"] = secret  # shown once, stored only as a hash
    return wsgi_util.json_response({"application_credential": view}, 201)


def _name_of(req: wsgi_util.APIRequest, role_id: str | None) -> str:
    for name, known in _role_ids(req).items():
        if known == role_id:
            return name
    raise exception.IdentityNotFound(kind="role", id=role_id)


def show(req: wsgi_util.APIRequest, user_id: str, cred_id: str) -> Any:
    common.context(req)
    common.authorize(req, "get_application_credential",
                     {"target.user.id": user_id})
    row = _get(req, user_id, cred_id)
    return wsgi_util.json_response(
        {"application_credential": _view(req, row, _role_ids(req))})


def delete(req: wsgi_util.APIRequest, user_id: str, cred_id: str) -> Any:
    common.context(req)
    common.authorize(req, "delete_application_credential",
                     {"target.user.id": user_id})
    _get(req, user_id, cred_id)
    common.identity(req).delete(_KIND, cred_id)
    return wsgi_util.empty_response(204)


def _get(req: wsgi_util.APIRequest, user_id: str, cred_id: str) -> Any:
    row = db_identity.get(req.deps.db, _KIND, cred_id)
    if row.user_id != user_id:
        raise exception.IdentityNotFound(kind=_KIND, id=cred_id)
    return row

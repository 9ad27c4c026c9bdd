"""What the identity handlers share: the caller's token, policy, views
and list filters."""

from __future__ import annotations

from typing import Any

from minova import context as minova_context
from minova import exception
from minova.api.openstack import wsgi_util
from minova.identity import core as identity_core
from minova.identity import tokens


def identity(req: wsgi_util.APIRequest) -> identity_core.Identity:
    return req.deps.identity


def caller(req: wsgi_util.APIRequest) -> tokens.Token:
    """The validated X-Auth-Token of the request (401 without one)."""
    sealed = req.headers.get("X-Auth-Token")
    if not sealed:
        raise exception.Unauthorized()
    token = identity(req).validate(sealed)
    req.environ["minova.context"] = minova_context.RequestContext(
        user_id=token.user_id, project_id=token.project_id,
        roles=sorted(token.roles),
        request_id=req.environ.get("openstack.request_id"),
        db=req.deps.db)
    return token


def context(req: wsgi_util.APIRequest) -> minova_context.RequestContext:
    caller(req)
    return req.context


def authorize(req: wsgi_util.APIRequest, action: str,
              target: dict | None = None) -> None:
    """Raise Keystone's 403 unless the caller may do ``action``; flat
    ``target.*`` keys as Keystone passes them."""
    try:
        req.deps.policy.authorize(req.context, "identity:" + action,
                                  target or {})
    except exception.Forbidden:
        raise exception.ForbiddenAction(action="identity:" + action) \
            from None


def link(req: wsgi_util.APIRequest, path: str) -> dict:
    return {"self": req.application_url + path}


def collection(req: wsgi_util.APIRequest, key: str, items: list) -> Any:
    return wsgi_util.json_response({
        key: items,
        "links": {"self": req.path_url, "previous": None, "next": None}})


def truthy(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.lower() not in ("0", "false", "no", "off", "")


def domain_view(req: wsgi_util.APIRequest, row: Any) -> dict:
    return {"id": row.id, "name": row.name, "description":
            row.description or "", "enabled": row.enabled, "tags": [],
            "options": {}, "links": link(req, "/v3/domains/%s" % row.id)}


def project_view(req: wsgi_util.APIRequest, row: Any) -> dict:
    return {"id": row.id, "name": row.name, "domain_id": row.domain_id,
            "description": row.description or "", "enabled": row.enabled,
            "parent_id": row.domain_id, "is_domain": False, "tags": [],
            "options": {}, "links": link(req, "/v3/projects/%s" % row.id)}


def user_view(req: wsgi_util.APIRequest, row: Any) -> dict:
    view = {"id": row.id, "name": row.name, "domain_id": row.domain_id,
            "enabled": row.enabled, "password_expires_at": None,
            "options": {}, "links": link(req, "/v3/users/%s" % row.id)}
    for name in ("default_project_id", "email", "description"):
        if getattr(row, name):
            view[name] = getattr(row, name)
    return view


def role_view(req: wsgi_util.APIRequest, row: Any) -> dict:
    return {"id": row.id, "name": row.name, "domain_id": None,
            "description": row.description, "options": {},
            "links": link(req, "/v3/roles/%s" % row.id)}

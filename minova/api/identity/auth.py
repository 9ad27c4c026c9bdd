"""``/v3/auth``: issue, validate, revoke tokens; the token's catalog and
projects."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.identity import common
from minova.api.identity.schemas import auth as schemas
from minova.api.openstack import wsgi_util
from minova.db import identity as db_identity
from minova.identity import tokens


def token_body(req: wsgi_util.APIRequest, token: tokens.Token) -> dict:
    db = req.deps.db
    named = db_identity.token_names(db, token.user_id, token.project_id)
    body: dict[str, Any] = {
        "methods": token.methods,
        "user": {**named["user"], "password_expires_at": None},
        "audit_ids": token.audit_ids,
        "expires_at": tokens.isotime(token.expires_at),
        "issued_at": tokens.isotime(token.issued_at),
    }
    if token.project_id:
        snapshot = common.identity(req).cache.get()
        body["project"] = named["project"]
        body["is_domain"] = False
        body["roles"] = [{"id": snapshot.role_ids.get(name), "name": name}
                         for name in sorted(token.roles)]
        if "nocatalog" not in req.GET:
            body["catalog"] = snapshot.catalog
    if token.app_cred_id:
        cred = db_identity.get(db, "application credential",
                               token.app_cred_id)
        body["application_credential"] = {
            "id": cred.id, "name": cred.name,
            "restricted": not cred.unrestricted}
    return {"token": body}


def _respond(req: wsgi_util.APIRequest, sealed: str, token: tokens.Token,
             status: int) -> Any:
    response = wsgi_util.json_response(token_body(req, token), status)
    response.headers["X-Subject-Token"] = sealed
    return response


def issue(req: wsgi_util.APIRequest) -> Any:
    body = req.validated(schemas.AUTH)
    sealed, token = common.identity(req).authenticate(body["auth"])
    return _respond(req, sealed, token, 201)


def _subject(req: wsgi_util.APIRequest, action: str) -> tuple[str, Any]:
    caller = common.caller(req)
    sealed = req.headers.get("X-Subject-Token") or ""
    try:
        subject = common.identity(req).validate(sealed)
    except exception.Unauthorized:
        subject = None
    common.authorize(req, action, {
        "target.token.user_id": subject.user_id if subject
        else caller.user_id})
    if subject is None:
        raise exception.IdentityNotFound(kind="token", id=sealed[:16] + "…")
    return sealed, subject


def validate(req: wsgi_util.APIRequest) -> Any:
    sealed, subject = _subject(req, "validate_token")
    return _respond(req, sealed, subject, 200)


def check(req: wsgi_util.APIRequest) -> Any:
    _subject(req, "check_token")
    return wsgi_util.empty_response(200)


def revoke(req: wsgi_util.APIRequest) -> Any:
    _sealed, subject = _subject(req, "revoke_token")
    common.identity(req).revoke_token(subject)
    return wsgi_util.empty_response(204)


def catalog(req: wsgi_util.APIRequest) -> Any:
    token = common.caller(req)
    if not token.project_id:
        raise exception.ForbiddenAction(
            action="get the catalog with an unscoped token")
    return wsgi_util.json_response({
        "catalog": common.identity(req).cache.get().catalog,
        "links": {"self": req.path_url}})


def projects(req: wsgi_util.APIRequest) -> Any:
    token = common.caller(req)
    snapshot = common.identity(req).cache.get()
    rows = [db_identity.get(req.deps.db, "project", project_id)
            for user_id, project_id in snapshot.roles
            if user_id == token.user_id]
    return common.collection(req, "projects", [
        common.project_view(req, row)
        for row in sorted(rows, key=lambda row: row.name) if row.enabled])

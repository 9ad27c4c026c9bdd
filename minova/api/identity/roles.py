"""``/v3/roles``, role grants on projects, ``/v3/role_assignments`` and
``/v3/role_inferences``."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.identity import common
from minova.api.identity.schemas import resources as schemas
from minova.api.openstack import wsgi_util
from minova.db import identity as db_identity
from minova.identity import bootstrap
from minova.identity import cache as identity_cache


def index(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "list_roles")
    rows = db_identity.find(req.deps.db, "role", name=req.GET.get("name"))
    return common.collection(req, "roles",
                             [common.role_view(req, row) for row in rows])


def create(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "create_role")
    values = req.validated(schemas.ROLE_CREATE)["role"]
    row = common.identity(req).create("role", {"id": bootstrap.new_id(),
                                               **values})
    return wsgi_util.json_response({"role": common.role_view(req, row)}, 201)


def show(req: wsgi_util.APIRequest, role_id: str) -> Any:
    common.context(req)
    common.authorize(req, "get_role", {"target.role.id": role_id})
    row = db_identity.get(req.deps.db, "role", role_id)
    return wsgi_util.json_response({"role": common.role_view(req, row)})


def delete(req: wsgi_util.APIRequest, role_id: str) -> Any:
    common.context(req)
    common.authorize(req, "delete_role", {"target.role.id": role_id})
    common.identity(req).delete("role", role_id)
    return wsgi_util.empty_response(204)


def inferences(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "list_implied_roles")
    db = req.deps.db
    roles = {row.id: row for row in db_identity.find(db, "role")}
    by_prior: dict[str, list] = {}
    for row in db_identity.implied_roles(db):
        by_prior.setdefault(row.prior_role_id, []).append(
            roles[row.implied_role_id])
    return wsgi_util.json_response({"role_inferences": [
        {"prior_role": _ref(req, roles[prior]),
         "implies": [_ref(req, role) for role in implied]}
        for prior, implied in by_prior.items()]})


def _ref(req: wsgi_util.APIRequest, row: Any) -> dict:
    return {"id": row.id, "name": row.name,
            "links": common.link(req, "/v3/roles/%s" % row.id)}


def _grant_target(req: wsgi_util.APIRequest, project_id: str, user_id: str,
                  role_id: str | None = None) -> None:
    db = req.deps.db
    db_identity.get(db, "project", project_id)
    db_identity.get(db, "user", user_id)
    if role_id:
        db_identity.get(db, "role", role_id)


def grant(req: wsgi_util.APIRequest, project_id: str, user_id: str,
          role_id: str) -> Any:
    common.context(req)
    common.authorize(req, "create_grant", {"target.project.id": project_id,
                                           "target.user.id": user_id})
    _grant_target(req, project_id, user_id, role_id)
    common.identity(req).grant(user_id, project_id, role_id)
    return wsgi_util.empty_response(204)


def check_grant(req: wsgi_util.APIRequest, project_id: str, user_id: str,
                role_id: str) -> Any:
    common.context(req)
    common.authorize(req, "check_grant", {"target.project.id": project_id,
                                          "target.user.id": user_id})
    _grant_target(req, project_id, user_id, role_id)
    if not db_identity.assignments(req.deps.db, user_id=user_id,
                                   project_id=project_id, role_id=role_id):
        raise exception.IdentityNotFound(
            kind="role assignment",
            id="%s on %s for %s" % (role_id, project_id, user_id))
    return wsgi_util.empty_response(204)


def revoke_grant(req: wsgi_util.APIRequest, project_id: str, user_id: str,
                 role_id: str) -> Any:
    common.context(req)
    common.authorize(req, "revoke_grant", {"target.project.id": project_id,
                                           "target.user.id": user_id})
    common.identity(req).revoke_grant(user_id, project_id, role_id)
    return wsgi_util.empty_response(204)


def grants(req: wsgi_util.APIRequest, project_id: str, user_id: str) -> Any:
    common.context(req)
    common.authorize(req, "list_grants", {"target.project.id": project_id,
                                          "target.user.id": user_id})
    _grant_target(req, project_id, user_id)
    db = req.deps.db
    rows = [db_identity.get(db, "role", row.role_id) for row in
            db_identity.assignments(db, user_id=user_id,
                                    project_id=project_id)]
    return common.collection(req, "roles",
                             [common.role_view(req, row) for row in rows])


def assignments(req: wsgi_util.APIRequest) -> Any:
    """The filters the openstack CLI sends: user.id, scope.project.id,
    role.id, effective, include_names."""
    common.context(req)
    common.authorize(req, "list_role_assignments")
    db = req.deps.db
    rows = db_identity.assignments(
        db, user_id=req.GET.get("user.id"),
        project_id=req.GET.get("scope.project.id"))
    roles = {row.id: row for row in db_identity.find(db, "role")}
    triples = {(row.user_id, row.project_id, row.role_id) for row in rows}
    if "effective" in req.GET:
        triples = _effective(db, roles, triples)
    role_id = req.GET.get("role.id")
    names = common.truthy(req.GET.get("include_names")) or False
    items = [_assignment(req, roles, names, *triple)
             for triple in sorted(triples)
             if role_id is None or triple[2] == role_id]
    return common.collection(req, "role_assignments", items)


def _effective(db: Any, roles: dict, triples: set) -> set:
    names = {role_id: row.name for role_id, row in roles.items()}
    ids = {row.name: role_id for role_id, row in roles.items()}
    implied: dict[str, set[str]] = {}
    for row in db_identity.implied_roles(db):
        implied.setdefault(names[row.prior_role_id], set()).add(
            names[row.implied_role_id])
    result = set()
    for user_id, project_id, role_id in triples:
        for name in identity_cache.expand_roles({names[role_id]}, implied):
            result.add((user_id, project_id, ids[name]))
    return result


def _assignment(req: wsgi_util.APIRequest, roles: dict, names: bool,
                user_id: str, project_id: str, role_id: str) -> dict:
    db = req.deps.db
    role = {"id": role_id}
    user = {"id": user_id}
    project = {"id": project_id}
    if names:
        role["name"] = roles[role_id].name
        for ref, kind in ((user, "user"), (project, "project")):
            row = db_identity.get(db, kind, ref["id"])
            domain = db_identity.get(db, "domain", row.domain_id)
            ref.update(name=row.name, domain={"id": domain.id,
                                              "name": domain.name})
    return {"role": role, "user": user, "scope": {"project": project},
            "links": {"assignment": req.application_url +
                      "/v3/projects/%s/users/%s/roles/%s"
                      % (project_id, user_id, role_id)}}

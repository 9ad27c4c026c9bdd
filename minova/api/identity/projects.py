"""``/v3/projects`` and ``/v3/domains`` (the domains are read-only)."""

from __future__ import annotations

from typing import Any

from minova.api.identity import common
from minova.api.identity.schemas import resources as schemas
from minova.api.openstack import wsgi_util
from minova.db import identity as db_identity
from minova.identity import bootstrap


def index(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "list_projects")
    rows = db_identity.find(req.deps.db, "project",
                            name=req.GET.get("name"),
                            domain_id=req.GET.get("domain_id"),
                            enabled=common.truthy(req.GET.get("enabled")))
    return common.collection(req, "projects",
                             [common.project_view(req, row) for row in rows])


def create(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "create_project")
    values = req.validated(schemas.PROJECT_CREATE)["project"]
    values.pop("is_domain", None)
    values.pop("tags", None)
    domain_id = values.pop("domain_id", None) or \
        values.pop("parent_id", None) or bootstrap.DEFAULT_DOMAIN
    values.pop("parent_id", None)
    db_identity.get(req.deps.db, "domain", domain_id)
    row = common.identity(req).create("project", {
        "id": bootstrap.new_id(), "enabled": True, "domain_id": domain_id,
        **values})
    return wsgi_util.json_response(
        {"project": common.project_view(req, row)}, 201)


def show(req: wsgi_util.APIRequest, project_id: str) -> Any:
    common.context(req)
    common.authorize(req, "get_project", {"target.project.id": project_id})
    row = db_identity.get(req.deps.db, "project", project_id)
    return wsgi_util.json_response({"project": common.project_view(req,
                                                                   row)})


def update(req: wsgi_util.APIRequest, project_id: str) -> Any:
    common.context(req)
    common.authorize(req, "update_project",
                     {"target.project.id": project_id})
    values = req.validated(schemas.PROJECT_UPDATE)["project"]
    for name in ("is_domain", "tags", "parent_id", "domain_id"):
        values.pop(name, None)
    row = common.identity(req).update_project(project_id, values)
    return wsgi_util.json_response({"project": common.project_view(req,
                                                                   row)})


def delete(req: wsgi_util.APIRequest, project_id: str) -> Any:
    common.context(req)
    common.authorize(req, "delete_project",
                     {"target.project.id": project_id})
    common.identity(req).delete("project", project_id)
    return wsgi_util.empty_response(204)


def domains(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "list_domains")
    rows = db_identity.find(req.deps.db, "domain", name=req.GET.get("name"),
                            enabled=common.truthy(req.GET.get("enabled")))
    return common.collection(req, "domains",
                             [common.domain_view(req, row) for row in rows])


def domain(req: wsgi_util.APIRequest, domain_id: str) -> Any:
    common.context(req)
    common.authorize(req, "get_domain", {"target.domain.id": domain_id})
    row = db_identity.get(req.deps.db, "domain", domain_id)
    return wsgi_util.json_response({"domain": common.domain_view(req, row)})

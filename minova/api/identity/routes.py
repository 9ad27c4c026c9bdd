"""The identity API's route table (a Keystone v3 subset): path -> HTTP
method -> handler. Paths not here are 404, methods not here 405, both in
Keystone's fault format."""

from __future__ import annotations

from typing import Any

from minova.api.identity import application_credentials as app_creds
from minova.api.identity import auth
from minova.api.identity import catalog
from minova.api.identity import projects
from minova.api.identity import roles
from minova.api.identity import users
from minova.api.identity import versions
from minova.api.openstack import faults
from minova.api.openstack import router

_GRANT = "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}"
_APP_CREDS = "/v3/users/{user_id}/application_credentials"

ROUTES: dict[str, dict[str, router.Handler]] = {
    "": {"GET": versions.versions},
    "/": {"GET": versions.versions},
    "/v3": {"GET": versions.version_v3},
    "/v3/": {"GET": versions.version_v3},
    "/v3/auth/tokens": {"POST": auth.issue, "GET": auth.validate,
                        "HEAD": auth.check, "DELETE": auth.revoke},
    "/v3/auth/catalog": {"GET": auth.catalog},
    "/v3/auth/projects": {"GET": auth.projects},
    "/v3/domains": {"GET": projects.domains},
    "/v3/domains/{domain_id}": {"GET": projects.domain},
    "/v3/projects": {"GET": projects.index, "POST": projects.create},
    "/v3/projects/{project_id}": {"GET": projects.show,
                                  "PATCH": projects.update,
                                  "DELETE": projects.delete},
    "/v3/projects/{project_id}/users/{user_id}/roles": {"GET": roles.grants},
    _GRANT: {"PUT": roles.grant, "HEAD": roles.check_grant,
             "DELETE": roles.revoke_grant},
    "/v3/users": {"GET": users.index, "POST": users.create},
    "/v3/users/{user_id}": {"GET": users.show, "PATCH": users.update,
                            "DELETE": users.delete},
    "/v3/users/{user_id}/password": {"POST": users.change_password},
    "/v3/users/{user_id}/projects": {"GET": users.projects},
    _APP_CREDS: {"GET": app_creds.index, "POST": app_creds.create},
    _APP_CREDS + "/{cred_id}": {"GET": app_creds.show,
                                "DELETE": app_creds.delete},
    "/v3/roles": {"GET": roles.index, "POST": roles.create},
    "/v3/roles/{role_id}": {"GET": roles.show, "DELETE": roles.delete},
    "/v3/role_assignments": {"GET": roles.assignments},
    "/v3/role_inferences": {"GET": roles.inferences},
    "/v3/services": {"GET": catalog.services},
    "/v3/services/{service_id}": {"GET": catalog.service},
    "/v3/endpoints": {"GET": catalog.endpoints},
    "/v3/endpoints/{endpoint_id}": {"GET": catalog.endpoint},
    "/v3/regions": {"GET": catalog.regions},
}


def app_factory(global_config: dict, **local_config: Any) -> Any:
    """paste ``app_factory`` for the identity API router."""
    return router.APIRouter(ROUTES, fault=faults.keystone_fault_response,
                            microversions=False)

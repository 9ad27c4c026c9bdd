"""An identity-enabled cloud for the functional tests: the compute API
with ``auth_strategy = minova``, /identity on the same port, bootstrapped
with known passwords."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import requests

from minova.identity import bootstrap
from tests.fixtures import start_api

ADMIN_PASSWORD = "admin-secret"
DEMO_PASSWORD = "demo-secret"


@dataclasses.dataclass
class IdentityCloud:
    base_url: str
    server: Any
    conf: Any
    db: Any

    @property
    def auth_url(self) -> str:
        return self.base_url + "/identity"

    def deps(self) -> Any:
        return self.server.app_environ["minova.deps"]

    def request(self, method: str, path: str, token: str | None = None,
                **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if token:
            headers["X-Auth-Token"] = token
        return requests.request(method, self.auth_url + path,
                                headers=headers, timeout=30, **kwargs)

    def password_auth(self, user: str, password: str,
                      project: str | None = None, **scope: Any) -> Any:
        auth: dict[str, Any] = {"identity": {
            "methods": ["password"],
            "password": {"user": {"name": user, "password": password,
                                  "domain": {"name": "Default"}}}}}
        if project:
            auth["scope"] = {"project": {"name": project,
                                         "domain": {"id": "default"}}}
        elif scope:
            auth["scope"] = scope
        return self.request("POST", "/v3/auth/tokens", json={"auth": auth})

    def token(self, user: str = "admin", password: str = ADMIN_PASSWORD,
              project: str | None = "admin") -> str:
        response = self.password_auth(user, password, project)
        assert response.status_code == 201, response.text
        return response.headers["X-Subject-Token"]

    def admin(self) -> str:
        return self.token()

    def demo(self) -> str:
        return self.token("demo", DEMO_PASSWORD, "demo")

    def compute(self, method: str, path: str, token: str,
                **kwargs: Any) -> requests.Response:
        return requests.request(method, self.base_url + "/v2.1" + path,
                                headers={"X-Auth-Token": token},
                                timeout=30, **kwargs)

    def create_user(self, name: str, password: str, project: str,
                    role: str = "member") -> dict:
        admin = self.admin()
        project_id = self.find("projects", project, admin)["id"]
        user = self.request("POST", "/v3/users", admin, json={"user": {
            "name": name, "password": password,
            "default_project_id": project_id}}).json()["user"]
        role_id = self.find("roles", role, admin)["id"]
        granted = self.request("PUT", "/v3/projects/%s/users/%s/roles/%s"
                               % (project_id, user["id"], role_id), admin)
        assert granted.status_code == 204, granted.text
        return user

    def find(self, collection: str, name: str, token: str) -> dict:
        response = self.request("GET", "/v3/%s?name=%s" % (collection, name),
                                token)
        [found] = response.json()[collection]
        return found


def start_identity_cloud(conf: Any, transport: Any, db: Any,
                         launched: list, listen: str = "127.0.0.1",
                         strategy: str = "minova") -> IdentityCloud:
    conf.set_override("auth_strategy", strategy, group="api")
    server = start_api(conf, transport, db, launched)
    if listen != "127.0.0.1":
        # start_api listens on loopback; what the strategy looks at is the
        # configured address.
        conf.set_override("osapi_compute_listen", listen)
    bootstrap.bootstrap(conf, db, ADMIN_PASSWORD, DEMO_PASSWORD,
                        ports={"osapi_compute": server.port})
    return IdentityCloud("http://127.0.0.1:%d" % server.port, server, conf,
                         db)


@pytest.fixture
def identity_cloud(conf: Any, transport: Any, db: Any, conductor: Any,
                   launched: list) -> IdentityCloud:
    return start_identity_cloud(conf, transport, db, launched)

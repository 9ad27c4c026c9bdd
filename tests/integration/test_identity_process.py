"""The identity API and minova tokens on separate processes, RabbitMQ
and a real database: minova-manage bootstrap, then a two-worker
minova-api that issues tokens, serves the compute API with them, and
whose workers both refuse a disabled user's token within [identity]
cache_refresh_interval."""

from __future__ import annotations

import time

import pytest
import requests

from tests.integration import harness
from tests.utils import wait_for

pytestmark = pytest.mark.integration


def _token(base: str, user: str, password: str, project: str) -> str:
    response = requests.post(base + "/identity/v3/auth/tokens", timeout=30,
                             json={"auth": {"identity": {
                                 "methods": ["password"], "password": {
                                     "user": {"name": user,
                                              "password": password,
                                              "domain": {"id": "default"}}}},
                                 "scope": {"project": {
                                     "name": project,
                                     "domain": {"id": "default"}}}}})
    assert response.status_code == 201, response.text
    return response.headers["X-Subject-Token"]


def _status(url: str, token: str) -> int:
    # A new connection each time: the kernel spreads them over the workers.
    return requests.get(url, headers={"X-Auth-Token": token},
                        timeout=10).status_code


@pytest.mark.parametrize("db_backend", ["mariadb", "postgresql"],
                         indirect=True)
def test_tokens_across_api_workers(deployment: harness.Deployment):
    deployment.write_config(auth_strategy="minova")
    out = deployment.manage("bootstrap", "--bootstrap-password", "pw",
                            "--demo-password", "dpw",
                            "--bootstrap-public-url", deployment.api_url)
    assert "user admin" in out
    deployment.start("conductor", "controller")
    api = deployment.start("api", "controller")
    wait_for(lambda: not api.running() or deployment.api_answers(),
             timeout=60, interval=0.2, what="minova-api to answer")
    assert api.running(), api.log()
    wait_for(lambda: len(api.workers()) == 2, timeout=10,
             what="two API workers")
    base = deployment.api_url
    # noauth2 tokens are refused: this API does not take them.
    assert _status(base + "/v2.1/servers", "admin:admin") == 401
    admin = _token(base, "admin", "pw", "admin")
    catalog = requests.get(base + "/identity/v3/auth/catalog", timeout=30,
                           headers={"X-Auth-Token": admin}).json()
    urls = {s["type"]: s["endpoints"][0]["url"] for s in catalog["catalog"]}
    assert urls["compute"] == base + "/compute/v2.1"
    assert _status(base + "/v2.1/os-services", admin) == 200
    demo = _token(base, "demo", "dpw", "demo")
    servers = base + "/v2.1/servers"
    assert {_status(servers, demo) for _ in range(20)} == {200}
    assert _status(base + "/v2.1/os-services", demo) == 403

    users = requests.get(base + "/identity/v3/users?name=demo", timeout=30,
                         headers={"X-Auth-Token": admin}).json()["users"]
    disabled = requests.patch(
        base + "/identity/v3/users/%s" % users[0]["id"], timeout=30,
        headers={"X-Auth-Token": admin},
        json={"user": {"enabled": False}})
    assert disabled.status_code == 200, disabled.text
    started = time.monotonic()
    wait_for(lambda: {_status(servers, demo) for _ in range(20)} == {401},
             timeout=10, interval=0.1,
             what="both workers to refuse the disabled user's token")
    # [identity] cache_refresh_interval is 1 s.
    assert time.monotonic() - started < 3

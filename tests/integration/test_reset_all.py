"""A tool tester's loop on a real minova-all process: a run leaves
servers behind, ``POST /minova/reset`` (on by default there) empties the
cloud, and the next run boots with the same clouds.yaml."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import yaml

from tests.integration import harness
from tests.integration.test_lifecycle import minova_all  # noqa: F401
from tests.utils import wait_for

pytestmark = pytest.mark.integration

IMAGE = "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f"


def _boot(url: str, name: str, **extra: Any) -> str:
    response = requests.post(url + "/v2.1/servers", headers=harness.ADMIN,
                             timeout=30, json={"server": {
                                 "name": name, "flavorRef": "1",
                                 "imageRef": IMAGE, "networks": "auto",
                                 **extra}})
    assert response.status_code == 202, response.text
    return response.json()["server"]["id"]


def _status(url: str, sid: str, status: str) -> None:
    def reached() -> bool:
        response = requests.get(url + "/v2.1/servers/%s" % sid,
                                headers=harness.ADMIN, timeout=10)
        return response.json()["server"]["status"] == status
    wait_for(reached, timeout=30, what="server %s to be %s" % (sid, status))


def _password_token(url: str, clouds: dict) -> requests.Response:
    auth = clouds["clouds"]["minova"]["auth"]
    return requests.post(url + "/identity/v3/auth/tokens", timeout=30,
                         json={"auth": {"identity": {
                             "methods": ["password"], "password": {"user": {
                                 "name": auth["username"],
                                 "domain": {"name": "Default"},
                                 "password": auth["password"]}}},
                             "scope": {"project": {
                                 "name": auth["project_name"],
                                 "domain": {"name": "Default"}}}}})


def test_reset_between_two_runs(minova_all):  # noqa: F811
    cloud = minova_all()
    cloud.start()
    clouds = yaml.safe_load((cloud.state / "clouds.yaml").read_text())
    token = _password_token(cloud.url, clouds).headers["X-Subject-Token"]
    first = [_boot(cloud.url, "run1-%d" % i) for i in range(3)]
    failed = _boot(cloud.url, "run1-bad",
                   metadata={"minova:build_fail": "scripted"})
    for sid in first:
        _status(cloud.url, sid, "ACTIVE")
    _status(cloud.url, failed, "ERROR")

    response = requests.post(cloud.url + "/minova/reset", timeout=60,
                             headers={"X-Auth-Token": token})
    assert response.status_code == 200, response.text
    body = response.json()["reset"]
    assert sorted(name.split(" on ")[0] for name in body["services_reset"]) \
        == ["minova-compute", "minova-scheduler"]

    assert cloud.get("/v2.1/servers?all_tenants=1")["servers"] == []
    assert cloud.get("/v2.1/os-hypervisors/detail")["hypervisors"][0][
        "running_vms"] == 0
    # The same clouds.yaml and the token from before still work.
    assert _password_token(cloud.url, clouds).status_code == 201
    again = requests.get(cloud.url + "/v2.1/servers", timeout=10,
                         headers={"X-Auth-Token": token})
    assert again.status_code == 200 and again.json()["servers"] == []
    sid = _boot(cloud.url, "run2")
    _status(cloud.url, sid, "ACTIVE")

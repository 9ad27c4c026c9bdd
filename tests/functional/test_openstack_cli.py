"""The real ``openstack`` CLI (python-openstackclient) against an
in-process minova over HTTP, for the commands of issue 9's RES1 part:
flavor show and set --property, keypair create, server create
--key-name, server set --tag, availability zone list."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.functional.test_api_servers import wait_status

OPENSTACK = os.path.join(os.path.dirname(sys.executable), "openstack")

pytestmark = pytest.mark.skipif(
    shutil.which(OPENSTACK) is None,
    reason="python-openstackclient is not installed (the test extra)")


@pytest.fixture
def cli(request, tmp_path):
    api = request.getfixturevalue("cloud")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("OS_")}
    env.update({
        "OS_AUTH_TYPE": "admin_token", "OS_TOKEN": "admin:admin",
        "OS_ENDPOINT": api.base_url + "/v2.1",
        "OS_IDENTITY_API_VERSION": "3",
        "OS_IDENTITY_ENDPOINT_OVERRIDE": api.base_url + "/v2.1",
        "HOME": str(tmp_path)})

    def run(*args: str) -> str:
        result = subprocess.run([OPENSTACK, *args], env=env,
                                capture_output=True, text=True,
                                timeout=120, check=False)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    run.api = api
    return run


def test_flavor_show_and_set_property(cli):
    cli("flavor", "set", "--property", "hw:cpu_policy=dedicated",
        "m1.tiny")
    shown = json.loads(cli("flavor", "show", "m1.tiny", "-f", "json"))
    assert shown["properties"] == {"hw:cpu_policy": "dedicated"}
    assert cli.api.get("/v2.1/flavors/1/os-extra_specs").json() == {
        "extra_specs": {"hw:cpu_policy": "dedicated"}}


def test_availability_zone_list(cli):
    zones = json.loads(cli("availability", "zone", "list", "--compute",
                           "--long", "-f", "json"))
    assert {(zone["Zone Name"], zone["Zone Status"]) for zone in zones} \
        >= {("nova", "available")}


def test_keypair_create_boot_with_it_and_tag_the_server(cli, tmp_path):
    private = cli("keypair", "create", "clikey")
    assert "PRIVATE KEY" in private
    listed = json.loads(cli("keypair", "list", "-f", "json"))
    assert [key["Name"] for key in listed] == ["clikey"]
    created = json.loads(cli(
        "server", "create", "--flavor", "m1.tiny", "--image", "cirros",
        "--nic", "none", "--key-name", "clikey", "-f", "json", "vm1"))
    server = wait_status(cli.api, created["id"], "ACTIVE")
    assert server["key_name"] == "clikey"
    cli("server", "set", "--tag", "web", "--tag", "prod", "vm1")
    response = cli.api.get("/v2.1/servers/%s/tags" % created["id"],
                           version="2.26")
    assert sorted(response.json()["tags"]) == ["prod", "web"]

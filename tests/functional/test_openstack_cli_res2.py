"""The real ``openstack`` CLI (python-openstackclient) against an
in-process minova with noauth2 (issue 9, RES2): server groups, a boot
into one, pause/lock, the server's events, and resize with confirm."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from minova.api.openstack import api_version
from tests.functional import test_api_servers as servers_test
from tests.functional.test_api_servers import wait_status

cloud = servers_test.cloud  # the fixture: API, scheduler, one compute

OPENSTACK = os.path.join(os.path.dirname(sys.executable), "openstack")

pytestmark = pytest.mark.skipif(not os.path.exists(OPENSTACK),
                                reason="python-openstackclient is not "
                                       "installed (the test extra)")


@pytest.fixture(autouse=True)
def _versions_up_to_2_84(monkeypatch):
    monkeypatch.setattr(api_version, "MAX_VERSION", "2.84")


@pytest.fixture
def cli(cloud):
    def run(*args):
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("OS_")}
        result = subprocess.run(
            [OPENSTACK, "--os-auth-type", "admin_token",
             "--os-endpoint", cloud.base_url + "/v2.1",
             "--os-token", "admin:admin",
             "--os-compute-api-version", "2.84", *args],
            capture_output=True, text=True, timeout=120, env=env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if "json" in args else \
            result.stdout
    return run


def test_server_group_boot_pause_lock_and_events(cloud, cli):
    group = cli("server", "group", "create", "--policy", "anti-affinity",
                "--rule", "max_server_per_host=2", "g1", "-f", "json")
    assert (group["name"], group["policy"]) == ("g1", "anti-affinity")
    assert group["rules"] == {"max_server_per_host": 2}
    listed = cli("server", "group", "list", "-f", "json")
    assert [g["ID"] for g in listed] == [group["id"]]
    server = cli("server", "create", "--flavor", "1", "--image",
                 servers_test.IMAGE, "--hint", "group=%s" % group["id"],
                 "--nic", "auto", "vm1", "-f", "json")
    wait_status(cloud, server["id"], "ACTIVE")
    shown = cli("server", "group", "show", group["id"], "-f", "json")
    assert shown["members"] == [server["id"]]
    cli("server", "pause", server["id"])
    wait_status(cloud, server["id"], "PAUSED")
    cli("server", "unpause", server["id"])
    wait_status(cloud, server["id"], "ACTIVE")
    cli("server", "lock", "--reason", "maintenance", server["id"])
    shown = cli("server", "show", server["id"], "-f", "json")
    assert shown["locked"] is True
    assert shown["locked_reason"] == "maintenance"
    cli("server", "unlock", server["id"])
    events = cli("server", "event", "list", server["id"], "-f", "json")
    assert [e["Action"] for e in events] == ["unlock", "lock", "unpause",
                                             "pause", "create"]
    cli("server", "delete", "--wait", server["id"])
    cli("server", "group", "delete", group["id"])
    assert cli("server", "group", "list", "-f", "json") == []


def test_server_resize_then_confirm(cloud, cli, conf):
    conf.set_override("allow_resize_to_same_host", True)  # one host
    server = servers_test.boot(cloud)
    wait_status(cloud, server["id"], "ACTIVE")
    cli("server", "resize", "--flavor", "2", server["id"])
    wait_status(cloud, server["id"], "VERIFY_RESIZE")
    cli("server", "resize", "confirm", server["id"])
    shown = wait_status(cloud, server["id"], "ACTIVE")
    assert shown["flavor"]["id"] == "2"

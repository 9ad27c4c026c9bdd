"""A tool tester's session with openstacksdk through the clouds.yaml
minova writes: a scripted build failure reaches the client as the fault
it asked for, and a reset between two runs leaves a fresh cloud that the
same clouds.yaml, and the same connection, keep using."""

from __future__ import annotations

import openstack
import pytest
import requests

from minova.db import flavors as db_flavors
from minova.identity import bootstrap
from tests.fixtures import start_api


@pytest.fixture
def sdk(conf, transport, db, compute, launched, monkeypatch):
    conf.set_override("auth_strategy", "minova", group="api")
    conf.set_override("enable_reset", True, group="api")
    db_flavors.ensure_defaults(db)  # as minova-all does
    server = start_api(conf, transport, db, launched)
    path = bootstrap.first_start(conf, db, {"osapi_compute": server.port})
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", path)
    connection = openstack.connect(cloud="minova")
    connection.minova_url = "http://127.0.0.1:%d" % server.port
    yield connection
    connection.close()


def _reset(sdk):
    response = requests.post(sdk.minova_url + "/minova/reset", timeout=60,
                             headers={"X-Auth-Token": sdk.auth_token})
    assert response.status_code == 200, response.text


def test_scripted_failure_then_reset_with_the_same_clouds_yaml(sdk):
    with pytest.raises(openstack.exceptions.SDKException,
                       match="Compute service reports fault: disk on fire"):
        sdk.create_server("doomed", image="cirros", flavor="m1.tiny",
                          network="private", wait=True, timeout=60,
                          meta={"minova:build_fail": "disk on fire"})
    [doomed] = sdk.list_servers()
    assert doomed.status == "ERROR"
    sdk.create_flavor("run1.flavor", ram=256, vcpus=1, disk=1)
    sdk.create_keypair("run1-key")
    server = sdk.create_server("vm", image="cirros", flavor="run1.flavor",
                               network="private", wait=True, timeout=60,
                               key_name="run1-key")
    assert server.status == "ACTIVE"

    _reset(sdk)

    # The same connection (its token from before) sees a fresh cloud.
    assert sdk.list_servers(all_projects=True) == []
    assert sdk.get_flavor("run1.flavor") is None
    assert sdk.list_keypairs() == []
    assert sdk.get_network("private") is not None
    # And a new one from the same clouds.yaml works too.
    again = openstack.connect(cloud="minova")
    try:
        server = again.create_server("vm", image="cirros",
                                     flavor="m1.tiny", network="private",
                                     wait=True, timeout=60)
        assert server.status == "ACTIVE"
        assert [s.name for s in again.list_servers()] == ["vm"]
    finally:
        again.close()

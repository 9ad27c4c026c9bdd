"""openstacksdk through the clouds.yaml minova writes: a server on the
private network with a floating IP (the cloud layer's auto_ip finds the
external network and the server's port), then deleted."""

from __future__ import annotations

import openstack
import pytest

from minova.db import flavors as db_flavors
from minova.identity import bootstrap
from tests.fixtures import start_api


@pytest.fixture
def sdk(conf, transport, db, compute, launched, monkeypatch):
    conf.set_override("auth_strategy", "minova", group="api")
    db_flavors.ensure_defaults(db)  # as minova-all does
    server = start_api(conf, transport, db, launched)
    path = bootstrap.first_start(conf, db, {"osapi_compute": server.port})
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", path)
    connection = openstack.connect(cloud="minova-demo")
    yield connection
    connection.close()


def test_create_server_with_auto_ip_then_delete(sdk):
    assert sdk.get_network("private")["is_shared"]
    assert [n.name for n in sdk.get_external_ipv4_floating_networks()] == [
        "public"]
    server = sdk.create_server("sdk-vm", image="cirros", flavor="m1.tiny",
                               network="private", wait=True, auto_ip=True,
                               timeout=60)
    assert server.status == "ACTIVE"
    kinds = {a["OS-EXT-IPS:type"]: a["addr"]
             for a in server.addresses["private"]}
    assert kinds["fixed"].startswith("10.0.0.")
    assert kinds["floating"].startswith("172.24.4.")
    assert sdk.get_server(server.id).public_v4 == kinds["floating"]
    [fip] = sdk.list_floating_ips()
    assert fip.floating_ip_address == kinds["floating"]
    assert sdk.delete_server(server.id, wait=True, timeout=60)
    assert sdk.get_server(server.id) is None
    assert list(sdk.network.ports(device_id=server.id)) == []

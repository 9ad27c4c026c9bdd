"""A real client, openstacksdk, drives the compute API: flavors, images,
servers, actions. It authenticates as clients do against a Keystone-less
cloud: keystoneauth's admin_token plugin with one endpoint."""

from __future__ import annotations

import openstack
import pytest

from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.utils import wait_for


@pytest.fixture
def sdk(cloud):  # noqa: F811
    connection = openstack.connection.Connection(
        auth_type="admin_token",
        auth={"endpoint": cloud.base_url + "/v2.1", "token": "admin:admin"})
    yield connection
    connection.close()


def _status(sdk, server_id, status):
    def reached():
        server = sdk.compute.get_server(server_id)
        return server if server.status == status else None
    return wait_for(reached, what="server to be %s" % status)


def test_flavor_boot_list_stop_delete(sdk):
    flavor = sdk.compute.create_flavor(name="sdk.small", ram=256, vcpus=1,
                                       disk=1, id="sdk1")
    assert sdk.compute.find_flavor("sdk.small").id == "sdk1"
    assert "sdk.small" in [f.name for f in sdk.compute.flavors()]
    image = sdk.image.find_image("cirros")
    assert image.id == IMAGE
    server = sdk.compute.create_server(name="sdk-vm", flavor_id=flavor.id,
                                       image_id=image.id, networks="auto")
    server = sdk.compute.wait_for_server(server, status="ACTIVE",
                                         interval=0.05, wait=30)
    assert server.flavor.original_name == "sdk.small"
    assert server.addresses["private"][0]["version"] == 4
    assert [s.name for s in sdk.compute.servers()] == ["sdk-vm"]
    sdk.compute.stop_server(server)
    server = _status(sdk, server.id, "SHUTOFF")
    assert server.power_state == 4
    sdk.compute.start_server(server)
    _status(sdk, server.id, "ACTIVE")
    sdk.compute.reboot_server(server, "HARD")
    _status(sdk, server.id, "ACTIVE")
    sdk.compute.delete_server(server)
    sdk.compute.wait_for_delete(server, interval=0.05, wait=30)
    assert list(sdk.compute.servers()) == []
    sdk.compute.delete_flavor(flavor)
    assert sdk.compute.find_flavor("sdk.small") is None


def test_hypervisors_and_limits(sdk):
    [hypervisor] = list(sdk.compute.hypervisors(details=True))
    assert hypervisor.state == "up"
    # openstacksdk asks for 2.88, where Nova dropped the figures.
    assert hypervisor.status == "enabled" and hypervisor.vcpus is None
    limits = sdk.compute.get_limits()
    assert limits.absolute.instances == 10

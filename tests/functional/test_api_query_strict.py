"""Unknown query parameters on the routes of issue 9's resources (key
pairs, server groups, instance actions, server tags and metadata,
availability zones, flavor extra specs and access) over real HTTP:
ignored before the microversion at which Nova's query schema of the
route closes (2.75, 2.58 or 2.102), a 400 from it on; the parameters
Nova's schemas name are accepted."""

from __future__ import annotations

import pytest

from minova import crypto
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.functional.test_api_servers import wait_status
from tests.functional.test_api_services import _fault


def _before(version):
    major, minor = version.split(".")
    return "%s.%d" % (major, int(minor) - 1)


@pytest.fixture
def things(cloud):  # noqa: F811
    """A server with a tag and metadata, a key pair, a server group and
    a private flavor with an extra spec."""
    sid = boot(cloud, networks="none", metadata={"role": "web"})["id"]
    wait_status(cloud, sid, "ACTIVE")
    assert cloud.put("/v2.1/servers/%s/tags/t1" % sid,
                     version="2.26").status_code == 201
    key = crypto.generate(crypto.SSH, "k1")[1]
    assert cloud.post("/v2.1/os-keypairs", version="2.2", json={
        "keypair": {"name": "k1", "public_key": key}}).status_code == 201
    group = cloud.post("/v2.1/os-server-groups", json={"server_group": {
        "name": "g", "policies": ["affinity"]}}).json()["server_group"]
    assert cloud.post("/v2.1/flavors", json={"flavor": {
        "name": "private", "id": "private", "ram": 256, "vcpus": 1,
        "disk": 1, "os-flavor-access:is_public": False}}).status_code == 200
    assert cloud.post("/v2.1/flavors/1/os-extra_specs", json={
        "extra_specs": {"hw:cpu_policy": "shared"}}).status_code == 200
    [act] = cloud.get("/v2.1/servers/%s/os-instance-actions"
                      % sid).json()["instanceActions"]
    return {"sid": sid, "gid": group["id"], "req": act["request_id"]}


# (path, the first microversion that refuses an unknown parameter)
_ROUTES = [
    ("/v2.1/os-keypairs", "2.75"),
    ("/v2.1/os-keypairs/k1", "2.75"),
    ("/v2.1/os-server-groups", "2.75"),
    ("/v2.1/os-server-groups/{gid}", "2.102"),
    ("/v2.1/servers/{sid}/os-instance-actions", "2.58"),
    ("/v2.1/servers/{sid}/os-instance-actions/{req}", "2.102"),
    ("/v2.1/servers/{sid}/tags", "2.102"),
    ("/v2.1/servers/{sid}/tags/t1", "2.102"),
    ("/v2.1/servers/{sid}/metadata", "2.102"),
    ("/v2.1/servers/{sid}/metadata/role", "2.102"),
    ("/v2.1/os-availability-zone", "2.102"),
    ("/v2.1/os-availability-zone/detail", "2.102"),
    ("/v2.1/flavors/1/os-extra_specs", "2.102"),
    ("/v2.1/flavors/1/os-extra_specs/hw:cpu_policy", "2.102"),
    ("/v2.1/flavors/private/os-flavor-access", "2.102"),
]


def test_unknown_query_parameters_are_a_400_from_the_routes_version(
        cloud, things):  # noqa: F811
    for template, strict_from in _ROUTES:
        path = template.format(**things) + "?bogus=1"
        response = cloud.get(path, version=_before(strict_from))
        assert response.status_code in (200, 204), (path, response.text)
        response = cloud.get(path, version=strict_from)
        assert "bogus" in _fault(response, "badRequest", 400), path
        response = cloud.get(path, version="2.104")
        assert "bogus" in _fault(response, "badRequest", 400), path


def test_key_pair_delete_refuses_unknown_parameters_from_2_75(
        cloud, things):  # noqa: F811
    path = "/v2.1/os-keypairs/k1?bogus=1"
    _fault(cloud.delete(path, version="2.75"), "badRequest", 400)
    assert cloud.get("/v2.1/os-keypairs/k1",
                     version="2.75").status_code == 200
    assert cloud.delete(path, version="2.74").status_code == 204


def test_the_parameters_novas_schemas_name_are_accepted(
        cloud, things):  # noqa: F811
    sid = things["sid"]
    for path, version in [
            ("/v2.1/os-keypairs?user_id=admin&limit=1", "2.75"),
            ("/v2.1/os-keypairs?limit=1&marker=k1", "2.75"),
            ("/v2.1/os-keypairs/k1?user_id=admin", "2.75"),
            ("/v2.1/os-server-groups?all_projects=1&limit=5&offset=0",
             "2.75"),
            ("/v2.1/servers/%s/os-instance-actions?limit=5"
             "&changes-since=2020-01-01T00:00:00Z" % sid, "2.58"),
            ("/v2.1/servers/%s/os-instance-actions?changes-before="
             "2099-01-01T00:00:00Z" % sid, "2.66")]:
        response = cloud.get(path, version=version)
        assert response.status_code == 200, (path, response.text)
    # changes-before is a parameter only from 2.66.
    response = cloud.get("/v2.1/servers/%s/os-instance-actions?"
                         "changes-before=2099-01-01T00:00:00Z" % sid,
                         version="2.65")
    assert "changes-before" in _fault(response, "badRequest", 400)

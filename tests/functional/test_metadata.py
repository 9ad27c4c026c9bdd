"""The metadata API: an instance reads its own meta_data.json, chosen by
the address it calls from (or X-Instance-ID when trusted)."""

from __future__ import annotations

import http.client
import json

import pytest
import sqlalchemy as sa

from tests.fixtures import start_api
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.functional.test_api_servers import wait_status
from tests.utils import wait_for


@pytest.fixture
def cloud_on_loopback(conf, request):
    """The private network on 127.0.0.0/24 (made by the first boot on
    'auto'), so that a test can call from an instance's address (Linux
    routes all of 127/8 to lo)."""
    conf.set_override("private_cidr", "127.0.0.0/24", group="network")
    return request.getfixturevalue("cloud")


@pytest.fixture
def metadata(conf, transport, db, launched):
    return start_api(conf, transport, db, launched, name="metadata")


def _get(server, path, source="127.0.0.1", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port,
                                            timeout=10,
                                            source_address=(source, 0))
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _address(server):
    [vif] = server["addresses"]["private"]
    return vif["addr"]


def test_instance_reads_its_own_metadata(cloud_on_loopback, metadata):
    api = cloud_on_loopback
    mine = boot(api, name="Web Server", token=ALICE,
                metadata={"role": "web"}, availability_zone="nova")
    other = boot(api, name="other", token=ALICE)
    mine = wait_status(api, mine["id"], "ACTIVE", token=ALICE)
    other = wait_status(api, other["id"], "ACTIVE", token=ALICE)
    assert _address(mine) != _address(other)
    for version in ("latest", "2012-08-10"):
        status, body = _get(metadata, "/openstack/%s/meta_data.json"
                            % version, source=_address(mine))
        assert status == 200, body
        data = json.loads(body)
        assert data == {"uuid": mine["id"], "name": "Web Server",
                        "hostname": "web-server", "project_id": "p1",
                        "availability_zone": "nova", "launch_index": 0,
                        "meta": {"role": "web"}}
    status, body = _get(metadata, "/openstack/latest/meta_data.json",
                        source=_address(other))
    assert json.loads(body)["uuid"] == other["id"]
    status, body = _get(metadata, "/openstack/latest",
                        source=_address(other))
    assert (status, body) == (200, b"meta_data.json")


def test_unknown_address_and_paths_are_404(cloud_on_loopback, metadata):
    api = cloud_on_loopback
    server = wait_status(api, boot(api)["id"], "ACTIVE")
    # 127.0.0.1 is the network's first address, never an instance's.
    status, _ = _get(metadata, "/openstack/latest/meta_data.json")
    assert status == 404
    source = _address(server)
    for path in ("/openstack/1999-01-01/meta_data.json",
                 "/openstack/latest/user_data", "/ec2/latest"):
        status, _ = _get(metadata, path, source=source)
        assert status == 404, path
    # X-Instance-ID is not trusted unless configured.
    status, _ = _get(metadata, "/openstack/latest/meta_data.json",
                     headers={"X-Instance-ID": server["id"]})
    assert status == 404


def test_deleted_instance_has_no_metadata(cloud_on_loopback, metadata):
    api = cloud_on_loopback
    server = wait_status(api, boot(api)["id"], "ACTIVE")
    assert api.delete("/v2.1/servers/%s" % server["id"]).status_code == 204
    wait_for(lambda: _get(metadata, "/openstack/latest/meta_data.json",
                          source=_address(server))[0] == 404,
             what="the deleted server's metadata to go")


def test_trusted_header_picks_the_instance(conf, cloud_on_loopback,
                                           transport, db, launched):
    conf.set_override("metadata_trust_header", True, group="api")
    metadata = start_api(conf, transport, db, launched, name="metadata")
    api = cloud_on_loopback
    server = boot(api, networks="none")
    status, body = _get(metadata, "/openstack/latest/meta_data.json",
                        headers={"X-Instance-ID": server["id"]})
    assert status == 200, body
    assert json.loads(body)["uuid"] == server["id"]
    status, _ = _get(metadata, "/openstack/latest/meta_data.json",
                     headers={"X-Instance-ID": "nope"})
    assert status == 404


def test_the_address_is_looked_up_through_the_index(cloud_on_loopback,
                                                     metadata, db):
    """One indexed query per request, for a known address and for an
    unknown one alike: the cost does not grow with the instances."""
    api = cloud_on_loopback
    server = wait_status(api, boot(api)["id"], "ACTIVE")
    statements = []

    def record(conn, cursor, statement, parameters, context, many):
        if "instances" in statement:
            statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        status, _ = _get(metadata, "/openstack/latest/meta_data.json",
                         source=_address(server))
        assert status == 200
        status, _ = _get(metadata, "/openstack/latest/meta_data.json")
        assert status == 404
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) == 2, statements
    with db.engine.connect() as connection:
        for statement, parameters in statements:
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters).all()
            details = " ".join(str(row[-1]) for row in plan)
            assert "USING INDEX instances_fixed_ip_deleted_idx" in details, \
                details
            assert "SCAN" not in details, details

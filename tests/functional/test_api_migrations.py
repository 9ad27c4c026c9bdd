"""``GET /v2.1/os-migrations`` over real HTTP (issue 9): the resizes the
servers went through, with Nova's filters, policy and microversion
changes (2.23, 2.59, 2.66, 2.80), judged by Nova's response schemas."""

from __future__ import annotations

import datetime

import openstack
import pytest
from oslo_policy import opts as policy_opts

from tests.fixtures import APIClient
from tests.fixtures import start_api
from tests.functional import test_api_servers as servers_test
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import action
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import wait_status
from tests.functional.test_api_services import _fault

cloud = servers_test.cloud  # the fixture: API, scheduler, one compute
PATH = "/v2.1/os-migrations"


@pytest.fixture
def resized(cloud, conf):
    """Two of alice's servers resized (one confirmed), one of bob's
    still waiting to be confirmed: three migrations, oldest first."""
    conf.set_override("allow_resize_to_same_host", True)
    made = []
    for token, confirm in ((ALICE, True), (ALICE, False), (BOB, False)):
        sid = boot(cloud, token=token, networks="none")["id"]
        wait_status(cloud, sid, "ACTIVE", token=token)
        assert action(cloud, sid, {"resize": {"flavorRef": "2"}},
                      token=token).status_code == 202
        wait_status(cloud, sid, "VERIFY_RESIZE", token=token)
        if confirm:
            assert action(cloud, sid, {"confirmResize": None},
                          token=token).status_code == 204
            wait_status(cloud, sid, "ACTIVE", token=token)
        made.append(sid)
    return made


def _list(api, query="", version=None, token=None):
    response = api.get(PATH + query, version=version, token=token)
    assert response.status_code == 200, response.text
    return response.json()


def test_admins_list_every_resize_with_novas_fields(cloud, resized):
    listed = _list(cloud, version="2.1")["migrations"]
    # Before 2.59: in the order they were made, no type, no uuid.
    assert [m["instance_uuid"] for m in listed] == resized
    first = listed[0]
    assert set(first) == {
        "id", "instance_uuid", "status", "source_compute", "source_node",
        "dest_compute", "dest_host", "dest_node", "old_instance_type_id",
        "new_instance_type_id", "created_at", "updated_at"}
    assert [m["status"] for m in listed] == ["confirmed", "finished",
                                             "finished"]
    assert (first["source_compute"], first["dest_compute"]) == (
        "compute1", "compute1")
    assert first["old_instance_type_id"] != first["new_instance_type_id"]
    assert _list(cloud, version="2.23")["migrations"][0][
        "migration_type"] == "resize"
    # 2.59: newest first, with uuids; 2.80: who started each.
    newest = _list(cloud, version="2.80")["migrations"]
    assert [m["instance_uuid"] for m in newest] == resized[::-1]
    assert len({m["uuid"] for m in newest}) == 3
    assert [(m["user_id"], m["project_id"]) for m in newest] == [
        ("bob", "p2"), ("alice", "p1"), ("alice", "p1")]
    assert "user_id" not in _list(cloud, version="2.79")["migrations"][0]


@pytest.mark.parametrize("query, expected", [
    ("?status=finished", [1, 2]),
    ("?instance_uuid={0}", [0]),
    ("?migration_type=resize", [0, 1, 2]),
    ("?migration_type=live-migration", []),
    ("?host=compute1", [0, 1, 2]),
    ("?source_compute=elsewhere", []),
    ("?hidden=true", []),
    ("?hidden=0", [0, 1, 2]),
    ("?project_id=p2", [2]),
    ("?user_id=alice", [0, 1]),
    ("?bogus=1", [0, 1, 2]),  # ignored before 2.59
])
def test_filters(cloud, resized, query, expected):
    listed = _list(cloud, query.format(*resized), version="2.58")
    assert [m["instance_uuid"] for m in listed["migrations"]] == [
        resized[index] for index in expected]


def test_paging_and_time_filters_from_2_59(cloud, resized):
    page = _list(cloud, "?limit=2", version="2.59")
    assert [m["instance_uuid"] for m in page["migrations"]] == [
        resized[2], resized[1]]
    [link] = page["migrations_links"]
    assert link["rel"] == "next"
    marker = page["migrations"][-1]["uuid"]
    assert "marker=%s" % marker in link["href"]
    rest = _list(cloud, "?limit=2&marker=%s" % marker, version="2.59")
    assert [m["instance_uuid"] for m in rest["migrations"]] == [resized[0]]
    assert "migrations_links" not in rest
    _fault(cloud.get(PATH + "?marker=nope", version="2.59"),
           "badRequest", 400)
    future = (datetime.datetime.now(datetime.timezone.utc)
              + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _list(cloud, "?changes-since=" + future,
                 version="2.59")["migrations"] == []
    # Ignored before 2.59.
    assert len(_list(cloud, "?changes-since=" + future,
                     version="2.58")["migrations"]) == 3
    assert len(_list(cloud, "?changes-before=" + future,
                     version="2.66")["migrations"]) == 3
    for query, version in (("?changes-since=yesterday", "2.59"),
                           ("?limit=-1", "2.59"),
                           ("?limit=1&limit=2", "2.59"),
                           ("?bogus=1", "2.59"),
                           ("?changes-before=" + future, "2.65"),
                           ("?user_id=alice", "2.79"),
                           ("?changes-since=%s&changes-before=2000-01-01"
                            "T00:00:00Z" % future, "2.66")):
        _fault(cloud.get(PATH + query, version=version), "badRequest", 400)


def test_policy_is_novas(cloud, resized, conf, transport, db, launched,
                        tmp_path):
    # Members (and readers) may not list.
    _fault(cloud.get(PATH, token=ALICE), "forbidden", 403)
    # A project's manager may list their own project's migrations,
    # without the hosts; anything else takes an admin. noauth2 tokens
    # carry no manager role, so a second API makes members managers.
    policy_opts.set_defaults(conf)
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"project_manager_api": '
                           '"role:member and project_id:%(project_id)s"\n')
    conf.set_override("policy_file", str(policy_file), group="oslo_policy")
    server = start_api(conf, transport, db, launched)
    managed = APIClient("http://127.0.0.1:%d" % server.port, token=ALICE)
    listed = _list(managed, "?project_id=p1", version="2.80")["migrations"]
    assert [m["instance_uuid"] for m in listed] == resized[1::-1]
    for migration in listed:
        assert migration["project_id"] == "p1"
        assert {migration[key] for key in (
            "source_compute", "source_node", "dest_compute", "dest_host",
            "dest_node")} == {None}
    for query in ("", "?project_id=p2"):
        _fault(managed.get(PATH + query, version="2.80"), "forbidden", 403)
    # Admins see the hosts.
    assert _list(cloud, "?project_id=p1", version="2.80")["migrations"][
        0]["source_compute"] == "compute1"


def test_openstacksdk_lists_migrations(cloud, resized):
    """A real client: openstacksdk's ``compute.migrations`` (the
    ``openstack server migration list`` command's call) negotiates 2.80."""
    connection = openstack.connection.Connection(
        auth_type="admin_token",
        auth={"endpoint": cloud.base_url + "/v2.1", "token": "admin:admin"})
    try:
        found = list(connection.compute.migrations(status="finished"))
        assert [m.server_id for m in found] == [resized[2], resized[1]]
        assert {(m.migration_type, m.user_id) for m in found} == {
            ("resize", "bob"), ("resize", "alice")}
        assert all(len(m.uuid) == 36 for m in found)
        [mine] = connection.compute.migrations(server_id=resized[0])
        assert (mine.status, mine.project_id) == ("confirmed", "p1")
    finally:
        connection.close()

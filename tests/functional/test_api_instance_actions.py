"""``/servers/{id}/os-instance-actions`` over real HTTP (issue 9, RES2):
every action on a server is recorded with its request id, user, project
and times, with the events of the services that did it, as each
microversion shows them."""

from __future__ import annotations

import pytest

from minova.api.openstack import api_version
from tests.functional import test_api_servers as servers_test
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import action
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import wait_status
from tests.functional.test_api_services import _fault
from tests.utils import wait_for

cloud = servers_test.cloud  # the fixture: API, scheduler, one compute


@pytest.fixture(autouse=True)
def _versions_up_to_2_84(monkeypatch):
    monkeypatch.setattr(api_version, "MAX_VERSION", "2.84")


def _actions(api, sid, token=ALICE, version=None, query=""):
    response = api.get("/v2.1/servers/%s/os-instance-actions%s"
                       % (sid, query), token=token, version=version)
    assert response.status_code == 200, response.text
    return response.json()


def _action(api, sid, request_id, token=ALICE, version=None):
    response = api.get("/v2.1/servers/%s/os-instance-actions/%s"
                       % (sid, request_id), token=token, version=version)
    assert response.status_code == 200, response.text
    return response.json()["instanceAction"]


def _finished(api, sid, request_id, event):
    """The action once its compute ``event`` has a result."""
    def done():
        shown = _action(api, sid, request_id, token="admin:admin")
        results = [e["result"] for e in shown["events"]
                   if e["event"] == event]
        return shown if results and results[0] else None
    return wait_for(done, what="event %s of %s" % (event, request_id))


@pytest.fixture
def server(cloud):
    response = cloud.post("/v2.1/servers", token=ALICE, json={"server": {
        "name": "vm", "flavorRef": "1", "imageRef": servers_test.IMAGE}})
    assert response.status_code == 202, response.text
    sid = response.json()["server"]["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    return sid, response.headers["x-openstack-request-id"]


def test_create_and_stop_are_recorded_with_request_user_and_times(
        cloud, server):
    sid, create_id = server
    stop = action(cloud, sid, {"os-stop": None}, token=ALICE)
    assert stop.status_code == 202
    stop_id = stop.headers["x-openstack-request-id"]
    wait_status(cloud, sid, "SHUTOFF", token=ALICE)
    listed = _actions(cloud, sid)["instanceActions"]
    # Newest first.
    assert [(a["action"], a["request_id"]) for a in listed] == [
        ("stop", stop_id), ("create", create_id)]
    for entry in listed:
        assert set(entry) == {"action", "instance_uuid", "request_id",
                              "user_id", "project_id", "start_time",
                              "message"}
        assert (entry["instance_uuid"], entry["user_id"],
                entry["project_id"]) == (sid, "alice", "p1")
        assert entry["start_time"] and entry["message"] is None
    shown = _finished(cloud, sid, stop_id, "compute_stop_instance")
    [event] = shown["events"]
    assert event["result"] == "Success"
    assert event["finish_time"] >= event["start_time"] >= shown[
        "start_time"]
    created = _finished(cloud, sid, create_id,
                        "compute__do_build_and_run_instance")
    assert [e["result"] for e in created["events"]] == ["Success"]


def test_events_for_non_admins_from_2_51_without_tracebacks(cloud, server):
    sid, create_id = server
    wait_for(lambda: _finished(cloud, sid, create_id,
                               "compute__do_build_and_run_instance"),
             what="the build event")
    assert "events" not in _action(cloud, sid, create_id, version="2.50")
    [event] = _action(cloud, sid, create_id, version="2.51")["events"]
    assert set(event) == {"event", "start_time", "finish_time", "result"}
    [event] = _action(cloud, sid, create_id, token="admin:admin",
                      version="2.50")["events"]
    assert "traceback" in event and "host" not in event


def test_host_and_host_id_from_2_62_details_from_2_84(cloud, server):
    sid, create_id = server
    _finished(cloud, sid, create_id, "compute__do_build_and_run_instance")
    [event] = _action(cloud, sid, create_id, token="admin:admin",
                      version="2.62")["events"]
    assert event["host"] == "compute1"
    assert len(event["hostId"]) == 56
    assert "details" not in event
    [event] = _action(cloud, sid, create_id, version="2.62")["events"]
    assert "host" not in event and len(event["hostId"]) == 56
    [event] = _action(cloud, sid, create_id, token="admin:admin",
                      version="2.84")["events"]
    assert "details" in event
    [event] = _action(cloud, sid, create_id, version="2.84")["events"]
    assert "details" not in event


def test_a_failed_step_marks_the_action_with_error(cloud, monkeypatch):
    from minova.virt import fake

    def broken(self, context, instance):
        raise RuntimeError("hypervisor says no")
    monkeypatch.setattr(fake.FakeDriver, "pause", broken)
    sid = boot(cloud, token=ALICE)["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    response = action(cloud, sid, {"pause": None}, token=ALICE)
    request_id = response.headers["x-openstack-request-id"]
    shown = _finished(cloud, sid, request_id, "compute_pause_instance")
    assert shown["message"] == "Error"
    [event] = shown["events"]
    assert event["result"] == "Error"
    assert "hypervisor says no" in event["traceback"]
    assert wait_status(cloud, sid, "ACTIVE", token=ALICE)


def test_paging_and_updated_at_from_2_58(cloud, server):
    sid, create_id = server
    for body in ({"lock": None}, {"unlock": None}, {"lock": None}):
        assert action(cloud, sid, body, token=ALICE).status_code == 202
    old = _actions(cloud, sid, version="2.57", query="?limit=1")
    assert len(old["instanceActions"]) == 4 and "links" not in old
    page = _actions(cloud, sid, version="2.58", query="?limit=2")
    assert [a["action"] for a in page["instanceActions"]] == [
        "lock", "unlock"]
    assert all("updated_at" in a for a in page["instanceActions"])
    [link] = page["links"]
    assert link["rel"] == "next"
    marker = page["instanceActions"][-1]["request_id"]
    assert "marker=%s" % marker in link["href"]
    rest = _actions(cloud, sid, version="2.58",
                    query="?limit=2&marker=%s" % marker)
    assert [a["action"] for a in rest["instanceActions"]] == [
        "lock", "create"]
    last = _actions(cloud, sid, version="2.58",
                    query="?marker=%s" % rest["instanceActions"][-1][
                        "request_id"])
    assert last == {"instanceActions": []}
    future = _actions(cloud, sid, version="2.58",
                      query="?changes-since=2999-01-01T00:00:00Z")
    assert future["instanceActions"] == []
    past = _actions(cloud, sid, version="2.66",
                    query="?changes-before=2000-01-01T00:00:00Z")
    assert past["instanceActions"] == []


@pytest.mark.parametrize("query, version", [
    ("?marker=no-such-request", "2.58"),
    ("?limit=-1", "2.58"),
    ("?limit=x", "2.58"),
    ("?changes-since=yesterday", "2.58"),
    ("?changes-since=2020-01-02T00:00:00Z"
     "&changes-before=2020-01-01T00:00:00Z", "2.66"),
])
def test_bad_paging_is_400(cloud, server, query, version):
    sid, _ = server
    response = cloud.get("/v2.1/servers/%s/os-instance-actions%s"
                         % (sid, query), token=ALICE, version=version)
    _fault(response, "badRequest", 400)


def test_deleted_servers_from_2_21(cloud, server):
    sid, create_id = server
    response = cloud.delete("/v2.1/servers/%s" % sid, token=ALICE)
    assert response.status_code == 204
    delete_id = response.headers["x-openstack-request-id"]
    wait_for(lambda: cloud.get("/v2.1/servers/%s" % sid, token=ALICE)
             .status_code == 404, what="the server to be gone")
    _fault(cloud.get("/v2.1/servers/%s/os-instance-actions" % sid,
                     token=ALICE, version="2.20"), "itemNotFound", 404)
    listed = _actions(cloud, sid, version="2.21")["instanceActions"]
    assert [(a["action"], a["request_id"]) for a in listed] == [
        ("delete", delete_id), ("create", create_id)]
    assert _action(cloud, sid, delete_id, version="2.21")["action"] == \
        "delete"


def test_other_projects_and_unknown_ids_are_404(cloud, server):
    sid, create_id = server
    _fault(cloud.get("/v2.1/servers/%s/os-instance-actions" % sid,
                     token=BOB), "itemNotFound", 404)
    _fault(cloud.get("/v2.1/servers/%s/os-instance-actions/%s"
                     % (sid, create_id), token=BOB), "itemNotFound", 404)
    message = _fault(cloud.get("/v2.1/servers/%s/os-instance-actions/"
                               "req-nope" % sid, token=ALICE),
                     "itemNotFound", 404)
    assert "req-nope" in message
    _fault(cloud.get("/v2.1/servers/%s/os-instance-actions"
                     % "00000000-0000-0000-0000-000000000000"),
           "itemNotFound", 404)
    # An admin sees every project's.
    assert _actions(cloud, sid, token="admin:admin")["instanceActions"]

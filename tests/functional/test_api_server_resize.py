"""Resize with confirm and revert over real HTTP (issue 9, RES2): through
the scheduler, on one host (``allow_resize_to_same_host``) and across
two, with the claims and the hosts' usage after each step."""

from __future__ import annotations

import pytest

from tests.functional import test_api_servers as servers_test
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import action
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import show
from tests.functional.test_api_servers import wait_status
from tests.functional.test_api_services import _fault
from tests.utils import wait_for

cloud = servers_test.cloud  # the fixture: API, scheduler, one compute

TINY, SMALL = 512, 2048  # MiB of flavors 1 and 2


def _used(api):
    """{host: memory_mb_used} as the hypervisors report it."""
    return {h["hypervisor_hostname"]: h["memory_mb_used"]
            for h in api.get("/v2.1/os-hypervisors/detail").json()[
                "hypervisors"]}


def _wait_used(api, expected):
    return wait_for(lambda: _used(api) == expected,
                    what="usage %s (now %s)" % (expected, _used(api)))


@pytest.fixture
def two_hosts(cloud, conf, transport, launched):
    servers_test.start_compute(conf, transport, launched, host="compute2")
    wait_for(lambda: len(_used(cloud)) == 2, what="two compute nodes")
    return cloud


def _server(api):
    sid = boot(api, token=ALICE)["id"]
    wait_status(api, sid, "ACTIVE", token=ALICE)
    return sid


def _host(api, sid):
    return show(api, sid)["OS-EXT-SRV-ATTR:host"]


def test_resize_across_hosts_then_confirm(two_hosts):
    api = two_hosts
    sid = _server(api)
    source = _host(api, sid)
    dest = ({"compute1", "compute2"} - {source}).pop()
    response = action(api, sid, {"resize": {"flavorRef": "2"}}, token=ALICE)
    assert response.status_code == 202, response.text
    shown = wait_status(api, sid, "VERIFY_RESIZE", token=ALICE)
    assert shown["flavor"]["id"] == "2"
    assert _host(api, sid) == dest
    # The new flavor is claimed on the destination, the old one kept on
    # the source until the resize is confirmed.
    _wait_used(api, {source: TINY, dest: SMALL})
    response = action(api, sid, {"confirmResize": None}, token=ALICE)
    assert response.status_code == 204, response.text
    shown = wait_status(api, sid, "ACTIVE", token=ALICE)
    assert shown["OS-EXT-STS:power_state"] == 1
    _wait_used(api, {source: 0, dest: SMALL})
    listed = api.get("/v2.1/servers/detail?flavor=2", token=ALICE).json()
    assert [s["id"] for s in listed["servers"]] == [sid]


def test_resize_across_hosts_then_revert(two_hosts):
    api = two_hosts
    sid = _server(api)
    source = _host(api, sid)
    dest = ({"compute1", "compute2"} - {source}).pop()
    assert action(api, sid, {"resize": {"flavorRef": "2"}},
                  token=ALICE).status_code == 202
    wait_status(api, sid, "VERIFY_RESIZE", token=ALICE)
    _wait_used(api, {source: TINY, dest: SMALL})
    assert action(api, sid, {"revertResize": None},
                  token=ALICE).status_code == 202
    shown = wait_status(api, sid, "ACTIVE", token=ALICE)
    assert shown["flavor"]["id"] == "1"
    assert _host(api, sid) == source
    _wait_used(api, {source: TINY, dest: 0})
    events = api.get("/v2.1/servers/%s/os-instance-actions" % sid,
                     token=ALICE).json()["instanceActions"]
    assert [e["action"] for e in events] == ["revertResize", "resize",
                                             "create"]


def test_resize_on_one_host_needs_allow_resize_to_same_host(cloud, conf):
    sid = _server(cloud)
    assert action(cloud, sid, {"resize": {"flavorRef": "2"}},
                  token=ALICE).status_code == 202
    # Its own host is left out: no valid host, the server stays as it
    # was, with a fault saying why.
    shown = wait_for(lambda: (lambda s: s if s["OS-EXT-STS:task_state"]
                              is None else None)(show(cloud, sid)),
                     what="the resize to fail")
    assert shown["status"] == "ACTIVE"
    assert shown["flavor"]["id"] == "1"
    conf.set_override("allow_resize_to_same_host", True)
    assert action(cloud, sid, {"resize": {"flavorRef": "2"}},
                  token=ALICE).status_code == 202
    wait_status(cloud, sid, "VERIFY_RESIZE", token=ALICE)
    # Both flavors are held on the one host until the confirm.
    _wait_used(cloud, {"compute1": TINY + SMALL})
    assert action(cloud, sid, {"confirmResize": None},
                  token=ALICE).status_code == 204
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    _wait_used(cloud, {"compute1": SMALL})
    # And back down, reverted: the old flavor is its own again.
    assert action(cloud, sid, {"resize": {"flavorRef": "1"}},
                  token=ALICE).status_code == 202
    wait_status(cloud, sid, "VERIFY_RESIZE", token=ALICE)
    _wait_used(cloud, {"compute1": TINY + SMALL})
    assert action(cloud, sid, {"revertResize": None},
                  token=ALICE).status_code == 202
    shown = wait_status(cloud, sid, "ACTIVE", token=ALICE)
    assert shown["flavor"]["id"] == "2"
    _wait_used(cloud, {"compute1": SMALL})


def test_a_stopped_server_resizes_and_stays_stopped(cloud, conf):
    conf.set_override("allow_resize_to_same_host", True)
    sid = _server(cloud)
    assert action(cloud, sid, {"os-stop": None},
                  token=ALICE).status_code == 202
    wait_status(cloud, sid, "SHUTOFF", token=ALICE)
    assert action(cloud, sid, {"resize": {"flavorRef": "2"}},
                  token=ALICE).status_code == 202
    shown = wait_status(cloud, sid, "VERIFY_RESIZE", token=ALICE)
    assert shown["OS-EXT-STS:power_state"] == 4
    assert action(cloud, sid, {"confirmResize": None},
                  token=ALICE).status_code == 204
    wait_status(cloud, sid, "SHUTOFF", token=ALICE)


def test_resize_state_checks_and_bad_input(cloud, conf):
    conf.set_override("allow_resize_to_same_host", True)
    sid = _server(cloud)
    for body in ({"confirmResize": None}, {"revertResize": None}):
        _fault(action(cloud, sid, body, token=ALICE),
               "conflictingRequest", 409)
    message = _fault(action(cloud, sid, {"resize": {"flavorRef": "1"}},
                            token=ALICE), "badRequest", 400)
    assert "must change flavor" in message
    _fault(action(cloud, sid, {"resize": {"flavorRef": "nope"}},
                  token=ALICE), "badRequest", 400)
    _fault(action(cloud, sid, {"resize": {}}, token=ALICE),
           "badRequest", 400)
    _fault(action(cloud, sid, {"resize": {"flavorRef": "2", "x": 1}},
                  token=ALICE), "badRequest", 400)
    assert action(cloud, sid, {"resize": {"flavorRef": "2"}},
                  token=ALICE).status_code == 202
    wait_status(cloud, sid, "VERIFY_RESIZE", token=ALICE)
    for body in ({"resize": {"flavorRef": "3"}}, {"os-stop": None},
                 {"pause": None}, {"rebuild": {
                     "imageRef": servers_test.IMAGE}}):
        _fault(action(cloud, sid, body, token=ALICE),
               "conflictingRequest", 409)
    # Deleting a server waiting for confirmation ends the resize.
    assert cloud.delete("/v2.1/servers/%s" % sid,
                        token=ALICE).status_code == 204


def test_resize_over_quota_is_403(cloud, conf):
    conf.set_override("allow_resize_to_same_host", True)
    sid = _server(cloud)
    cloud.put("/v2.1/os-quota-sets/p1",
              json={"quota_set": {"ram": TINY + 1000}})
    message = _fault(action(cloud, sid, {"resize": {"flavorRef": "2"}},
                            token=ALICE), "forbidden", 403)
    assert "ram" in message
    assert show(cloud, sid)["OS-EXT-STS:task_state"] is None

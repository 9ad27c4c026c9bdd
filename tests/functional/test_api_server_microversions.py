"""Microversions 2.48..2.104 of the servers API over real HTTP, with every
service running in process."""

from __future__ import annotations

import datetime

import pytest

from minova.db import server_groups as db_groups
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.functional.test_api_servers import show
from tests.functional.test_api_servers import wait_status
from tests.functional.test_api_services import _fault

ALICE = "alice:p1"


def test_server_view_fields_by_microversion(cloud):  # noqa: F811
    created = boot(cloud, token=ALICE)
    sid = created["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    old = show(cloud, sid, token=ALICE, version="2.62")
    for key in ("trusted_image_certificates", "locked_reason",
                "server_groups", "pinned_availability_zone",
                "scheduler_hints", "OS-EXT-SRV-ATTR:hostname"):
        assert key not in old
    assert "properties" not in old["image"]
    new = show(cloud, sid, token=ALICE, version="2.100")
    assert new["trusted_image_certificates"] is None
    assert new["locked_reason"] is None
    assert new["server_groups"] == []
    # A user sees the hostname from 2.90, whatever the policy.
    assert new["OS-EXT-SRV-ATTR:hostname"] == "vm"
    # Booted without a zone: pinned to none (Nova's request spec has
    # none), though it is in one.
    assert new["pinned_availability_zone"] is None
    assert new["OS-EXT-AZ:availability_zone"] == "nova"
    assert new["image"]["properties"] == {}
    assert new["scheduler_hints"] == {}
    # The list leaves server groups out, as Nova's does.
    [listed] = cloud.get("/v2.1/servers/detail", token=ALICE,
                         version="2.100").json()["servers"]
    assert "server_groups" not in listed
    assert listed["scheduler_hints"] == {}
    for address in [a for ips in new["addresses"].values() for a in ips]:
        assert address["OS-EXT-IPS-MAC:mac_addr"].startswith("fa:16:3e:")


def test_update_view_is_the_whole_server_from_2_75(cloud):  # noqa: F811
    sid = boot(cloud, token=ALICE)["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    path = "/v2.1/servers/%s" % sid
    short = cloud.put(path, json={"server": {"name": "a"}}, token=ALICE,
                      version="2.74").json()["server"]
    assert "OS-EXT-STS:vm_state" not in short
    for ips in short["addresses"].values():
        assert all(set(ip) == {"addr", "version"} for ip in ips)
    whole = cloud.put(path, json={"server": {"name": "b"}}, token=ALICE,
                      version="2.75").json()["server"]
    assert whole["name"] == "b"
    assert whole["OS-EXT-STS:vm_state"] == "active"
    assert whole["server_groups"] == []


def test_hostname_at_create_and_update_from_2_90(cloud):  # noqa: F811
    response = cloud.post("/v2.1/servers", version="2.89", json={
        "server": {"name": "vm", "flavorRef": "1", "networks": "none",
                   "imageRef": "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f",
                   "hostname": "web-1"}})
    assert "hostname" in _fault(response, "badRequest", 400)
    sid = boot(cloud, version="2.90", networks="none",
               hostname="web-1")["id"]
    assert show(cloud, sid, version="2.90")[
        "OS-EXT-SRV-ATTR:hostname"] == "web-1"
    # An FQDN only from 2.94.
    path = "/v2.1/servers/%s" % sid
    response = cloud.put(path, json={"server": {"hostname": "a.example"}},
                         version="2.93")
    _fault(response, "badRequest", 400)
    updated = cloud.put(path, json={"server": {"hostname": "a.example"}},
                        version="2.94").json()["server"]
    assert updated["OS-EXT-SRV-ATTR:hostname"] == "a.example"
    response = cloud.post("/v2.1/servers", version="2.90", json={
        "server": {"name": "vm", "flavorRef": "1", "networks": "none",
                   "imageRef": "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f",
                   "hostname": "web", "max_count": 2}})
    assert "single hostname" in _fault(response, "badRequest", 400)


def test_changes_before_from_2_66(cloud):  # noqa: F811
    sid = boot(cloud, networks="none")["id"]
    wait_status(cloud, sid, "ACTIVE")
    past = (datetime.datetime.now(datetime.timezone.utc)
            - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def ids(query, version):
        response = cloud.get("/v2.1/servers?" + query, version=version)
        assert response.status_code == 200, response.text
        return [s["id"] for s in response.json()["servers"]]

    assert ids("changes-before=" + past, "2.66") == []
    assert ids("changes-before=" + past, "2.65") == [sid]
    response = cloud.get("/v2.1/servers?changes-since=2099-01-01T00:00:00Z"
                         "&changes-before=" + past, version="2.66")
    _fault(response, "badRequest", 400)


def test_locked_filter_from_2_73(cloud):  # noqa: F811
    sid = boot(cloud, networks="none")["id"]
    listed = cloud.get("/v2.1/servers?locked=false", version="2.73").json()
    assert [s["id"] for s in listed["servers"]] == [sid]
    listed = cloud.get("/v2.1/servers?locked=true", version="2.73").json()
    assert listed["servers"] == []
    _fault(cloud.get("/v2.1/servers?locked=maybe", version="2.73"),
           "badRequest", 400)


@pytest.mark.parametrize("query", ["bogus=1", "sort_key=display_name&x=1"])
def test_unknown_server_list_parameters_from_2_75(cloud, query):  # noqa: F811
    assert cloud.get("/v2.1/servers?" + query,
                     version="2.74").status_code == 200
    response = cloud.get("/v2.1/servers?" + query, version="2.75")
    _fault(response, "badRequest", 400)
    # Nova's own filters are not unknown, applied or not.
    assert cloud.get("/v2.1/servers?ip=10.0.0.1&tags=a",
                     version="2.75").status_code == 200


# 2.100: the scheduler hints a server was booted with -------------------------

def test_scheduler_hints_show_the_group_from_2_100(cloud,  # noqa: F811
                                                    monkeypatch):
    group = cloud.post("/v2.1/os-server-groups", token=ALICE, json={
        "server_group": {"name": "g", "policies": ["affinity"]}}).json()[
        "server_group"]["id"]
    response = cloud.post("/v2.1/servers", token=ALICE, json={
        "server": {"name": "in", "flavorRef": "1", "networks": "none",
                   "imageRef": "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f"},
        "os:scheduler_hints": {"group": group}})
    assert response.status_code == 202, response.text
    grouped = response.json()["server"]["id"]
    alone = boot(cloud, token=ALICE, name="out", networks="none")["id"]
    wait_status(cloud, grouped, "ACTIVE", token=ALICE)
    # Nova's request spec keeps every hint as a list, and shows it so.
    shown = show(cloud, grouped, token=ALICE, version="2.100")
    assert shown["scheduler_hints"] == {"group": [group]}
    assert shown["server_groups"] == [group]
    assert show(cloud, alone, token=ALICE,
                version="2.100")["scheduler_hints"] == {}
    assert "scheduler_hints" not in show(cloud, grouped, token=ALICE,
                                         version="2.99")
    updated = cloud.put("/v2.1/servers/%s" % grouped, token=ALICE,
                        version="2.100", json={"server": {"name": "in2"}})
    assert updated.json()["server"]["scheduler_hints"] == {"group": [group]}

    # The list reads every server's groups in one query, not one each.
    def one_by_one(*args):
        raise AssertionError("a query per server")
    monkeypatch.setattr(db_groups, "groups_of", one_by_one)
    listed = cloud.get("/v2.1/servers/detail", token=ALICE,
                       version="2.100").json()["servers"]
    hints = {s["id"]: s["scheduler_hints"] for s in listed}
    assert hints == {grouped: {"group": [group]}, alone: {}}
    # A deleted group's hint goes with it, as in Nova.
    monkeypatch.undo()
    assert cloud.delete("/v2.1/os-server-groups/%s" % group,
                        token=ALICE).status_code == 204
    assert show(cloud, grouped, token=ALICE,
                version="2.100")["scheduler_hints"] == {}


# The answer of a rebuild, per microversion (Nova's _rebuild) ---------------

_SHORT = {"id", "name", "links", "status", "tenant_id", "user_id",
          "metadata", "hostId", "image", "flavor", "created", "updated",
          "addresses", "accessIPv4", "accessIPv6", "OS-DCF:diskConfig",
          "progress", "locked", "description", "tags"}


def test_rebuild_answers_novas_view_for_the_microversion(cloud):  # noqa: F811
    sid = boot(cloud, token=ALICE)["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)

    def rebuilt(version, token=ALICE):
        response = cloud.post("/v2.1/servers/%s/action" % sid, token=token,
                              version=version,
                              json={"rebuild": {"imageRef": IMAGE}})
        assert response.status_code == 202, response.text
        wait_status(cloud, sid, "ACTIVE", token=ALICE)
        view = response.json()["server"]
        # minova sets no passwords: never an adminPass, as Nova with
        # [api] enable_instance_password = False.
        assert "adminPass" not in view
        return view

    # Before 2.75 the update's shorter view ...
    view = rebuilt("2.53")
    assert set(view) == _SHORT
    for ips in view["addresses"].values():
        assert all(set(ip) == {"addr", "version"} for ip in ips)
    # ... with the key pair from 2.54 and user_data from 2.57.
    assert set(rebuilt("2.54")) == _SHORT | {"key_name"}
    view = rebuilt("2.74")
    assert set(view) == _SHORT | {"key_name", "user_data",
                                  "trusted_image_certificates",
                                  "server_groups", "locked_reason"}
    assert (view["key_name"], view["user_data"]) == (None, None)
    # From 2.75 everything a show has (for an admin too), but the
    # extended user_data attribute: the answer's own user_data instead.
    view = rebuilt("2.75", token=None)
    whole = show(cloud, sid, version="2.75")
    assert set(view) == set(whole) - {"OS-EXT-SRV-ATTR:user_data"} \
        | {"user_data"}
    assert view["OS-EXT-STS:vm_state"] == "active"
    assert view["OS-EXT-SRV-ATTR:host"] == "compute1"
    view = rebuilt("2.100")
    assert view["scheduler_hints"] == {}
    assert view["user_data"] is None

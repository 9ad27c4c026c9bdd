"""``/os-server-groups`` and boots into groups over real HTTP (issue 9,
RES2): the API per microversion, its quotas, and the scheduler honouring
each policy across several fake compute hosts."""

from __future__ import annotations

import pytest

from minova.api.openstack import api_version
from tests.functional import test_api_servers as servers_test
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import show
from tests.functional.test_api_servers import wait_status
from tests.functional.test_api_services import _fault
from tests.utils import wait_for

cloud = servers_test.cloud  # the fixture: API, scheduler, one compute


@pytest.fixture(autouse=True)
def _versions_up_to_2_84(monkeypatch):
    monkeypatch.setattr(api_version, "MAX_VERSION", "2.84")


def _create(api, version=None, token=ALICE, **group):
    response = api.post("/v2.1/os-server-groups", token=token,
                        version=version, json={"server_group": group})
    assert response.status_code == 200, response.text
    return response.json()["server_group"]


def _boot(api, group_id, token=ALICE, **server):
    body = {"name": "vm", "flavorRef": "1", "imageRef": IMAGE}
    body.update(server)
    return api.post("/v2.1/servers", token=token, json={
        "server": body, "os:scheduler_hints": {"group": group_id}})


def _booted(api, group_id, **server):
    response = _boot(api, group_id, **server)
    assert response.status_code == 202, response.text
    return response.json()["server"]["id"]


def _host(api, sid):
    return show(api, sid)["OS-EXT-SRV-ATTR:host"]


@pytest.fixture
def hosts(cloud, conf, transport, launched):  # noqa: F811
    """Three computes: compute1 (the cloud's), compute2, compute3."""
    for host in ("compute2", "compute3"):
        servers_test.start_compute(conf, transport, launched, host=host)
    wait_for(lambda: len(cloud.get("/v2.1/os-hypervisors").json()[
        "hypervisors"]) == 3, what="three compute nodes")
    return cloud


def test_create_show_list_delete_per_microversion(cloud):
    old = _create(cloud, name="g1", policies=["anti-affinity"])
    assert set(old) == {"id", "name", "policies", "members", "metadata"}
    assert (old["policies"], old["members"], old["metadata"]) == (
        ["anti-affinity"], [], {})
    new = _create(cloud, version="2.64", name="g2", policy="anti-affinity",
                  rules={"max_server_per_host": 2})
    assert set(new) == {"id", "name", "policy", "rules", "members",
                        "project_id", "user_id"}
    assert (new["policy"], new["rules"], new["project_id"],
            new["user_id"]) == ("anti-affinity",
                                {"max_server_per_host": 2}, "p1", "alice")
    shown = cloud.get("/v2.1/os-server-groups/%s" % new["id"], token=ALICE,
                      version="2.13").json()["server_group"]
    assert shown["policies"] == ["anti-affinity"]
    assert shown["project_id"] == "p1"
    listed = cloud.get("/v2.1/os-server-groups", token=ALICE).json()
    assert [g["id"] for g in listed["server_groups"]] == [old["id"],
                                                         new["id"]]
    assert cloud.get("/v2.1/os-server-groups", token=BOB).json() == {
        "server_groups": []}
    _fault(cloud.get("/v2.1/os-server-groups/%s" % new["id"], token=BOB),
           "itemNotFound", 404)
    _fault(cloud.delete("/v2.1/os-server-groups/%s" % new["id"],
                        token=BOB), "itemNotFound", 404)
    # An admin lists every project's with all_projects; a user may not.
    every = cloud.get("/v2.1/os-server-groups?all_projects=True").json()
    assert len(every["server_groups"]) == 2
    _fault(cloud.get("/v2.1/os-server-groups?all_projects=True",
                     token=ALICE), "forbidden", 403)
    page = cloud.get("/v2.1/os-server-groups?limit=1&offset=1",
                     token=ALICE).json()["server_groups"]
    assert [g["id"] for g in page] == [new["id"]]
    assert cloud.delete("/v2.1/os-server-groups/%s" % old["id"],
                        token=ALICE).status_code == 204
    _fault(cloud.get("/v2.1/os-server-groups/%s" % old["id"], token=ALICE),
           "itemNotFound", 404)


@pytest.mark.parametrize("version, group", [
    (None, {"name": "g", "policies": ["soft-affinity"]}),   # 2.15
    ("2.15", {"name": "g", "policies": ["affinity", "anti-affinity"]}),
    ("2.15", {"name": "g", "policies": []}),
    ("2.15", {"name": "g", "policies": ["nope"]}),
    ("2.15", {"name": "g", "policy": "affinity"}),
    ("2.64", {"name": "g", "policies": ["affinity"]}),
    ("2.64", {"name": "g", "policy": "affinity",
              "rules": {"max_server_per_host": 2}}),
    ("2.64", {"name": "g", "policy": "anti-affinity",
              "rules": {"max_server_per_host": 0}}),
    ("2.64", {"name": "g", "policy": "anti-affinity",
              "rules": {"other": 1}}),
    ("2.64", {"name": "", "policy": "affinity"}),
    ("2.64", {"policy": "affinity"}),
])
def test_bad_groups_are_400(cloud, version, group):
    _fault(cloud.post("/v2.1/os-server-groups", token=ALICE,
                      version=version, json={"server_group": group}),
           "badRequest", 400)


def test_soft_policies_from_2_15(cloud):
    group = _create(cloud, version="2.15", name="g",
                    policies=["soft-anti-affinity"])
    assert group["policies"] == ["soft-anti-affinity"]


def test_server_groups_quota(cloud):
    cloud.put("/v2.1/os-quota-sets/p1",
              json={"quota_set": {"server_groups": 1,
                                  "server_group_members": 1}})
    group = _create(cloud, name="g", policies=["affinity"])
    message = _fault(cloud.post("/v2.1/os-server-groups", token=ALICE,
                                json={"server_group": {
                                    "name": "g2",
                                    "policies": ["affinity"]}}),
                     "forbidden", 403)
    assert "too many server groups" in message
    detail = cloud.get("/v2.1/os-quota-sets/p1/detail",
                       token=ALICE).json()["quota_set"]
    assert detail["server_groups"]["in_use"] == 1
    _booted(cloud, group["id"])
    _fault(_boot(cloud, group["id"]), "forbidden", 403)
    servers = cloud.get("/v2.1/servers", token=ALICE).json()["servers"]
    assert len(servers) == 1  # the refused boot left nothing behind


def test_boot_into_an_unknown_or_foreign_group_is_400(cloud):
    group = _create(cloud, token=BOB, name="g", policies=["affinity"])
    for group_id in (group["id"], "00000000-0000-0000-0000-000000000000"):
        _fault(_boot(cloud, group_id), "badRequest", 400)
    _fault(cloud.post("/v2.1/servers", token=ALICE, json={
        "server": {"name": "vm", "flavorRef": "1", "imageRef": IMAGE},
        "os:scheduler_hints": {"same_host": ["x"]}}), "badRequest", 400)


def test_members_and_server_groups_in_the_view_from_2_71(cloud):
    group = _create(cloud, name="g", policies=["affinity"])
    sid = _booted(cloud, group["id"])
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    shown = cloud.get("/v2.1/os-server-groups/%s" % group["id"],
                      token=ALICE).json()["server_group"]
    assert shown["members"] == [sid]
    assert show(cloud, sid, token=ALICE, version="2.71")[
        "server_groups"] == [group["id"]]
    assert "server_groups" not in show(cloud, sid, token=ALICE,
                                       version="2.70")
    renamed = cloud.put("/v2.1/servers/%s" % sid, token=ALICE,
                        version="2.71", json={"server": {"name": "x"}})
    assert renamed.json()["server"]["server_groups"] == [group["id"]]
    listed = cloud.get("/v2.1/servers/detail", token=ALICE,
                       version="2.71").json()["servers"]
    assert "server_groups" not in listed[0]
    assert cloud.delete("/v2.1/servers/%s" % sid,
                        token=ALICE).status_code == 204
    wait_for(lambda: cloud.get("/v2.1/os-server-groups/%s" % group["id"],
                               token=ALICE).json()["server_group"][
        "members"] == [], what="the deleted server to leave the group")


def test_anti_affinity_spreads_then_no_valid_host(hosts):
    group = _create(hosts, name="g", policies=["anti-affinity"])
    sids = [_booted(hosts, group["id"]) for _ in range(3)]
    for sid in sids:
        wait_status(hosts, sid, "ACTIVE", token=ALICE)
    assert sorted(_host(hosts, sid) for sid in sids) == [
        "compute1", "compute2", "compute3"]
    fourth = _booted(hosts, group["id"])
    failed = wait_status(hosts, fourth, "ERROR", token=ALICE)
    assert "No valid host" in failed["fault"]["message"]


def test_anti_affinity_max_server_per_host(hosts):
    group = _create(hosts, version="2.64", name="g",
                    policy="anti-affinity",
                    rules={"max_server_per_host": 2})
    sids = [_booted(hosts, group["id"]) for _ in range(6)]
    for sid in sids:
        wait_status(hosts, sid, "ACTIVE", token=ALICE)
    placed = [_host(hosts, sid) for sid in sids]
    assert sorted(placed.count(h) for h in set(placed)) == [2, 2, 2]
    failed = wait_status(hosts, _booted(hosts, group["id"]), "ERROR",
                         token=ALICE)
    assert "No valid host" in failed["fault"]["message"]


def test_affinity_keeps_them_together_even_in_one_request(hosts):
    group = _create(hosts, name="g", policies=["affinity"])
    response = _boot(hosts, group["id"], min_count=3, max_count=3)
    assert response.status_code == 202, response.text
    members = wait_for(lambda: (lambda m: m if len(m) == 3 else None)(
        hosts.get("/v2.1/os-server-groups/%s" % group["id"],
                  token=ALICE).json()["server_group"]["members"]),
        what="three members")
    for sid in members:
        wait_status(hosts, sid, "ACTIVE", token=ALICE)
    later = _booted(hosts, group["id"])
    wait_status(hosts, later, "ACTIVE", token=ALICE)
    assert len({_host(hosts, sid) for sid in members + [later]}) == 1


def test_affinity_with_a_full_host_is_no_valid_host(hosts, conf):
    group = _create(hosts, name="g", policies=["affinity"])
    first = _booted(hosts, group["id"])
    wait_status(hosts, first, "ACTIVE", token=ALICE)
    # A flavor that fits an empty host but not compute1 with "first".
    vcpus = conf.fake_driver.vcpus * conf.cpu_allocation_ratio
    hosts.put("/v2.1/os-quota-sets/p1", json={"quota_set": {
        "instances": -1, "cores": -1, "ram": -1,
        "server_group_members": -1}})
    flavor = hosts.post("/v2.1/flavors", json={"flavor": {
        "name": "huge", "ram": 1, "vcpus": int(vcpus), "disk": 0}}).json()
    failed = wait_status(hosts, _booted(hosts, group["id"],
                                        flavorRef=flavor["flavor"]["id"]),
                         "ERROR", token=ALICE)
    assert "No valid host" in failed["fault"]["message"]


@pytest.mark.parametrize("policy, together", [("soft-affinity", True),
                                              ("soft-anti-affinity", False)])
def test_soft_policies_weigh_hosts(hosts, conf, policy, together):
    # The other weighers pull the other way: spreading (free RAM and
    # vCPUs) against soft-affinity, stacking against soft-anti-affinity.
    for name in ("soft_affinity_weight_multiplier",
                 "soft_anti_affinity_weight_multiplier"):
        conf.set_override(name, 10.0, group="filter_scheduler")
    if not together:
        for name in ("ram_weight_multiplier", "cpu_weight_multiplier"):
            conf.set_override(name, -1.0, group="filter_scheduler")
    group = _create(hosts, version="2.15", name="g", policies=[policy])
    placed = []
    for _ in range(4):
        # One after the other: a server still being scheduled has no
        # host the next one could be weighed against.
        sid = _booted(hosts, group["id"])
        wait_status(hosts, sid, "ACTIVE", token=ALICE)
        placed.append(_host(hosts, sid))
    if together:
        assert len(set(placed)) == 1
    else:
        # Spread over all three, and a fourth still fits (soft).
        assert len(set(placed[:3])) == 3

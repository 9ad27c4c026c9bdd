"""Quotas over real HTTP: os-quota-sets, os-quota-class-sets, /limits
and their enforcement on POST /servers, with every service running."""

from __future__ import annotations

import pytest

from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.functional.test_api_services import _fault

NOVA_DEFAULTS = {
    "instances": 10, "cores": 20, "ram": 51200, "metadata_items": 128,
    "injected_files": 5, "injected_file_content_bytes": 10240,
    "injected_file_path_bytes": 255, "key_pairs": 100,
    "server_groups": 10, "server_group_members": 10,
}
NETWORK = {"fixed_ips": -1, "floating_ips": -1, "security_groups": -1,
           "security_group_rules": -1}


def post_servers(api, token=ALICE, **server):
    body = {"name": "vm", "flavorRef": "1", "imageRef": IMAGE}
    body.update(server)
    return api.post("/v2.1/servers", json={"server": body}, token=token)


def count_servers(api, token=ALICE):
    response = api.get("/v2.1/servers", token=token)
    assert response.status_code == 200, response.text
    return len(response.json()["servers"])


def set_quota(api, project, **limits):
    response = api.put("/v2.1/os-quota-sets/%s" % project,
                       json={"quota_set": limits})
    assert response.status_code == 200, response.text
    return response.json()["quota_set"]


# os-quota-sets --------------------------------------------------------------

def test_a_project_has_novas_default_quotas(api):
    response = api.get("/v2.1/os-quota-sets/p1", token=ALICE)
    assert response.status_code == 200, response.text
    assert response.json() == {"quota_set": dict(
        NOVA_DEFAULTS, **NETWORK, id="p1")}
    # 2.36: nova-network's leave.
    response = api.get("/v2.1/os-quota-sets/p1", token=ALICE,
                       version="2.36")
    assert response.json() == {"quota_set": dict(NOVA_DEFAULTS, id="p1")}
    response = api.get("/v2.1/os-quota-sets/p1/defaults", token=ALICE,
                       version="2.36")
    assert response.json() == {"quota_set": dict(NOVA_DEFAULTS, id="p1")}


def test_users_see_their_own_projects_quotas_only(api):
    _fault(api.get("/v2.1/os-quota-sets/p2", token=ALICE), "forbidden",
           403)
    _fault(api.get("/v2.1/os-quota-sets/p2/detail", token=ALICE),
           "forbidden", 403)
    # The defaults are anyone's to see, as in Nova.
    assert api.get("/v2.1/os-quota-sets/p2/defaults",
                   token=ALICE).status_code == 200
    assert api.get("/v2.1/os-quota-sets/p2").status_code == 200


def test_admins_change_and_revert_a_projects_quotas(api):
    body = set_quota(api, "p1", instances="3", cores=-1, force=False)
    assert "id" not in body
    assert (body["instances"], body["cores"], body["ram"]) == (3, -1, 51200)
    shown = api.get("/v2.1/os-quota-sets/p1", token=ALICE).json()
    assert shown["quota_set"]["instances"] == 3
    # Another project is untouched.
    assert api.get("/v2.1/os-quota-sets/p2").json()["quota_set"][
        "instances"] == 10
    _fault(api.put("/v2.1/os-quota-sets/p1", token=ALICE,
                   json={"quota_set": {"instances": 50}}), "forbidden", 403)
    _fault(api.delete("/v2.1/os-quota-sets/p1", token=ALICE), "forbidden",
           403)
    response = api.delete("/v2.1/os-quota-sets/p1")
    assert response.status_code == 202, response.text
    assert api.get("/v2.1/os-quota-sets/p1").json()["quota_set"][
        "instances"] == 10


@pytest.mark.parametrize("limits, field", [
    ({"instances": -2}, "quota_set/instances"),
    ({"instances": "-2"}, "instances"),
    ({"instances": "ten"}, "quota_set/instances"),
    ({"instances": 2 ** 31}, "quota_set/instances"),
    ({"instances": "2147483648"}, "instances"),
    ({"bananas": 1}, "quota_set"),
    ({"force": "maybe"}, "quota_set/force"),
])
def test_bad_quota_values_are_a_400_naming_the_field(api, limits, field):
    message = _fault(api.put("/v2.1/os-quota-sets/p1",
                             json={"quota_set": limits}), "badRequest", 400)
    assert field in message
    assert api.get("/v2.1/os-quota-sets/p1").json()["quota_set"][
        "instances"] == 10


def test_network_quotas_leave_the_update_in_2_36(api):
    assert api.put("/v2.1/os-quota-sets/p1", json={
        "quota_set": {"floating_ips": 5}}).status_code == 200
    _fault(api.put("/v2.1/os-quota-sets/p1", version="2.36", json={
        "quota_set": {"floating_ips": 5}}), "badRequest", 400)
    message = _fault(api.put("/v2.1/os-quota-sets/p1", json={
        "quota_set": {"networks": 5}}), "badRequest", 400)
    assert "networks" in message


def test_per_user_quotas_are_refused_not_applied_to_the_project(api):
    message = _fault(api.put("/v2.1/os-quota-sets/p1?user_id=alice",
                             json={"quota_set": {"instances": 1}}),
                     "badRequest", 400)
    assert "user_id" in message
    assert api.get("/v2.1/os-quota-sets/p1").json()["quota_set"][
        "instances"] == 10


def test_a_limit_below_usage_is_a_400_unless_forced(cloud):  # noqa: F811
    boot(cloud, token=ALICE, min_count=2, max_count=2)
    message = _fault(cloud.put("/v2.1/os-quota-sets/p1", json={
        "quota_set": {"instances": 1}}), "badRequest", 400)
    assert message == ("Quota limit 1 for instances must be greater than "
                       "or equal to already used and reserved 2.")
    assert set_quota(cloud, "p1", instances=1, force=True)[
        "instances"] == 1
    assert set_quota(cloud, "p1", instances=-1)["instances"] == -1


def test_detail_shows_usage_and_limits(cloud):  # noqa: F811
    boot(cloud, token=ALICE, flavorRef="3", min_count=2, max_count=2)
    boot(cloud, token=BOB)
    response = cloud.get("/v2.1/os-quota-sets/p1/detail", token=ALICE)
    assert response.status_code == 200, response.text
    detail = response.json()["quota_set"]
    assert detail["id"] == "p1"
    assert detail["instances"] == {"in_use": 2, "limit": 10, "reserved": 0}
    assert detail["cores"] == {"in_use": 4, "limit": 20, "reserved": 0}
    assert detail["ram"] == {"in_use": 8192, "limit": 51200, "reserved": 0}
    assert detail["key_pairs"] == {"in_use": 0, "limit": 100, "reserved": 0}


# os-quota-class-sets ----------------------------------------------------

def test_the_default_class_overrides_the_configured_defaults(api):
    response = api.get("/v2.1/os-quota-class-sets/default")
    assert response.status_code == 200, response.text
    shown = dict(NOVA_DEFAULTS, **NETWORK, id="default")
    # Before 2.50, as Nova: no server group quotas in a class.
    del shown["server_groups"], shown["server_group_members"]
    assert response.json() == {"quota_class_set": shown}
    response = api.put("/v2.1/os-quota-class-sets/default", json={
        "quota_class_set": {"instances": 4, "server_groups": 3}})
    assert response.status_code == 200, response.text
    body = response.json()["quota_class_set"]
    assert "id" not in body and body["instances"] == 4
    for path in ("/v2.1/os-quota-sets/p1/defaults",
                 "/v2.1/os-quota-sets/p1"):
        quota_set = api.get(path, token=ALICE).json()["quota_set"]
        assert (quota_set["instances"], quota_set["server_groups"]) == (4, 3)
    # A project's own quota still wins over the class.
    set_quota(api, "p1", instances=6)
    assert api.get("/v2.1/os-quota-sets/p1").json()["quota_set"][
        "instances"] == 6
    assert api.get("/v2.1/limits", token=BOB).json()["limits"]["absolute"][
        "maxTotalInstances"] == 4


def test_only_admins_see_or_change_quota_classes(api):
    _fault(api.get("/v2.1/os-quota-class-sets/default", token=ALICE),
           "forbidden", 403)
    _fault(api.put("/v2.1/os-quota-class-sets/default", token=ALICE,
                   json={"quota_class_set": {"instances": 100}}),
           "forbidden", 403)
    assert api.get("/v2.1/os-quota-sets/p1/defaults").json()["quota_set"][
        "instances"] == 10


# /limits ------------------------------------------------------------------

def test_limits_show_the_projects_quotas_and_usage(cloud):  # noqa: F811
    set_quota(cloud, "p1", instances=7, metadata_items=3)
    boot(cloud, token=ALICE, flavorRef="2", min_count=2, max_count=2)
    response = cloud.get("/v2.1/limits", token=ALICE)
    assert response.status_code == 200, response.text
    absolute = response.json()["limits"]["absolute"]
    assert absolute == {
        "maxTotalInstances": 7, "maxTotalCores": 20,
        "maxTotalRAMSize": 51200, "maxServerMeta": 3, "maxImageMeta": 3,
        "maxTotalKeypairs": 100, "maxServerGroups": 10,
        "maxServerGroupMembers": 10, "maxPersonality": 5,
        "maxPersonalitySize": 10240, "maxSecurityGroups": -1,
        "maxSecurityGroupRules": -1, "maxTotalFloatingIps": -1,
        "totalInstancesUsed": 2, "totalCoresUsed": 2, "totalRAMUsed": 4096,
        "totalServerGroupsUsed": 0, "totalSecurityGroupsUsed": 0,
        "totalFloatingIpsUsed": 0}
    as_admin = cloud.get("/v2.1/limits?tenant_id=p1").json()
    assert as_admin["limits"]["absolute"] == absolute
    other = cloud.get("/v2.1/limits", token=BOB).json()["limits"]
    assert other["absolute"]["totalInstancesUsed"] == 0


# Enforcement on POST /servers --------------------------------------------

def test_over_quota_is_a_403_with_novas_message_and_creates_nothing(
        cloud):  # noqa: F811
    boot(cloud, token=ALICE, min_count=9, max_count=9)
    message = _fault(post_servers(cloud, min_count=2, max_count=2),
                     "forbidden", 403)
    assert message == ("Quota exceeded for instances: Requested 2, but "
                       "already used 9 of 10 instances")
    assert count_servers(cloud) == 9
    # Other projects have their own quota.
    boot(cloud, token=BOB, min_count=2, max_count=2)


def test_max_count_beyond_the_quota_creates_as_many_as_fit(
        cloud):  # noqa: F811
    boot(cloud, token=ALICE, min_count=3, max_count=3)
    # The string form once skipped every bound and wrote 29,000 rows.
    _fault(post_servers(cloud, max_count="99999999999"), "badRequest", 400)
    assert count_servers(cloud) == 3
    response = post_servers(cloud, max_count=str(2 ** 31 - 1))
    assert response.status_code == 202, response.text
    assert count_servers(cloud) == 10
    message = _fault(post_servers(cloud), "forbidden", 403)
    assert message == ("Quota exceeded for instances: Requested 1, but "
                       "already used 10 of 10 instances")
    message = _fault(post_servers(cloud, min_count=2, max_count=2 ** 31 - 1),
                     "forbidden", 403)
    assert message == (
        "Quota exceeded for cores, instances, ram: Requested 2147483647, "
        "2-2147483647, 1099511627264, but already used 10, 10, 5120 of 20, "
        "10, 51200 cores, instances, ram")
    assert count_servers(cloud) == 10


def test_cores_and_ram_limit_the_count_too(cloud):  # noqa: F811
    # m1.xlarge: 8 vcpus, 16384 MB; 20 cores allow 2, 51200 MB 3.
    message = _fault(post_servers(cloud, flavorRef="5", min_count=3,
                                  max_count=3), "forbidden", 403)
    assert message == ("Quota exceeded for cores: Requested 24, but "
                       "already used 0 of 20 cores")
    set_quota(cloud, "p1", cores=-1)
    message = _fault(post_servers(cloud, flavorRef="5", min_count=4,
                                  max_count=4), "forbidden", 403)
    assert message == ("Quota exceeded for ram: Requested 65536, but "
                       "already used 0 of 51200 ram")
    response = post_servers(cloud, flavorRef="5", min_count=1, max_count=4)
    assert response.status_code == 202, response.text
    assert count_servers(cloud) == 3


def test_deleting_servers_frees_quota(cloud):  # noqa: F811
    set_quota(cloud, "p1", instances=1)
    server = boot(cloud, token=ALICE)
    _fault(post_servers(cloud), "forbidden", 403)
    response = cloud.delete("/v2.1/servers/%s" % server["id"], token=ALICE)
    assert response.status_code == 204, response.text
    boot(cloud, token=ALICE)


def test_unlimited_quotas_do_not_limit(cloud):  # noqa: F811
    set_quota(cloud, "p1", instances=-1, cores=-1, ram=-1)
    boot(cloud, token=ALICE, min_count=12, max_count=12)
    assert count_servers(cloud) == 12


def test_too_many_metadata_items_are_a_403(cloud):  # noqa: F811
    set_quota(cloud, "p1", metadata_items=2)
    message = _fault(post_servers(cloud, metadata={"a": "1", "b": "2",
                                                   "c": "3"}),
                     "forbidden", 403)
    assert message == "Maximum number of metadata items exceeds 2"
    assert count_servers(cloud) == 0
    boot(cloud, token=ALICE, metadata={"a": "1", "b": "2"})


@pytest.mark.parametrize("counts, field", [
    ({"max_count": "many"}, "server/max_count"),
    ({"max_count": "0"}, "server/max_count"),
    ({"max_count": 0}, "server/max_count"),
    ({"min_count": "-1"}, "server/min_count"),
    ({"max_count": 2 ** 31}, "server/max_count"),
    ({"max_count": "2147483648"}, "server/max_count"),
    ({"max_count": 1.5}, "server/max_count"),
    ({"min_count": 3, "max_count": 2}, "server/min_count"),
])
def test_bad_counts_are_a_400(api, counts, field):
    message = _fault(post_servers(api, **counts), "badRequest", 400)
    assert field in message
    assert count_servers(api) == 0

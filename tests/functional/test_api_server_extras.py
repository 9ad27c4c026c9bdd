"""/v2.1/servers/{id}/metadata and /tags over real HTTP, the tags
filters of the server list, and /os-availability-zone."""

from __future__ import annotations

import pytest

from minova.compute import vm_states
from minova.objects import instance as instance_obj
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.functional.test_api_servers import show
from tests.functional.test_api_servers import wait_status
from tests.functional.test_api_services import _fault


@pytest.fixture
def api_cloud(request):
    """test_api_servers' cloud, under a name its tests here do not
    shadow."""
    return request.getfixturevalue("cloud")


def _active(api, **server):
    created = boot(api, token=ALICE, **server)
    return wait_status(api, created["id"], "ACTIVE", token=ALICE)["id"]


def _set_vm_state(admin_context, server_id, vm_state):
    instance = instance_obj.Instance.get_by_uuid(admin_context, server_id)
    instance.vm_state = vm_state
    instance.save()


# Metadata -----------------------------------------------------------------

def test_metadata_crud(api_cloud):
    api = api_cloud
    sid = _active(api, metadata={"a": "1"})
    path = "/v2.1/servers/%s/metadata" % sid
    assert api.get(path, token=ALICE).json() == {"metadata": {"a": "1"}}
    response = api.post(path, token=ALICE, json={"metadata": {"b": "2"}})
    assert response.status_code == 200, response.text
    assert response.json() == {"metadata": {"a": "1", "b": "2"}}
    response = api.put(path, token=ALICE, json={"metadata": {"c": "3"}})
    assert response.json() == {"metadata": {"c": "3"}}
    assert api.get(path, token=ALICE).json() == {"metadata": {"c": "3"}}
    response = api.put(path + "/d", token=ALICE, json={"meta": {"d": "4"}})
    assert response.status_code == 200 and \
        response.json() == {"meta": {"d": "4"}}
    assert api.get(path + "/d", token=ALICE).json() == {"meta": {"d": "4"}}
    assert api.delete(path + "/c", token=ALICE).status_code == 204
    _fault(api.get(path + "/c", token=ALICE), "itemNotFound", 404)
    _fault(api.delete(path + "/c", token=ALICE), "itemNotFound", 404)
    assert show(api, sid, token=ALICE)["metadata"] == {"d": "4"}


def test_metadata_bad_input_other_projects_and_quota(api_cloud):
    api = api_cloud
    sid = _active(api)
    path = "/v2.1/servers/%s/metadata" % sid
    _fault(api.put(path + "/a", token=ALICE, json={"meta": {"b": "1"}}),
           "badRequest", 400)
    _fault(api.put(path + "/a", token=ALICE,
                   json={"meta": {"a": "1", "b": "2"}}), "badRequest", 400)
    _fault(api.post(path, token=ALICE, json={"metadata": {"k": 1}}),
           "badRequest", 400)
    _fault(api.post(path, token=ALICE, json={"meta": {}}), "badRequest",
           400)
    _fault(api.get(path, token=BOB), "itemNotFound", 404)
    _fault(api.post(path, token=BOB, json={"metadata": {"k": "v"}}),
           "itemNotFound", 404)
    assert api.put("/v2.1/os-quota-sets/p1", json={
        "quota_set": {"metadata_items": 2}}).status_code == 200
    api.post(path, token=ALICE, json={"metadata": {"a": "1", "b": "2"}})
    _fault(api.post(path, token=ALICE, json={"metadata": {"c": "3"}}),
           "forbidden", 403)
    # Changing an item already there adds none.
    assert api.put(path + "/a", token=ALICE,
                   json={"meta": {"a": "9"}}).status_code == 200


def test_metadata_changes_are_409_in_other_states(api_cloud,
                                                  admin_context):
    api = api_cloud
    sid = _active(api)
    path = "/v2.1/servers/%s/metadata" % sid
    _set_vm_state(admin_context, sid, vm_states.ERROR)
    _fault(api.post(path, token=ALICE, json={"metadata": {"k": "v"}}),
           "conflictingRequest", 409)
    _fault(api.delete(path + "/k", token=ALICE), "conflictingRequest",
           409)
    assert api.get(path, token=ALICE).status_code == 200


# Tags ---------------------------------------------------------------------

def _tags(api, sid, version="2.26"):
    response = api.get("/v2.1/servers/%s/tags" % sid, token=ALICE,
                       version=version)
    assert response.status_code == 200, response.text
    return response.json()["tags"]


def test_tags_crud_from_2_26(api_cloud):
    api = api_cloud
    sid = _active(api)
    path = "/v2.1/servers/%s/tags" % sid
    _fault(api.get(path, token=ALICE, version="2.25"), "itemNotFound", 404)
    assert _tags(api, sid) == []
    response = api.put(path, token=ALICE, version="2.26",
                       json={"tags": ["b", "a", "a"]})
    assert response.status_code == 200, response.text
    assert response.json() == {"tags": ["a", "b"]}
    response = api.put(path + "/c", token=ALICE, version="2.26")
    assert response.status_code == 201
    assert response.headers["Location"].endswith(path + "/c")
    assert api.put(path + "/c", token=ALICE,
                   version="2.26").status_code == 204
    assert api.get(path + "/c", token=ALICE,
                   version="2.26").status_code == 204
    _fault(api.get(path + "/z", token=ALICE, version="2.26"),
           "itemNotFound", 404)
    assert api.delete(path + "/c", token=ALICE,
                      version="2.26").status_code == 204
    _fault(api.delete(path + "/c", token=ALICE, version="2.26"),
           "itemNotFound", 404)
    assert show(api, sid, token=ALICE, version="2.26")["tags"] == \
        ["a", "b"]
    assert "tags" not in show(api, sid, token=ALICE, version="2.25")
    assert api.delete(path, token=ALICE, version="2.26").status_code == 204
    assert _tags(api, sid) == []


def test_tags_bad_input_limit_and_state(api_cloud, admin_context):
    api = api_cloud
    sid = _active(api)
    path = "/v2.1/servers/%s/tags" % sid
    for tags in (["a,b"], ["a/b"], [""], ["x" * 61], "a",
                 ["t%d" % n for n in range(51)]):
        _fault(api.put(path, token=ALICE, version="2.26",
                       json={"tags": tags}), "badRequest", 400)
    _fault(api.put(path + "/a,b", token=ALICE, version="2.26"),
           "badRequest", 400)
    api.put(path, token=ALICE, version="2.26",
            json={"tags": ["t%d" % n for n in range(50)]})
    _fault(api.put(path + "/one-more", token=ALICE, version="2.26"),
           "badRequest", 400)
    _fault(api.get(path, token=BOB, version="2.26"), "itemNotFound", 404)
    _set_vm_state(admin_context, sid, vm_states.ERROR)
    _fault(api.put(path + "/x", token=ALICE, version="2.26"),
           "conflictingRequest", 409)
    _fault(api.delete(path, token=ALICE, version="2.26"),
           "conflictingRequest", 409)


def test_tags_at_create_from_2_52(api_cloud):
    api = api_cloud
    body = {"name": "vm", "flavorRef": "1", "networks": "none",
            "imageRef": IMAGE, "tags": ["web"]}
    _fault(api.post("/v2.1/servers", token=ALICE, version="2.51",
                    json={"server": body}), "badRequest", 400)
    response = api.post("/v2.1/servers", token=ALICE, version="2.52",
                        json={"server": body})
    assert response.status_code == 202, response.text
    sid = response.json()["server"]["id"]
    assert show(api, sid, token=ALICE, version="2.52")["tags"] == ["web"]


def test_tag_filters_on_the_server_list(api_cloud):
    api = api_cloud
    both = _active(api, name="both")
    only_a = _active(api, name="only-a")
    _active(api, name="none")
    for sid, tags in ((both, ["a", "b"]), (only_a, ["a"])):
        api.put("/v2.1/servers/%s/tags" % sid, token=ALICE,
                version="2.26", json={"tags": tags})

    def listed(query):
        response = api.get("/v2.1/servers/detail?" + query, token=ALICE,
                           version="2.26")
        assert response.status_code == 200, response.text
        return sorted(s["name"] for s in response.json()["servers"])

    assert listed("tags=a,b") == ["both"]
    assert listed("tags=a") == ["both", "only-a"]
    assert listed("tags-any=b,zzz") == ["both"]
    assert listed("not-tags=a,b") == ["none", "only-a"]
    assert listed("not-tags-any=b") == ["none", "only-a"]
    assert listed("tags=a&not-tags=b") == ["only-a"]
    detail = api.get("/v2.1/servers/detail?tags=a,b", token=ALICE,
                     version="2.26").json()["servers"]
    assert detail[0]["tags"] == ["a", "b"]


# Availability zones -------------------------------------------------------

def test_availability_zones(api_cloud):
    api = api_cloud
    response = api.get("/v2.1/os-availability-zone", token=ALICE)
    assert response.status_code == 200, response.text
    assert response.json() == {"availabilityZoneInfo": [
        {"zoneName": "nova", "zoneState": {"available": True},
         "hosts": None}]}
    _fault(api.get("/v2.1/os-availability-zone/detail", token=ALICE),
           "forbidden", 403)
    detail = api.get("/v2.1/os-availability-zone/detail").json()
    zones = {z["zoneName"]: z for z in detail["availabilityZoneInfo"]}
    assert set(zones) == {"nova", "internal"}
    compute = zones["nova"]["hosts"]["compute1"]["minova-compute"]
    assert compute["available"] is True and compute["active"] is True
    assert compute["updated_at"]
    assert "minova-conductor" in zones["internal"]["hosts"]["test-host"]


def test_boot_into_an_unknown_zone_is_a_400(api_cloud):
    api = api_cloud
    for zone in ("nowhere", "internal", "nova:compute1"):
        message = _fault(api.post("/v2.1/servers", token=ALICE, json={
            "server": {"name": "vm", "flavorRef": "1", "imageRef": IMAGE,
                       "availability_zone": zone}}), "badRequest", 400)
        assert "availability zone is not available" in message
    boot(api, token=ALICE, availability_zone="nova")


def test_a_zone_whose_computes_are_disabled_is_unavailable(conf,
                                                           api_cloud):
    api = api_cloud
    conf.set_override("host_availability_zones", {"compute1": "az1"},
                      group="filter_scheduler")
    response = api.put("/v2.1/os-services/disable", json={
        "host": "compute1", "binary": "minova-compute"})
    assert response.status_code == 200, response.text
    zones = api.get("/v2.1/os-availability-zone").json()[
        "availabilityZoneInfo"]
    assert zones == [{"zoneName": "az1", "zoneState": {"available": False},
                      "hosts": None}]

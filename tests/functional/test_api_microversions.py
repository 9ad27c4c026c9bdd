"""Microversions 2.48..2.104 of os-services, os-hypervisors and flavors,
and Nova's wire details (X-Compute-Request-Id), over real HTTP."""

from __future__ import annotations

import uuid

import pytest

from minova.db import flavors as db_flavors
from tests.functional.nova_schemas import judge
from tests.functional.test_api_hypervisors import _node
from tests.functional.test_api_services import _fault


@pytest.fixture
def nodes(admin_context):
    return [_node(admin_context, "cn1"), _node(admin_context, "node2")]


def _ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json() if response.content else None


# os-services (2.53) -------------------------------------------------------

def _compute(api, version="2.53"):
    services = _ok(api.get("/v2.1/os-services", version=version))
    return [s for s in services["services"]
            if s["binary"] == "minova-compute"]


def test_services_are_named_by_uuid_from_2_53(api, nodes):
    old = _ok(api.get("/v2.1/os-services", version="2.52"))["services"]
    assert all(isinstance(s["id"], int) for s in old)
    new = _ok(api.get("/v2.1/os-services", version="2.53"))["services"]
    assert all(uuid.UUID(s["id"]) for s in new)
    assert len({s["id"] for s in new}) == len(new)


def test_put_by_uuid_disables_enables_and_forces_down(api, nodes):
    [first, _second] = _compute(api)
    path = "/v2.1/os-services/%s" % first["id"]
    body = {"status": "disabled", "disabled_reason": "maintenance"}
    service = _ok(api.put(path, json=body, version="2.53"))["service"]
    assert (service["id"], service["status"], service["disabled_reason"]) \
        == (first["id"], "disabled", "maintenance")
    assert service["forced_down"] is False
    service = _ok(api.put(path, json={"forced_down": True},
                          version="2.53"))["service"]
    assert (service["forced_down"], service["state"]) == (True, "down")
    service = _ok(api.put(path, json={"status": "enabled"},
                          version="2.53"))["service"]
    assert (service["status"], service["disabled_reason"]) == ("enabled",
                                                               None)
    [shown] = [s for s in _compute(api) if s["id"] == first["id"]]
    assert (shown["status"], shown["forced_down"]) == ("enabled", True)


@pytest.mark.parametrize("body,words", [
    ({}, "No updates"),
    ({"status": "enabled", "disabled_reason": "x"}, "disabled_reason"),
    ({"status": "off"}, "status"),
    ({"host": "cn1", "binary": "minova-compute"}, "host"),
])
def test_put_by_uuid_refuses_bad_bodies(api, nodes, body, words):
    [first, _second] = _compute(api)
    response = api.put("/v2.1/os-services/%s" % first["id"], json=body,
                       version="2.53")
    assert words in _fault(response, "badRequest", 400)
    assert _compute(api)[0]["status"] == "enabled"


def test_only_compute_services_change_status(api, nodes):
    [conductor] = [s for s in _ok(api.get(
        "/v2.1/os-services", version="2.53"))["services"]
        if s["binary"] == "minova-conductor"]
    response = api.put("/v2.1/os-services/%s" % conductor["id"],
                       json={"status": "disabled"}, version="2.53")
    assert "minova-compute" in _fault(response, "badRequest", 400)


def test_service_ids_are_checked_from_2_53(api, nodes):
    response = api.put("/v2.1/os-services/disable", version="2.53",
                       json={"status": "disabled"})
    assert "Invalid uuid" in _fault(response, "badRequest", 400)
    response = api.put("/v2.1/os-services/%s" % uuid.uuid4(),
                       json={"status": "disabled"}, version="2.53")
    _fault(response, "itemNotFound", 404)
    response = api.delete("/v2.1/os-services/1", version="2.53")
    _fault(response, "badRequest", 400)
    # The old action paths are still there before 2.53.
    _ok(api.put("/v2.1/os-services/disable", version="2.52",
                json={"host": "cn1", "binary": "minova-compute"}))


def test_delete_by_uuid_from_2_53(api, nodes):
    [first, second] = _compute(api)
    _ok(api.delete("/v2.1/os-services/%s" % first["id"], version="2.53"),
        204)
    assert [s["id"] for s in _compute(api)] == [second["id"]]
    response = api.delete("/v2.1/os-services/%s" % first["id"],
                          version="2.53")
    _fault(response, "itemNotFound", 404)


def test_services_are_for_admins_at_2_53(api, nodes):
    [first, _second] = _compute(api)
    response = api.put("/v2.1/os-services/%s" % first["id"],
                       json={"status": "disabled"}, version="2.53",
                       token="demo:demo")
    _fault(response, "forbidden", 403)


# os-hypervisors (2.53, 2.75, 2.88) ---------------------------------------

def test_hypervisors_are_named_by_uuid_from_2_53(api, nodes):
    listed = _ok(api.get("/v2.1/os-hypervisors/detail",
                         version="2.53"))["hypervisors"]
    assert [h["id"] for h in listed] == [n.uuid for n, _s in nodes]
    assert [h["service"]["id"] for h in listed] == \
        [s.uuid for _n, s in nodes]
    shown = _ok(api.get("/v2.1/os-hypervisors/%s" % nodes[1][0].uuid,
                        version="2.53"))["hypervisor"]
    assert shown["hypervisor_hostname"] == "node2"
    response = api.get("/v2.1/os-hypervisors/%d" % nodes[1][0].id,
                       version="2.53")
    _fault(response, "badRequest", 400)
    response = api.get("/v2.1/os-hypervisors/%s" % uuid.uuid4(),
                       version="2.53")
    _fault(response, "itemNotFound", 404)


def test_hypervisor_paging_marker_is_a_uuid_from_2_53(api, nodes):
    page = _ok(api.get("/v2.1/os-hypervisors?limit=1&marker=%s"
                       % nodes[0][0].uuid, version="2.53"))
    assert [h["hypervisor_hostname"] for h in page["hypervisors"]] == \
        ["node2"]


def test_hypervisor_hostname_pattern_and_with_servers(api, nodes):
    found = _ok(api.get("/v2.1/os-hypervisors?hypervisor_hostname_pattern="
                        "ode", version="2.53"))["hypervisors"]
    assert [h["hypervisor_hostname"] for h in found] == ["node2"]
    response = api.get("/v2.1/os-hypervisors?hypervisor_hostname_pattern="
                       "nothing", version="2.53")
    _fault(response, "itemNotFound", 404)
    # No servers on the nodes: the key only from 2.75.
    listed = _ok(api.get("/v2.1/os-hypervisors?with_servers=true",
                         version="2.53"))["hypervisors"]
    assert all("servers" not in h for h in listed)
    listed = _ok(api.get("/v2.1/os-hypervisors?with_servers=true",
                         version="2.75"))["hypervisors"]
    assert [h["servers"] for h in listed] == [[], []]
    response = api.get("/v2.1/os-hypervisors?with_servers=maybe",
                       version="2.75")
    _fault(response, "badRequest", 400)


def test_hypervisor_figures_and_statistics_go_at_2_88(api, nodes):
    path = "/v2.1/os-hypervisors/%s" % nodes[0][0].uuid
    before = _ok(api.get(path, version="2.87"))["hypervisor"]
    assert before["vcpus"] == 8 and "uptime" not in before
    after = _ok(api.get(path, version="2.88"))["hypervisor"]
    for gone in ("vcpus", "memory_mb", "local_gb", "running_vms",
                 "cpu_info", "disk_available_least", "current_workload"):
        assert gone not in after
    assert after["uptime"] is None
    _ok(api.get("/v2.1/os-hypervisors/statistics", version="2.87"))
    _fault(api.get("/v2.1/os-hypervisors/statistics", version="2.88"),
           "itemNotFound", 404)
    _fault(api.get(path + "/uptime", version="2.88"), "itemNotFound", 404)


# flavors (2.55, 2.61, 2.75, 2.102) ----------------------------------------

@pytest.fixture
def flavors(api, db):
    db_flavors.ensure_defaults(db)
    return api


def _create(api, version, **extra):
    body = {"name": "small", "ram": 512, "vcpus": 1, "disk": 1, "id": "s1"}
    body.update(extra)
    return api.post("/v2.1/flavors", json={"flavor": body}, version=version)


def test_flavor_description_from_2_55(flavors):
    response = _create(flavors, "2.54", description="tiny")
    assert "description" in _fault(response, "badRequest", 400)
    flavor = _ok(_create(flavors, "2.55", description="tiny"))["flavor"]
    assert flavor["description"] == "tiny"
    listed = _ok(flavors.get("/v2.1/flavors", version="2.55"))["flavors"]
    assert {f["id"]: f["description"] for f in listed}["s1"] == "tiny"
    assert "description" not in _ok(flavors.get(
        "/v2.1/flavors/s1", version="2.54"))["flavor"]


def test_put_flavor_updates_its_description_only(flavors):
    _ok(_create(flavors, "2.55"))
    path = "/v2.1/flavors/s1"
    _fault(flavors.put(path, json={"flavor": {"description": "x"}},
                       version="2.54"), "itemNotFound", 404)
    flavor = _ok(flavors.put(path, json={"flavor": {"description": "big"}},
                             version="2.55"))["flavor"]
    assert (flavor["description"], flavor["ram"]) == ("big", 512)
    assert _ok(flavors.get(path, version="2.55"))["flavor"][
        "description"] == "big"
    _ok(flavors.put(path, json={"flavor": {"description": None}},
                    version="2.55"))
    assert _ok(flavors.get(path, version="2.55"))["flavor"][
        "description"] is None
    response = flavors.put(path, json={"flavor": {"ram": 1}},
                           version="2.55")
    _fault(response, "badRequest", 400)
    response = flavors.put(path, json={"flavor": {"description": "x"}},
                           version="2.55", token="demo:demo")
    _fault(response, "forbidden", 403)
    response = flavors.put("/v2.1/flavors/nope",
                           json={"flavor": {"description": "x"}},
                           version="2.55")
    _fault(response, "itemNotFound", 404)


def test_extra_specs_and_integer_swap(flavors):
    flavor = _ok(flavors.get("/v2.1/flavors/1", version="2.60"))["flavor"]
    assert "extra_specs" not in flavor and flavor["swap"] == ""
    flavor = _ok(flavors.get("/v2.1/flavors/1", version="2.61"))["flavor"]
    assert flavor["extra_specs"] == {} and flavor["swap"] == ""
    flavor = _ok(flavors.get("/v2.1/flavors/1", version="2.75"))["flavor"]
    assert flavor["swap"] == 0
    detail = _ok(flavors.get("/v2.1/flavors/detail", version="2.61"))
    assert all(f["extra_specs"] == {} for f in detail["flavors"])


def test_rxtx_factor_and_disabled_leave_at_2_102(flavors):
    flavor = _ok(flavors.get("/v2.1/flavors/1", version="2.101"))["flavor"]
    assert flavor["rxtx_factor"] == 1.0
    assert flavor["OS-FLV-DISABLED:disabled"] is False
    flavor = _ok(flavors.get("/v2.1/flavors/1", version="2.102"))["flavor"]
    assert "rxtx_factor" not in flavor
    assert "OS-FLV-DISABLED:disabled" not in flavor
    response = _create(flavors, "2.102", rxtx_factor=2.0)
    assert "rxtx_factor" in _fault(response, "badRequest", 400)


def test_flavor_name_filter_from_2_102(flavors):
    def names(query, version):
        listed = _ok(flavors.get("/v2.1/flavors?" + query,
                                 version=version))["flavors"]
        return sorted(f["name"] for f in listed)

    assert names("name=tiny", "2.102") == ["m1.tiny"]
    assert names("name=m1.", "2.102") == ["m1.large", "m1.medium",
                                          "m1.small", "m1.tiny",
                                          "m1.xlarge"]
    assert names("name=%25", "2.102") == []  # a literal %, not a wildcard
    _fault(flavors.get("/v2.1/flavors?name=tiny", version="2.101"),
           "badRequest", 400)
    # Before 2.75 an unknown parameter is ignored, as in Nova.
    assert len(names("name=tiny", "2.74")) == 5


# Quotas and limits (2.50, 2.57) -------------------------------------------

_INJECTED = {"injected_files", "injected_file_content_bytes",
             "injected_file_path_bytes"}


def test_quota_classes_from_2_50_and_2_57(api):
    path = "/v2.1/os-quota-class-sets/default"
    before = _ok(api.get(path, version="2.49"))["quota_class_set"]
    assert "fixed_ips" in before and "server_groups" not in before
    at_250 = _ok(api.get(path, version="2.50"))["quota_class_set"]
    assert "fixed_ips" not in at_250 and at_250["server_groups"] == 10
    assert _INJECTED <= set(at_250)
    at_257 = _ok(api.get(path, version="2.57"))["quota_class_set"]
    assert not _INJECTED & set(at_257)
    response = api.put(path, json={"quota_class_set": {"fixed_ips": 1}},
                       version="2.50")
    assert "fixed_ips" in _fault(response, "badRequest", 400)
    response = api.put(path, json={"quota_class_set": {
        "injected_files": 1}}, version="2.57")
    assert "injected_files" in _fault(response, "badRequest", 400)
    changed = _ok(api.put(path, json={"quota_class_set": {
        "server_groups": 3}}, version="2.57"))["quota_class_set"]
    assert changed["server_groups"] == 3


def test_personality_quotas_and_limits_leave_at_2_57(api):
    path = "/v2.1/os-quota-sets/p1"
    assert _INJECTED <= set(_ok(api.get(path, version="2.56"))["quota_set"])
    assert not _INJECTED & set(_ok(api.get(
        path + "/detail", version="2.57"))["quota_set"])
    response = api.put(path, json={"quota_set": {"injected_files": 1}},
                       version="2.57")
    assert "injected_files" in _fault(response, "badRequest", 400)
    limits = _ok(api.get("/v2.1/limits", version="2.56"))["limits"]
    assert "maxPersonality" in limits["absolute"]
    limits = _ok(api.get("/v2.1/limits", version="2.57"))["limits"]
    assert "maxPersonality" not in limits["absolute"]
    assert "maxPersonalitySize" not in limits["absolute"]


# Unknown query parameters ---------------------------------------------------

@pytest.mark.parametrize("path,strict_from", [
    ("/v2.1/os-services", "2.102"),
    ("/v2.1/flavors", "2.75"),
    ("/v2.1/flavors/detail", "2.75"),
    ("/v2.1/flavors/1", "2.102"),
    ("/v2.1/os-hypervisors", "2.102"),
    ("/v2.1/os-hypervisors/detail", "2.102"),
    ("/v2.1/servers", "2.75"),
    ("/v2.1/servers/detail", "2.75"),
    ("/v2.1/limits", "2.102"),
    ("/v2.1/os-aggregates", "2.102"),
    ("/v2.1/os-quota-sets/p1", "2.102"),
    ("/v2.1/os-quota-sets/p1/detail", "2.102"),
    ("/v2.1/os-quota-sets/p1/defaults", "2.102"),
    ("/v2.1/os-quota-class-sets/default", "2.102"),
    ("/v2.1/", "2.102"),
])
def test_unknown_query_parameters_are_a_400_from_their_version(
        flavors, nodes, path, strict_from):
    major, minor = strict_from.split(".")
    before = "%s.%d" % (major, int(minor) - 1)
    _ok(flavors.get(path + "?bogus=1", version=before))
    response = flavors.get(path + "?bogus=1", version=strict_from)
    assert "bogus" in _fault(response, "badRequest", 400)


# Wire details -------------------------------------------------------------

@pytest.mark.parametrize("method,path,status", [
    ("GET", "/v2.1/flavors", 200),
    ("GET", "/v2.1/nowhere", 404),
    ("DELETE", "/v2.1/flavors/detail", 405),
    ("GET", "/", 200),
    ("GET", "/v2.1/flavors/nope", 404),
])
def test_compute_request_id_beside_the_openstack_one(flavors, method, path,
                                                     status):
    response = flavors.request(method, path)
    assert response.status_code == status, response.text
    request_id = response.headers["x-openstack-request-id"]
    assert request_id.startswith("req-")
    assert response.headers["X-Compute-Request-Id"] == request_id


# The judge itself -----------------------------------------------------------

def test_the_judge_fails_a_response_nova_would_not_give():
    the_judge = judge()
    if the_judge is None:
        pytest.skip("nova is not installed (the test extra installs it)")
    start = len(the_judge.mismatches)
    the_judge.check("/flavors/{flavor_id}", "GET", None, "2.55",
                    {"flavor": {"id": "1", "name": "x", "links": []}})
    found = the_judge.mismatches[start:]
    del the_judge.mismatches[start:]
    assert len(found) == 1 and "required property" in found[0]
    the_judge.check("/servers/{server_id}/action", "POST", "os-start",
                    "2.1", None)
    assert len(the_judge.mismatches) == start

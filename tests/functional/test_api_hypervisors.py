"""/v2.1/os-hypervisors and /v2.1/limits over real HTTP.

The compute nodes here are rows written the way a compute's resource
tracker writes them, so these tests need no running compute.
"""

from __future__ import annotations

import pytest

from minova.objects import compute_node as node_obj
from minova.objects import service as service_obj
from tests.functional.test_api_services import _fault


def _node(context, host, **values):
    service = service_obj.Service(context, host=host,
                                  binary="minova-compute", topic="compute")
    service.create()
    figures = {"vcpus": 8, "memory_mb": 16384, "local_gb": 100,
               "vcpus_used": 2, "memory_mb_used": 1024, "local_gb_used": 10,
               "free_ram_mb": 15360, "free_disk_gb": 90, "running_vms": 2}
    figures.update(values)
    node = node_obj.ComputeNode(
        context, uuid="00000000-0000-0000-0000-00000000000%d"
        % (len(host) % 10), host=host, hypervisor_hostname=host,
        host_ip="192.0.2.1", **figures)
    node.create()
    return node, service


@pytest.fixture
def nodes(admin_context):
    return [_node(admin_context, "cn1"),
            _node(admin_context, "node2", vcpus_used=0, running_vms=0)]


def test_list_shows_state_and_status(api, nodes):
    nodes[1][1].forced_down = True
    nodes[1][1].save()
    response = api.get("/v2.1/os-hypervisors")
    assert response.status_code == 200, response.text
    hypervisors = response.json()["hypervisors"]
    assert [h["hypervisor_hostname"] for h in hypervisors] == ["cn1",
                                                               "node2"]
    assert hypervisors[0] == {"id": nodes[0][0].id,
                              "hypervisor_hostname": "cn1",
                              "state": "up", "status": "enabled"}
    assert hypervisors[1]["state"] == "down"


def test_detail_and_show_report_resources(api, nodes):
    [first, second] = api.get("/v2.1/os-hypervisors/detail").json()[
        "hypervisors"]
    expected = {"vcpus": 8, "vcpus_used": 2, "memory_mb": 16384,
                "memory_mb_used": 1024, "local_gb": 100,
                "local_gb_used": 10, "free_ram_mb": 15360,
                "free_disk_gb": 90, "running_vms": 2,
                "hypervisor_type": "fake", "host_ip": "192.0.2.1",
                "state": "up", "status": "enabled"}
    assert {k: first[k] for k in expected} == expected
    assert first["service"] == {"id": nodes[0][1].id, "host": "cn1",
                                "disabled_reason": None}
    assert second["vcpus_used"] == 0
    shown = api.get("/v2.1/os-hypervisors/%d" % first["id"]).json()
    assert shown["hypervisor"] == first


def test_disabled_service_shows_disabled(api, nodes):
    service = nodes[1][1]
    service.disabled = True
    service.disabled_reason = "maintenance"
    service.save()
    [_, second] = api.get("/v2.1/os-hypervisors/detail").json()[
        "hypervisors"]
    assert second["status"] == "disabled"
    assert second["service"]["disabled_reason"] == "maintenance"


def test_cpu_info_is_an_object_from_2_28(api, nodes):
    old = api.get("/v2.1/os-hypervisors/detail", version="2.27").json()
    new = api.get("/v2.1/os-hypervisors/detail", version="2.28").json()
    assert isinstance(old["hypervisors"][0]["cpu_info"], str)
    assert new["hypervisors"][0]["cpu_info"] == {}


def test_paging_from_2_33(api, nodes):
    page = api.get("/v2.1/os-hypervisors?limit=1", version="2.33").json()
    assert [h["hypervisor_hostname"] for h in page["hypervisors"]] == \
        ["cn1"]
    [link] = page["hypervisors_links"]
    assert "marker=%d" % nodes[0][0].id in link["href"]
    rest = api.get(link["href"][len(api.base_url):], version="2.33").json()
    assert [h["hypervisor_hostname"] for h in rest["hypervisors"]] == \
        ["node2"]
    # Before 2.33 limit means nothing, as in Nova.
    old = api.get("/v2.1/os-hypervisors?limit=1", version="2.32").json()
    assert len(old["hypervisors"]) == 2


def test_statistics_sum_the_nodes(api, nodes):
    stats = api.get("/v2.1/os-hypervisors/statistics").json()[
        "hypervisor_statistics"]
    assert stats["count"] == 2
    assert stats["vcpus"] == 16 and stats["vcpus_used"] == 2
    assert stats["running_vms"] == 2


def test_uptime_is_not_implemented_by_the_fake(api, nodes):
    response = api.get("/v2.1/os-hypervisors/%d/uptime" % nodes[0][0].id)
    _fault(response, "notImplemented", 501)
    _fault(api.get("/v2.1/os-hypervisors/999/uptime"), "itemNotFound", 404)


def test_unknown_hypervisor_is_404(api, nodes):
    _fault(api.get("/v2.1/os-hypervisors/999"), "itemNotFound", 404)
    _fault(api.get("/v2.1/os-hypervisors/abc"), "itemNotFound", 404)


def test_hypervisors_are_for_admins(api, nodes):
    for path in ("", "/detail", "/statistics", "/%d" % nodes[0][0].id):
        _fault(api.get("/v2.1/os-hypervisors" + path, token="alice"),
               "forbidden", 403)


def test_aggregates_are_an_empty_list_for_admins(api):
    response = api.get("/v2.1/os-aggregates")
    assert response.status_code == 200, response.text
    assert response.json() == {"aggregates": []}
    _fault(api.get("/v2.1/os-aggregates", token="alice"), "forbidden", 403)


# /limits ------------------------------------------------------------------

def test_limits_show_the_default_quotas_and_no_usage(api):
    response = api.get("/v2.1/limits", token="alice")
    assert response.status_code == 200, response.text
    limits = response.json()["limits"]
    assert limits["rate"] == []
    absolute = limits["absolute"]
    assert absolute["maxTotalInstances"] == 10
    assert absolute["maxTotalCores"] == 20
    assert absolute["totalInstancesUsed"] == 0
    # nova-network's, unlimited as in Nova.
    assert absolute["maxSecurityGroups"] == -1


def test_limits_drop_proxied_resources_from_2_36(api):
    absolute = api.get("/v2.1/limits", version="2.36").json()["limits"][
        "absolute"]
    assert "maxSecurityGroups" not in absolute
    assert "maxImageMeta" in absolute
    absolute = api.get("/v2.1/limits", version="2.39").json()["limits"][
        "absolute"]
    assert "maxImageMeta" not in absolute

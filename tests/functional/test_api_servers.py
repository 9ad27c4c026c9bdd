"""/v2.1/servers over real HTTP, with every service running in process:
api -> conductor -> scheduler -> compute (fake driver) and back."""

from __future__ import annotations

import pytest

from minova import service
from minova.api.openstack import api_version
from minova.compute import task_states
from minova.db import flavors as db_flavors
from minova.objects import instance as instance_obj
from tests.functional.test_api_services import _fault
from tests.utils import wait_for

IMAGE = "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f"  # [image] images default
ALICE = "alice:p1"
BOB = "bob:p2"


def start_compute(conf, transport, launched, host="compute1"):
    server = service.Service.create(
        conf, transport, host=host, binary="minova-compute",
        topic=conf.compute.topic, manager=conf.compute.manager,
        db_allowed=False, periodic_enable=True)
    server.start()
    launched.append(server)
    return server


@pytest.fixture
def cloud(conf, transport, db, conductor, launched, api):
    """The API with a scheduler and one compute behind it."""
    db_flavors.ensure_defaults(db)
    scheduler = service.Service.create(
        conf, transport, binary="minova-scheduler",
        topic=conf.scheduler.topic, manager=conf.scheduler.manager, db=db,
        periodic_enable=False)
    scheduler.start()
    launched.append(scheduler)
    start_compute(conf, transport, launched)
    wait_for(lambda: api.get("/v2.1/os-hypervisors").json()["hypervisors"],
             what="the compute node to report")
    return api


def boot(api, name="vm", token=None, version=None, **server):
    body = {"name": name, "flavorRef": "1", "imageRef": IMAGE}
    body.update(server)
    response = api.post("/v2.1/servers", json={"server": body},
                        token=token, version=version)
    assert response.status_code == 202, response.text
    return response.json()["server"]


def show(api, server_id, token=None, version=None):
    response = api.get("/v2.1/servers/%s" % server_id, token=token,
                       version=version)
    assert response.status_code == 200, response.text
    return response.json()["server"]


def wait_status(api, server_id, status, token=None):
    def reached():
        server = show(api, server_id, token=token)
        return server if server["status"] == status else None
    return wait_for(reached, what="server %s to be %s" % (server_id,
                                                          status))


def action(api, server_id, body, token=None):
    return api.post("/v2.1/servers/%s/action" % server_id, json=body,
                    token=token)


def names(response):
    assert response.status_code == 200, response.text
    return [server["name"] for server in response.json()["servers"]]


# Boot ---------------------------------------------------------------------

def test_boot_goes_active_with_novas_fields(cloud):
    response = cloud.post("/v2.1/servers", json={"server": {
        "name": "web 1", "flavorRef": cloud.base_url + "/flavors/1",
        "imageRef": IMAGE, "metadata": {"role": "web"}}}, token=ALICE)
    assert response.status_code == 202, response.text
    created = response.json()["server"]
    assert "adminPass" not in created
    assert created["OS-DCF:diskConfig"] == "MANUAL"
    assert created["security_groups"] == [{"name": "default"}]
    assert response.headers["Location"] == created["links"][0]["href"]
    server = wait_status(cloud, created["id"], "ACTIVE", token=ALICE)
    assert server["name"] == "web 1"
    assert (server["tenant_id"], server["user_id"]) == ("p1", "alice")
    assert server["metadata"] == {"role": "web"}
    assert server["key_name"] is None
    assert server["flavor"] == {"id": "1", "links": [
        {"rel": "bookmark", "href": cloud.base_url + "/flavors/1"}]}
    assert server["image"]["id"] == IMAGE
    [address] = server["addresses"]["private"]
    assert address["version"] == 4 and address["OS-EXT-IPS:type"] == \
        "fixed"
    assert len(server["hostId"]) == 56
    assert server["OS-EXT-STS:vm_state"] == "active"
    assert server["OS-EXT-STS:task_state"] is None
    assert server["OS-EXT-STS:power_state"] == 1
    assert server["OS-EXT-AZ:availability_zone"] == "nova"
    assert server["OS-SRV-USG:launched_at"]
    assert server["security_groups"] == [{"name": "default"}]
    assert server["created"].endswith("Z")
    # Users do not see where their server runs.
    assert not [key for key in server if key.startswith("OS-EXT-SRV")]


def test_admins_see_extended_attributes(cloud):
    server = wait_status(cloud, boot(cloud)["id"], "ACTIVE")
    assert server["OS-EXT-SRV-ATTR:host"] == "compute1"
    assert server["OS-EXT-SRV-ATTR:hypervisor_hostname"]
    assert server["OS-EXT-SRV-ATTR:instance_name"].startswith("instance-")
    assert "OS-EXT-SRV-ATTR:hostname" not in server
    newer = show(cloud, server["id"], version="2.3")
    assert newer["OS-EXT-SRV-ATTR:hostname"] == "vm"


def test_boot_without_network_has_no_address(cloud):
    created = boot(cloud, networks="none")
    # The create answer names the groups asked for (Nova's default).
    assert created["security_groups"] == [{"name": "default"}]
    server = wait_status(cloud, created["id"], "ACTIVE")
    assert server["addresses"] == {}
    assert "security_groups" not in server


def test_boot_with_no_capacity_is_error_with_fault(cloud):
    # A flavor bigger than the fake host (800000 MB * 1.5).
    response = cloud.post("/v2.1/flavors", json={"flavor": {
        "name": "huge", "id": "huge", "ram": 10 ** 7, "vcpus": 1,
        "disk": 1}})
    assert response.status_code == 200, response.text
    # More than the default quota too: the host's capacity is the test.
    response = cloud.put("/v2.1/os-quota-sets/p1",
                         json={"quota_set": {"ram": -1}})
    assert response.status_code == 200, response.text
    created = boot(cloud, flavorRef="huge", token=ALICE)
    server = wait_status(cloud, created["id"], "ERROR", token=ALICE)
    fault = server["fault"]
    assert "No valid host" in fault["message"]
    assert fault["created"].endswith("Z")
    assert "details" not in fault or fault["code"] != 500
    as_admin = show(cloud, created["id"])
    assert as_admin["fault"]["message"] == fault["message"]
    assert as_admin["OS-EXT-STS:vm_state"] == "error"


def test_spawn_failure_is_error_with_details_for_admins(cloud):
    created = boot(cloud, metadata={"fake_spawn_error": "disk on fire"},
                   token=ALICE)
    server = wait_status(cloud, created["id"], "ERROR", token=ALICE)
    assert "disk on fire" in server["fault"]["message"]
    assert server["fault"]["code"] == 500
    assert "details" not in server["fault"]
    assert show(cloud, created["id"])["fault"]["details"]


def test_multi_create_boots_max_count_servers(cloud):
    boot(cloud, name="many", min_count=2, max_count=3)
    servers = cloud.get("/v2.1/servers/detail?name=many").json()["servers"]
    assert len(servers) == 3
    for server in servers:
        wait_status(cloud, server["id"], "ACTIVE")


# Bad requests -------------------------------------------------------------

@pytest.mark.parametrize("server, field", [
    ({"name": ""}, "server/name"),
    ({"flavorRef": None}, "server/flavorRef"),
    ({"metadata": {"k": 1}}, "server/metadata/k"),
    ({"networks": "some"}, "server/networks"),
    ({"min_count": 0}, "server/min_count"),
    ({"adminPass": "secret"}, "server"),
    ({"security_groups": [{"name": "web"}]},
     "server/security_groups/0/name"),
])
def test_bad_bodies_are_400_naming_the_field(cloud, server, field):
    body = {"name": "vm", "flavorRef": "1", "imageRef": IMAGE}
    body.update(server)
    response = cloud.post("/v2.1/servers", json={"server": body})
    message = _fault(response, "badRequest", 400)
    assert "field/attribute %s:" % field in message


@pytest.mark.parametrize("groups", [[], [{"name": "default"}]])
def test_the_default_security_group_may_be_named_at_create(cloud, groups):
    # What Ansible's openstack.cloud.server sends ([] by default): every
    # port gets the project's "default" group anyway.
    server = boot(cloud, security_groups=groups)
    assert wait_status(cloud, server["id"], "ACTIVE")


def test_missing_name_is_named(cloud):
    response = cloud.post("/v2.1/servers", json={"server": {
        "flavorRef": "1", "imageRef": IMAGE}})
    assert "name" in _fault(response, "badRequest", 400)


def test_networks_is_required_from_2_37(cloud):
    body = {"server": {"name": "vm", "flavorRef": "1", "imageRef": IMAGE}}
    response = cloud.post("/v2.1/servers", json=body, version="2.37")
    assert "networks" in _fault(response, "badRequest", 400)
    response = cloud.post("/v2.1/servers", json=body, version="2.36")
    assert response.status_code == 202, response.text


def test_unknown_flavor_or_image_is_400(cloud):
    message = _fault(cloud.post("/v2.1/servers", json={"server": {
        "name": "vm", "flavorRef": "nope", "imageRef": IMAGE}}),
        "badRequest", 400)
    assert "nope" in message
    message = _fault(cloud.post("/v2.1/servers", json={"server": {
        "name": "vm", "flavorRef": "1", "imageRef": "nope"}}),
        "badRequest", 400)
    assert "image" in message


def test_unknown_server_is_404(cloud):
    for method in ("get", "delete"):
        response = getattr(cloud, method)("/v2.1/servers/nope")
        _fault(response, "itemNotFound", 404)
    _fault(action(cloud, "nope", {"os-stop": None}), "itemNotFound", 404)


# Actions ------------------------------------------------------------------

def test_stop_start_reboot_and_conflicts(cloud):
    sid = boot(cloud, token=ALICE)["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    _fault(action(cloud, sid, {"os-start": None}, token=ALICE),
           "conflictingRequest", 409)
    assert action(cloud, sid, {"os-stop": None},
                  token=ALICE).status_code == 202
    server = wait_status(cloud, sid, "SHUTOFF", token=ALICE)
    assert server["OS-EXT-STS:power_state"] == 4
    _fault(action(cloud, sid, {"os-stop": None}, token=ALICE),
           "conflictingRequest", 409)
    _fault(action(cloud, sid, {"reboot": {"type": "SOFT"}}, token=ALICE),
           "conflictingRequest", 409)
    assert action(cloud, sid, {"os-start": None},
                  token=ALICE).status_code == 202
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    for kind in ("SOFT", "hard"):
        response = action(cloud, sid, {"reboot": {"type": kind}},
                          token=ALICE)
        assert response.status_code == 202, response.text
        server = wait_status(cloud, sid, "ACTIVE", token=ALICE)
        assert server["OS-EXT-STS:task_state"] is None


def test_reboot_in_progress_shows_and_filters_as_reboot(cloud,
                                                        admin_context):
    sid = boot(cloud)["id"]
    wait_status(cloud, sid, "ACTIVE")
    instance = instance_obj.Instance.get_by_uuid(admin_context, sid)
    instance.task_state = task_states.REBOOTING_HARD
    instance.save()
    assert show(cloud, sid)["status"] == "HARD_REBOOT"
    assert names(cloud.get("/v2.1/servers?status=HARD_REBOOT")) == ["vm"]
    assert names(cloud.get("/v2.1/servers?status=REBOOT")) == []
    assert names(cloud.get("/v2.1/servers?status=ACTIVE")) == ["vm"]
    _fault(action(cloud, sid, {"os-stop": None}), "conflictingRequest",
           409)


def test_bad_actions_are_400(cloud):
    sid = boot(cloud)["id"]
    message = _fault(action(cloud, sid, {"os-explode": None}),
                     "badRequest", 400)
    assert "os-explode" in message
    message = _fault(action(cloud, sid, {"reboot": {"type": "GENTLE"}}),
                     "badRequest", 400)
    assert "reboot/type" in message
    _fault(action(cloud, sid, {"os-stop": None, "os-start": None}),
           "badRequest", 400)


def test_rename_and_delete(cloud):
    sid = boot(cloud, token=ALICE)["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    response = cloud.put("/v2.1/servers/%s" % sid, token=ALICE,
                         json={"server": {"name": "renamed"}})
    assert response.status_code == 200, response.text
    assert response.json()["server"]["name"] == "renamed"
    assert show(cloud, sid, token=ALICE)["name"] == "renamed"
    response = cloud.delete("/v2.1/servers/%s" % sid, token=ALICE)
    assert response.status_code == 204
    wait_for(lambda: cloud.get("/v2.1/servers/%s" % sid,
                               token=ALICE).status_code == 404,
             what="the server to be gone")
    assert names(cloud.get("/v2.1/servers", token=ALICE)) == []


def test_delete_of_a_server_in_error(cloud):
    sid = boot(cloud, metadata={"fake_spawn_error": "boom"})["id"]
    wait_status(cloud, sid, "ERROR")
    assert cloud.delete("/v2.1/servers/%s" % sid).status_code == 204
    wait_for(lambda: cloud.get("/v2.1/servers/%s" % sid).status_code
             == 404, what="the server to be gone")


# Projects -----------------------------------------------------------------

def test_projects_do_not_see_each_other(cloud):
    sid = boot(cloud, name="alices", token=ALICE)["id"]
    boot(cloud, name="bobs", token=BOB)
    assert names(cloud.get("/v2.1/servers", token=ALICE)) == ["alices"]
    assert names(cloud.get("/v2.1/servers/detail", token=BOB)) == ["bobs"]
    for method, kwargs in (("get", {}), ("delete", {}),
                           ("put", {"json": {"server": {"name": "x"}}})):
        response = getattr(cloud, method)("/v2.1/servers/%s" % sid,
                                          token=BOB, **kwargs)
        _fault(response, "itemNotFound", 404)
    _fault(action(cloud, sid, {"os-stop": None}, token=BOB),
           "itemNotFound", 404)
    # Not even by asking for every project, or for alice's.
    _fault(cloud.get("/v2.1/servers?all_tenants=1", token=BOB),
           "forbidden", 403)
    assert names(cloud.get("/v2.1/servers?tenant_id=p1", token=BOB)) == \
        ["bobs"]


def test_admin_sees_every_project_with_all_tenants(cloud):
    boot(cloud, name="alices", token=ALICE)
    boot(cloud, name="bobs", token=BOB)
    assert names(cloud.get("/v2.1/servers")) == []
    everyone = names(cloud.get("/v2.1/servers?all_tenants=True"))
    assert sorted(everyone) == ["alices", "bobs"]
    assert names(cloud.get("/v2.1/servers?all_tenants&tenant_id=p2")) == \
        ["bobs"]
    alices = cloud.get("/v2.1/servers/detail?all_tenants=1&tenant_id=p1")
    assert [s["tenant_id"] for s in alices.json()["servers"]] == ["p1"]


# Lists --------------------------------------------------------------------

def test_paging_with_limit_marker_and_next_link(cloud):
    for index in range(5):
        boot(cloud, name="vm%d" % index)
    page = cloud.get("/v2.1/servers?limit=2&sort_key=display_name"
                     "&sort_dir=asc").json()
    assert [s["name"] for s in page["servers"]] == ["vm0", "vm1"]
    seen = [s["name"] for s in page["servers"]]
    while "servers_links" in page:
        [link] = page["servers_links"]
        assert link["rel"] == "next"
        assert link["href"].startswith(cloud.base_url + "/v2.1/servers?")
        page = cloud.get(link["href"][len(cloud.base_url):]).json()
        seen += [s["name"] for s in page["servers"]]
    assert seen == ["vm0", "vm1", "vm2", "vm3", "vm4"]
    detail = cloud.get("/v2.1/servers/detail?limit=4").json()
    assert [s["name"] for s in detail["servers"]] == ["vm4", "vm3", "vm2",
                                                      "vm1"]
    assert "/v2.1/servers/detail?" in detail["servers_links"][0]["href"]
    _fault(cloud.get("/v2.1/servers?marker=nope"), "badRequest", 400)
    _fault(cloud.get("/v2.1/servers?sort_key=bogus"), "badRequest", 400)


def test_filters(cloud):
    web = boot(cloud, name="web-1")["id"]
    boot(cloud, name="db-1", flavorRef="2")
    wait_status(cloud, web, "ACTIVE")
    assert names(cloud.get("/v2.1/servers?name=web")) == ["web-1"]
    assert names(cloud.get("/v2.1/servers?flavor=2")) == ["db-1"]
    assert names(cloud.get("/v2.1/servers?flavor=999")) == []
    assert len(names(cloud.get("/v2.1/servers?image=%s" % IMAGE))) == 2
    assert names(cloud.get("/v2.1/servers?host=compute1&name=web")) == \
        ["web-1"]
    assert names(cloud.get("/v2.1/servers?host=elsewhere")) == []
    assert names(cloud.get("/v2.1/servers?status=SHUTOFF")) == []
    # openstack server list sends deleted=False.
    assert len(names(cloud.get("/v2.1/servers?deleted=False"))) == 2


def test_host_filter_is_ignored_for_users(cloud):
    boot(cloud, name="mine", token=ALICE)
    response = cloud.get("/v2.1/servers?host=elsewhere", token=ALICE)
    assert names(response) == ["mine"]


def test_invalid_status_is_empty_then_400_from_2_38(cloud):
    boot(cloud)
    assert names(cloud.get("/v2.1/servers?status=SLEEPY",
                           version="2.37")) == []
    message = _fault(cloud.get("/v2.1/servers?status=SLEEPY",
                               version="2.38"), "badRequest", 400)
    assert "status" in message


def test_changes_since_shows_deleted_servers(cloud):
    sid = boot(cloud)["id"]
    wait_status(cloud, sid, "ACTIVE")
    since = show(cloud, sid)["created"]
    assert cloud.delete("/v2.1/servers/%s" % sid).status_code == 204
    wait_for(lambda: cloud.get("/v2.1/servers/%s" % sid).status_code
             == 404, what="the server to be gone")
    servers = cloud.get("/v2.1/servers/detail?changes-since=%s"
                        % since).json()["servers"]
    assert [(s["id"], s["status"]) for s in servers] == [(sid, "DELETED")]
    _fault(cloud.get("/v2.1/servers?changes-since=yesterday"),
           "badRequest", 400)


# Microversions ------------------------------------------------------------

def test_flavor_is_embedded_from_2_47(cloud):
    sid = boot(cloud)["id"]
    old = show(cloud, sid, version="2.46")
    assert old["flavor"]["id"] == "1"
    new = show(cloud, sid, version="2.47")
    assert new["flavor"] == {"vcpus": 1, "ram": 512, "disk": 1,
                             "ephemeral": 0, "swap": 0,
                             "original_name": "m1.tiny",
                             "extra_specs": {}}
    assert new["locked"] is False and new["tags"] == []
    assert new["description"] is None


def test_host_status_for_admins_from_2_16(cloud):
    sid = boot(cloud, token=ALICE)["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    assert "host_status" not in show(cloud, sid, version="2.15")
    assert show(cloud, sid, version="2.16")["host_status"] == "UP"
    assert "host_status" not in show(cloud, sid, token=ALICE,
                                     version="2.16")


def test_latest_is_the_maximum(cloud):
    response = cloud.get("/v2.1/servers", version="latest")
    assert response.headers["OpenStack-API-Version"] == \
        "compute %s" % api_version.MAX_VERSION
    _fault(cloud.get("/v2.1/servers", version="2.105"), "computeFault",
           406)


# Images -------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["/v2.1", "/v2.1/v2"])
def test_image_catalog_in_glance_shape(cloud, prefix):
    images = cloud.get(prefix + "/images").json()["images"]
    assert [(i["id"], i["name"], i["status"]) for i in images] == [
        (IMAGE, "cirros", "active")]
    image = cloud.get(prefix + "/images/%s" % IMAGE).json()
    assert image["id"] == IMAGE and image["name"] == "cirros"
    assert cloud.get(prefix + "/images?name=cirros").json()["images"]
    assert cloud.get(prefix + "/images?name=other").json()["images"] == []
    listed = cloud.get(prefix + "/images?id=in:%s,other" % IMAGE).json()
    assert [i["id"] for i in listed["images"]] == [IMAGE]
    _fault(cloud.get(prefix + "/images/cirros"), "itemNotFound", 404)


def test_image_as_root_disk_is_accepted_other_devices_are_not(cloud):
    # What `openstack server create --image` sends along with imageRef.
    device = {"uuid": IMAGE, "boot_index": 0, "source_type": "image",
              "destination_type": "local", "delete_on_termination": True}
    created = boot(cloud, block_device_mapping_v2=[device])
    wait_status(cloud, created["id"], "ACTIVE")
    volume = dict(device, source_type="volume")
    response = cloud.post("/v2.1/servers", json={"server": {
        "name": "vm", "flavorRef": "1", "imageRef": IMAGE,
        "block_device_mapping_v2": [volume]}})
    message = _fault(response, "badRequest", 400)
    assert "block_device_mapping_v2/0/source_type" in message
    other = dict(device, uuid="7e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f")
    response = cloud.post("/v2.1/servers", json={"server": {
        "name": "vm", "flavorRef": "1", "imageRef": IMAGE,
        "block_device_mapping_v2": [other]}})
    assert "block_device_mapping_v2/0/uuid" in _fault(response,
                                                      "badRequest", 400)

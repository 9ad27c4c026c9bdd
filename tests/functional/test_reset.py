"""Reset (issue 10, part 5): ``POST /minova/reset`` and ``minova-manage
reset`` bring a running cloud back to its freshly bootstrapped state, as a
tool tester uses it between two test runs: everything made goes, the
admin's clouds.yaml and tokens keep working, and the next run boots as on
a fresh cloud."""

from __future__ import annotations

import pytest
import requests

from minova import reset as cloud_reset
from minova import service
from minova.cmd import manage
from minova.db import flavors as db_flavors
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import start_compute
from tests.identity_fixtures import start_identity_cloud
from tests.utils import wait_for


@pytest.fixture
def cloud(conf, transport, db, conductor, launched):
    """Identity, compute, image and network APIs with a scheduler and one
    compute; reset enabled."""
    conf.set_override("enable_reset", True, group="api")
    db_flavors.ensure_defaults(db)
    scheduler = service.Service.create(
        conf, transport, binary="minova-scheduler",
        topic=conf.scheduler.topic, manager=conf.scheduler.manager, db=db,
        periodic_enable=False)
    scheduler.start()
    launched.append(scheduler)
    compute = start_compute(conf, transport, launched)
    ident = start_identity_cloud(conf, transport, db, launched)
    ident.compute_service = compute
    ident.scheduler = scheduler
    admin = ident.admin()
    wait_for(lambda: ident.compute("GET", "/os-hypervisors", admin).json()[
        "hypervisors"], what="the compute node to report")
    return ident


def _ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json() if response.text else None


def _boot(cloud, token, name, **extra):
    body = {"name": name, "flavorRef": extra.pop("flavor", "1"),
            "imageRef": IMAGE, "networks": "auto", **extra}
    return _ok(cloud.compute("POST", "/servers", token,
                             json={"server": body}), 202)["server"]["id"]


def _active(cloud, token, sid):
    def active():
        server = _ok(cloud.compute("GET", "/servers/%s" % sid, token))
        return server["server"]["status"] == "ACTIVE"
    wait_for(active, what="server %s to be ACTIVE" % sid)


def _reset(cloud, token):
    return requests.post(cloud.base_url + "/minova/reset",
                         headers={"X-Auth-Token": token}, timeout=60)


def _make_a_mess(cloud, admin):
    """What a test run of a tool leaves behind."""
    alice = cloud.create_user("alice", "alice-pw", "demo")
    _ok(cloud.request("POST", "/v3/projects", admin,
                      json={"project": {"name": "p2"}}), 201)
    _ok(cloud.compute("POST", "/flavors", admin, json={"flavor": {
        "name": "big", "ram": 512, "vcpus": 2, "disk": 1, "id": "big"}}))
    _ok(cloud.compute("POST", "/flavors/1/os-extra_specs", admin, json={
        "extra_specs": {"minova:build_delay": "0"}}))
    _ok(cloud.compute("POST", "/os-keypairs", admin, json={"keypair": {
        "name": "k1"}}))
    _ok(requests.post(cloud.base_url + "/image/v2/images", timeout=30,
                      headers={"X-Auth-Token": admin},
                      json={"name": "mine", "disk_format": "raw",
                            "container_format": "bare"}), 201)
    _ok(cloud.compute("POST", "/os-server-groups", admin, json={
        "server_group": {"name": "g", "policies": ["affinity"]}}))
    demo_project = cloud.find("projects", "demo", admin)["id"]
    _ok(cloud.compute("PUT", "/os-quota-sets/%s" % demo_project, admin,
                      json={"quota_set": {"instances": 3}}))
    servers = [_boot(cloud, admin, "vm%d" % i) for i in range(3)]
    for sid in servers:
        _active(cloud, admin, sid)
    _ok(cloud.compute("PUT", "/os-services/disable", admin, json={
        "host": "compute1", "binary": "minova-compute"}))
    return alice


@pytest.mark.backends("db")
def test_reset_brings_back_a_fresh_cloud(cloud):
    admin = cloud.admin()
    demo = cloud.demo()
    alice = _make_a_mess(cloud, admin)
    alice_token = cloud.token("alice", "alice-pw", "demo")

    body = _ok(_reset(cloud, admin))["reset"]
    assert body["rows_deleted"] > 0
    assert body["services_reset"] == ["minova-compute on compute1",
                                      "minova-scheduler on test-host"]
    assert body["services_missed"] == []

    # Tokens of the bootstrap users issued before still work; others not.
    servers = _ok(cloud.compute("GET", "/servers/detail?all_tenants=1",
                                admin))
    assert servers["servers"] == []
    assert _ok(cloud.compute("GET", "/servers", demo))["servers"] == []
    assert cloud.compute("GET", "/servers", alice_token).status_code == 401
    assert cloud.password_auth("alice", "alice-pw", "demo").status_code \
        == 401
    projects = _ok(cloud.request("GET", "/v3/projects", admin))["projects"]
    assert sorted(p["name"] for p in projects) == ["admin", "demo"]
    users = _ok(cloud.request("GET", "/v3/users", admin))["users"]
    assert sorted(u["name"] for u in users) == ["admin", "demo"]
    assert alice["id"] not in [u["id"] for u in users]
    # Flavors, images, key pairs, groups, quotas: as bootstrap made them.
    flavors = _ok(cloud.compute("GET", "/flavors", admin))["flavors"]
    assert sorted(f["name"] for f in flavors) == [
        "m1.large", "m1.medium", "m1.small", "m1.tiny", "m1.xlarge"]
    assert _ok(cloud.compute("GET", "/flavors/1/os-extra_specs", admin)) \
        == {"extra_specs": {}}
    images = _ok(requests.get(cloud.base_url + "/image/v2/images",
                              headers={"X-Auth-Token": admin}, timeout=30))
    assert [i["name"] for i in images["images"]] == ["cirros"]
    assert _ok(cloud.compute("GET", "/os-keypairs", admin))["keypairs"] == []
    assert _ok(cloud.compute("GET", "/os-server-groups?all_projects=1",
                             admin))["server_groups"] == []
    demo_project = cloud.find("projects", "demo", admin)["id"]
    quota = _ok(cloud.compute("GET", "/os-quota-sets/%s" % demo_project,
                              admin))["quota_set"]
    assert quota["instances"] == 10
    networks = _ok(requests.get(cloud.base_url + "/networking/v2.0/networks",
                                headers={"X-Auth-Token": admin},
                                timeout=30))["networks"]
    assert sorted(n["name"] for n in networks) == ["private", "public"]
    ports = _ok(requests.get(cloud.base_url + "/networking/v2.0/ports",
                             headers={"X-Auth-Token": admin}, timeout=30))
    assert ports["ports"] == []
    # The compute forgot its instances; its service is enabled again.
    assert cloud.compute_service.manager.driver.list_instances() == []
    hypervisor = _ok(cloud.compute("GET", "/os-hypervisors/detail",
                                   admin))["hypervisors"][0]
    assert (hypervisor["running_vms"], hypervisor["vcpus_used"]) == (0, 0)
    services = _ok(cloud.compute("GET", "/os-services", admin))["services"]
    assert {s["status"] for s in services} == {"enabled"}
    # And the next run boots as on a fresh cloud.
    sid = _boot(cloud, demo, "again")
    _active(cloud, demo, sid)


def test_reset_is_for_admins_and_off_unless_enabled(cloud, conf):
    demo = cloud.demo()
    admin = cloud.admin()
    response = _reset(cloud, demo)
    assert response.status_code == 403, response.text
    assert "minova:reset" in response.json()["forbidden"]["message"]
    response = requests.post(cloud.base_url + "/minova/reset",
                             headers={"X-Auth-Token": admin,
                                      "Content-Type": "application/json"},
                             data="[1]", timeout=30)
    assert response.status_code == 400, response.text
    assert _reset(cloud, "bogus").status_code == 401
    assert requests.get(cloud.base_url + "/minova/reset", timeout=30,
                        headers={"X-Auth-Token": admin}).status_code == 405
    conf.set_override("enable_reset", False, group="api")
    response = _reset(cloud, admin)
    assert response.status_code == 404, response.text
    assert "enable_reset" in response.json()["itemNotFound"]["message"]


@pytest.mark.backends("rpc")
def test_minova_manage_reset(cloud, conf, capsys):
    admin = cloud.admin()
    sid = _boot(cloud, admin, "vm")
    _active(cloud, admin, sid)
    assert manage.cloud_reset(conf) == 0
    out = capsys.readouterr().out
    assert "rows deleted" in out
    if conf.transport_url.startswith("inproc:"):
        # This process's own transport, as minova-all's: the command
        # resets the database and says the services were not told.
        assert "were not told" in out
    else:
        # Over a broker the command reaches the running services.
        assert "services reset: minova-compute on compute1, " \
               "minova-scheduler on test-host" in out
        assert cloud.compute_service.manager.driver.list_instances() == []
    assert cloud.compute("GET", "/servers/%s" % sid, admin).status_code \
        == 404
    assert _ok(cloud.compute("GET", "/servers", admin))["servers"] == []


def test_a_compute_that_does_not_answer_is_reported(cloud, conf,
                                                     transport, db):
    admin = cloud.admin()
    sid = _boot(cloud, admin, "vm")
    _active(cloud, admin, sid)
    # Stopped, but its heartbeat is recent: the reset still counts on it.
    cloud.compute_service.stop()
    result = cloud_reset.reset(conf, transport, db, service_timeout=0.5)
    assert result.services_missed == ["minova-compute on compute1"]
    assert result.services_reset == ["minova-scheduler on test-host"]
    # The database is reset all the same.
    assert _ok(cloud.compute("GET", "/servers", admin))["servers"] == []

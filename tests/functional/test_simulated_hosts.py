"""``[compute] simulated_hosts``: many real compute services in one
process, and the heartbeats they cast to the conductor in batches."""

from __future__ import annotations

import pytest
import requests

from minova import service
from minova import servicegroup
from minova.compute import simulated
from minova.db import flavors as db_flavors
from minova.objects import service as service_obj
from tests.compute_fixtures import start_scheduler
from tests.functional.test_api_servers import IMAGE
from tests.utils import free_port
from tests.utils import wait_for

HOSTS = 6


@pytest.fixture
def hosts(conf, transport, db, api, launched):
    """A scheduler and HOSTS simulated computes behind the API."""
    conf.set_override("simulated_hosts", HOSTS, group="compute")
    conf.set_override("heartbeat_flush_interval", 0.05, group="conductor")
    conf.set_override("instances", -1, group="quota")
    conf.set_override("cores", -1, group="quota")
    conf.set_override("ram", -1, group="quota")
    db_flavors.ensure_defaults(db)
    start_scheduler(conf, transport, db, launched)

    # A fixed port, as the systemd unit sets it: one host binds it.
    conf.set_override("listen", "127.0.0.1", group="health")
    conf.set_override("listen_port", free_port(), group="health")

    def build(host, health=True):
        return service.Service.create(
            conf, transport, host=host, binary="minova-compute",
            topic=conf.compute.topic, manager=conf.compute.manager,
            db_allowed=False, report_interval=1, periodic_enable=False,
            health=health)

    group = simulated.SimulatedHosts(conf, build)
    group.start()
    launched.append(group)
    return group


def test_host_names(conf):
    conf.set_override("simulated_hosts", 3, group="compute")
    assert simulated.host_names(conf) == ["test-host-0001", "test-host-0002",
                                          "test-host-0003"]
    conf.set_override("simulated_hosts", 12345 // 2, group="compute")
    assert simulated.host_names(conf)[-1] == "test-host-6172"


def test_each_host_is_a_service_listed_up(api, hosts, admin_context):
    hypervisors = api.get("/v2.1/os-hypervisors").json()["hypervisors"]
    assert sorted(h["hypervisor_hostname"] for h in hypervisors) == [
        "test-host-%04d" % n for n in range(1, HOSTS + 1)]
    assert {h["state"] for h in hypervisors} == {"up"}
    rows = service_obj.ServiceList.get_all(admin_context,
                                           binary="minova-compute")
    assert len(rows) == HOSTS


def test_one_health_port_for_the_process(conf, hosts):
    [serving] = [server for server in hosts.services
                 if server.health_port is not None]
    assert serving.host == hosts.hosts[0]
    response = requests.get("http://127.0.0.1:%d/healthcheck/live"
                            % conf.health.listen_port, timeout=30)
    assert response.status_code == 200, response.text


def test_heartbeats_are_batched_and_stop_with_the_hosts(
        conf, api, hosts, admin_context):
    def counts():
        return {row.host: row.report_count
                for row in service_obj.ServiceList.get_all(
                    admin_context, binary="minova-compute")}

    first = counts()
    # The casts after the first call keep every host's row current.
    wait_for(lambda: all(count >= first[host] + 2
                         for host, count in counts().items()),
             timeout=15, what="two more heartbeats from every host")
    hosts.stop()
    hosts.wait()
    conf.set_override("service_down_time", 2)
    group = servicegroup.API(conf)
    wait_for(lambda: not any(
        group.is_up(row) for row in service_obj.ServiceList.get_all(
            admin_context, binary="minova-compute")),
        timeout=15, what="the stopped hosts reported down")


def test_a_burst_spreads_over_the_hosts_and_goes_active(api, hosts):
    response = api.post("/v2.1/servers", json={"server": {
        "name": "burst", "flavorRef": "1", "imageRef": IMAGE,
        "networks": "none", "min_count": 18, "max_count": 18}})
    assert response.status_code == 202, response.text

    def all_active():
        servers = api.get("/v2.1/servers/detail?name=burst").json()[
            "servers"]
        return (servers if len(servers) == 18 and all(
            s["status"] == "ACTIVE" for s in servers) else None)

    servers = wait_for(all_active, timeout=30, what="18 servers ACTIVE")
    used = {s["OS-EXT-SRV-ATTR:host"] for s in servers}
    # The weighers spread: every host gets some (18 over 6).
    assert used == set(hosts.hosts)

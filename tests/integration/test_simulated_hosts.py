"""The machinery of a load test, small: one minova-compute process with
50 simulated hosts ([compute] simulated_hosts) behind a conductor, a
scheduler and the API, on RabbitMQ and MariaDB. Every host is listed up,
a 200-server burst spreads over all of them and goes ACTIVE, and stopping
the process marks them all down. Not timed: bench/scale.py measures."""

from __future__ import annotations

import collections
import signal

import pytest
import requests

from tests.integration import harness
from tests.utils import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

HOSTS = 50
BURST = 200


def _hypervisors(deploy: harness.Deployment) -> list[dict]:
    try:
        response = deploy.get("/v2.1/os-hypervisors", timeout=30)
    except requests.RequestException:
        return []
    return response.json()["hypervisors"] if response.ok else []


def _servers(deploy: harness.Deployment) -> list[dict]:
    servers: list[dict] = []
    path = "/v2.1/servers/detail?limit=1000"
    while path:
        response = deploy.get(path, timeout=60)
        assert response.status_code == 200, response.text
        body = response.json()
        servers += body["servers"]
        links = [link["href"] for link in body.get("servers_links", [])
                 if link["rel"] == "next"]
        path = links[0].split(deploy.api_url, 1)[-1] if links else ""
    return servers


def test_fifty_simulated_hosts(deployment):
    deploy = deployment
    # A loaded machine answers slower than the harness's 5 s: this test
    # is about the machinery, not about time.
    patient = {"rpc_response_timeout": 60}
    deploy.start("conductor", "controller", **patient)
    deploy.start("scheduler", "controller", **patient)
    deploy.start("api", "controller", **patient)
    computes = deploy.start("compute", "sim", **patient,
                            sections={"compute": {"simulated_hosts": HOSTS}})
    names = {"sim-%04d" % n for n in range(1, HOSTS + 1)}

    def all_listed_up():
        rows = _hypervisors(deploy)
        return ({row["hypervisor_hostname"] for row in rows
                 if row["state"] == "up"} == names)
    wait_for(all_listed_up, timeout=600, interval=1,
             what="%d simulated hosts listed up" % HOSTS)

    response = requests.put(
        deploy.api_url + "/v2.1/os-quota-sets/admin", headers=harness.ADMIN,
        json={"quota_set": {"instances": -1, "cores": -1, "ram": -1}},
        timeout=10)
    assert response.status_code == 200, response.text
    for _ in range(BURST // 50):
        response = deploy.post("/v2.1/servers", {"server": {
            "name": "burst", "flavorRef": "1", "imageRef": harness.IMAGE,
            "networks": "none", "min_count": 50, "max_count": 50}},
            timeout=60)
        assert response.status_code == 202, response.text

    def all_active():
        servers = _servers(deploy)
        statuses = collections.Counter(s["status"] for s in servers)
        assert not statuses.get("ERROR"), statuses
        return (servers if statuses.get("ACTIVE") == BURST else None)
    servers = wait_for(all_active, timeout=300, interval=2,
                       what="%d servers ACTIVE" % BURST)
    per_host = collections.Counter(s["OS-EXT-SRV-ATTR:host"]
                                   for s in servers)
    # The weighers spread over every host (free RAM first).
    assert set(per_host) == names, per_host

    computes.signal(signal.SIGTERM)
    computes.wait(timeout=120)

    def all_down():
        rows = deploy.services()
        return all(rows[("minova-compute", host)]["state"] == "down"
                   for host in names)
    wait_for(all_down, timeout=60, interval=1,
             what="the stopped hosts reported down")

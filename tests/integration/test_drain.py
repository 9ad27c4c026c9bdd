"""SIGTERM to computes with twenty builds in flight, on RabbitMQ and
MariaDB: each compute stops taking work, waits for its builds up to
graceful_shutdown_timeout, naming them, and what it abandons ends in
ERROR with a fault saying so, never in BUILD."""

from __future__ import annotations

import re
import signal

import pytest
import requests

from tests.integration import harness
from tests.integration.test_cloud import boot
from tests.integration.test_cloud import servers
from tests.utils import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CONTROLLER = "controller"
FAST, SLOW = "compute-fast", "compute-slow"
HOST_ATTR = "OS-EXT-SRV-ATTR:host"
TASK_ATTR = "OS-EXT-STS:task_state"
# Builds take 4 s on one compute and 300 s on the other; both drain for
# 30 s less a margin: the first's builds finish, the second's are
# abandoned.
SHUTDOWN_TIMEOUT = 30


def _start(deploy: harness.Deployment) -> dict[str, harness.Process]:
    processes = {"conductor": deploy.start("conductor", CONTROLLER),
                 "scheduler": deploy.start("scheduler", CONTROLLER),
                 "api": deploy.start("api", CONTROLLER)}
    for host, delay in ((FAST, 4), (SLOW, 300)):
        processes[host] = deploy.start(
            "compute", host, sections={"fake_driver": {"spawn_delay": delay}},
            graceful_shutdown_timeout=SHUTDOWN_TIMEOUT)
    expected = {("minova-conductor", CONTROLLER),
                ("minova-scheduler", CONTROLLER),
                ("minova-osapi_compute", CONTROLLER),
                ("minova-compute", FAST), ("minova-compute", SLOW)}
    wait_for(lambda: deploy.all_up(expected), timeout=90, interval=0.5,
             what="every service reported up")
    wait_for(lambda: len(deploy.get("/v2.1/os-hypervisors").json()
                         ["hypervisors"]) == 2,
             timeout=30, interval=0.5, what="two compute nodes")
    response = requests.put(
        deploy.api_url + "/v2.1/os-quota-sets/admin", headers=harness.ADMIN,
        json={"quota_set": {"instances": -1, "cores": -1, "ram": -1}},
        timeout=10)
    assert response.status_code == 200, response.text
    return processes


def _placed(deploy: harness.Deployment,
            ids: list[str]) -> dict[str, str] | None:
    """Server -> its compute, once every build is on one (spawning, or
    already done)."""
    found = servers(deploy)
    hosts = {}
    for server_id in ids:
        server = found[server_id]
        if server["status"] != "ACTIVE" and server[TASK_ATTR] != "spawning":
            return None
        hosts[server_id] = server[HOST_ATTR]
    return hosts


def _lines(log: str, text: str) -> list[str]:
    return [line for line in log.splitlines() if text in line]


def _uuids(line: str) -> set[str]:
    return set(re.findall(r"[0-9a-f-]{36}", line))


def test_sigterm_with_twenty_builds_in_flight(deployment):
    processes = _start(deployment)
    ids = [boot(deployment, "drain-%d" % n) for n in range(20)]
    hosts = wait_for(lambda: _placed(deployment, ids), timeout=60,
                     interval=0.25, what="twenty builds on their computes")
    slow = [i for i in ids if hosts[i] == SLOW]
    fast = [i for i in ids if hosts[i] == FAST]
    assert slow and fast, hosts

    for host in (FAST, SLOW):
        processes[host].signal(signal.SIGTERM)
    for host in (FAST, SLOW):
        assert processes[host].wait(timeout=SHUTDOWN_TIMEOUT + 10) == 0

    found = servers(deployment)
    assert [found[i]["status"] for i in fast] == ["ACTIVE"] * len(fast)
    for server_id in slow:
        server = found[server_id]
        assert server["status"] == "ERROR", server
        assert "stopped during the build" in server["fault"]["message"]
    assert not [s for s in found.values() if s["status"] == "BUILD"]

    slow_log = processes[SLOW].log()
    assert "Graceful shutdown timeout exceeded" not in slow_log
    [abandoned] = _lines(slow_log, "abandoned after")
    assert _uuids(abandoned) == set(slow)
    # While it waited, it said for what: the handlers and the builds.
    waiting = _lines(slow_log, "waiting for work in flight")
    assert waiting and "build_and_run_instance" in waiting[0]
    assert _uuids(waiting[0]) == set(slow)

    fast_log = processes[FAST].log()
    assert "abandoned" not in fast_log
    # (Its builds may all have ended before the signal: then it waited
    # for nothing and said nothing.)
    for line in _lines(fast_log, "waiting for work in flight"):
        assert _uuids(line) <= set(fast)

"""The consumer watchdog on RabbitMQ: a compute whose queue lost its
binding (what a broker failover can leave behind: the connection and the
consumer alive, the messages for the queue dropped as unroutable) answers
again and takes a boot, without a restart."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from typing import Any

import pytest
import requests

from tests.integration import harness
from tests.utils import free_port
from tests.utils import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

HOST = "compute1"
QUEUE = "compute.%s" % HOST
WATCHDOG = {"self_ping_interval": 1, "self_ping_misses": 2,
            "ping_timeout": 2}


def _rabbitmqctl(*args: str) -> str:
    return subprocess.run(["rabbitmqctl", "-q", *args], check=True,
                          capture_output=True, text=True,
                          timeout=60).stdout


def _vhost(deployment: harness.Deployment) -> str:
    return deployment.transport_url.rstrip("/").rpartition("/")[2]


def _bound(vhost: str) -> bool:
    """Is QUEUE bound to minova's exchange?"""
    rows = _rabbitmqctl("list_bindings", "-p", vhost, "source_name",
                        "destination_name", "routing_key")
    return any(line.split("\t") == ["minova", QUEUE, QUEUE]
               for line in rows.splitlines())


def _unbind(vhost: str) -> None:
    """Remove QUEUE's binding from the broker side; its consumer stays."""
    def resource(kind: str, name: str) -> str:
        return 'rabbit_misc:r(<<"%s">>, %s, <<"%s">>)' % (vhost, kind, name)
    # 'ok', or {error, binding_not_found}. (Not checked with
    # list_bindings: the watchdog may have bound it again by then.)
    result = _rabbitmqctl(
        "eval", "rabbit_binding:remove({binding, %s, <<\"%s\">>, %s, []}, "
        "<<\"minova-test\">>)." % (resource("exchange", "minova"), QUEUE,
                                    resource("queue", QUEUE)))
    assert result.strip() == "ok", result


def _service_health(deployment: harness.Deployment) -> Any:
    return subprocess.run(
        [os.path.join(harness.BIN, "minova-manage"), "--config-file",
         str(deployment.config), "service", "health"],
        capture_output=True, text=True, timeout=120)


def _boot(deployment: harness.Deployment, name: str) -> dict:
    response = deployment.post("/v2.1/servers", {"server": {
        "name": name, "flavorRef": "1", "imageRef": harness.IMAGE}})
    assert response.status_code == 202, response.text
    server_id = response.json()["server"]["id"]

    def settled() -> dict | None:
        server = deployment.get("/v2.1/servers/%s" % server_id).json()[
            "server"]
        return None if server["status"] == "BUILD" else server
    return wait_for(settled, timeout=30, interval=0.2,
                    what="the boot of %s to settle" % name)


def _deploy(deployment: harness.Deployment, **health: Any) -> Any:
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("rabbitmqctl is needed to unbind a queue")
    deployment.config.write_text(
        deployment.config.read_text() + "\n[health]\n" + "".join(
            "%s = %s\n" % item for item in health.items()))
    for binary in ("conductor", "scheduler", "api"):
        deployment.start(binary, "controller")
    port = free_port()
    compute = deployment.start("compute", HOST, sections={"health": {
        "listen": "127.0.0.1", "listen_port": port}})
    wait_for(lambda: deployment.all_up({("minova-compute", HOST),
                                        ("minova-conductor", "controller"),
                                        ("minova-scheduler", "controller")}),
             timeout=60, interval=0.2, what="every service up")
    assert _boot(deployment, "before")["status"] == "ACTIVE"
    return compute, "http://127.0.0.1:%d/healthcheck" % port


def test_a_deaf_compute_heals_without_a_restart(deployment):
    compute, health_url = _deploy(deployment, **WATCHDOG)
    assert requests.get(health_url, timeout=10).status_code == 200
    assert _service_health(deployment).returncode == 0
    vhost = _vhost(deployment)
    _unbind(vhost)
    deafened = time.monotonic()

    wait_for(lambda: "its RPC consumer is deaf" in compute.log(),
             timeout=30, interval=0.2, what="the watchdog's warning")
    wait_for(lambda: _bound(vhost), timeout=30, interval=0.2,
             what="the queue bound again")
    server = _boot(deployment, "after")
    assert server["status"] == "ACTIVE", server
    assert time.monotonic() - deafened < 30
    assert compute.running() and compute.log().count(
        "minova-compute on %s started" % HOST) == 1
    result = _service_health(deployment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert requests.get(health_url, timeout=10).status_code == 200


def test_without_the_watchdog_the_compute_stays_deaf(deployment):
    """The control: the same fault, the watchdog off. The compute answers
    nothing, its health port says so, and minova-manage service health
    fails, while its heartbeat still says "up"."""
    compute, health_url = _deploy(deployment, self_ping_interval=0,
                                  ping_timeout=2)
    _unbind(_vhost(deployment))
    result = _service_health(deployment)
    assert result.returncode == 1, result.stdout
    line = [row for row in result.stdout.splitlines()
            if "minova-compute" in row][0]
    assert " up " in line and "NO ANSWER" in line
    response = requests.get(health_url, timeout=30)
    assert response.status_code == 503
    assert "own RPC consumer did not answer a ping" in response.text
    assert not _bound(_vhost(deployment))

"""minova-api and minova-conductor as real processes on RabbitMQ and a
real database: registration, heartbeats and the signals an operator (or
systemd) sends."""

from __future__ import annotations

import json
import os
import signal
import socket
import time

import eventlet
import pytest

from tests.integration import harness
from tests.utils import wait_for

pytestmark = pytest.mark.integration

HOST = "controller"
API = ("minova-osapi_compute", HOST)
CONDUCTOR = ("minova-conductor", HOST)


def start_control_plane(deploy: harness.Deployment) -> tuple:
    conductor = deploy.start("conductor", HOST)
    api = deploy.start("api", HOST)
    wait_for(lambda: not api.running() or deploy.api_answers(),
             timeout=60, interval=0.2, what="minova-api to answer")
    assert api.running(), api.log()
    wait_for(lambda: len(api.workers()) == 2, timeout=10,
             what="two API workers")
    return conductor, api


def served_by(api: harness.Process, pid: int) -> int:
    """Access-log lines written by worker ``pid``."""
    marker = " %d INFO minova.osapi_compute.wsgi.server" % pid
    return sum(marker in line and "status: 200" in line
               for line in api.log().splitlines())


def test_services_register_and_heartbeat(deployment):
    _conductor, api = start_control_plane(deployment)
    wait_for(lambda: deployment.all_up({API, CONDUCTOR}), timeout=30,
             interval=0.5, what="conductor and API reported up")
    before = deployment.report_counts()
    # Two API workers share their host+binary row: both count into it.
    wait_for(lambda: all(deployment.report_counts()[key] >= before[key] + 2
                         for key in (API, CONDUCTOR)),
             timeout=5 * harness.REPORT_INTERVAL + 5, interval=0.5,
             what="two more heartbeats of each service")
    assert deployment.service_rows() == sorted([API, CONDUCTOR])


def test_killed_worker_is_respawned_while_requests_are_answered(
        deployment):
    _conductor, api = start_control_plane(deployment)
    victim, survivor = api.workers()
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    answered = 0
    # One new connection per request: nothing may reach the dead worker.
    while True:
        response = deployment.get("/v2.1/os-services", timeout=5)
        assert response.status_code == 200, response.text
        answered += 1
        workers = api.workers()
        if len(workers) == 2 and victim not in workers:
            break
        assert time.monotonic() - killed_at < 2, (
            "no new worker 2 s after the kill; workers: %s" % workers)
    respawned = (set(workers) - {survivor}).pop()
    assert answered >= 1
    # The new worker really serves: its pid shows up in the access log.
    wait_for(lambda: deployment.get("/v2.1/os-services").status_code == 200
             and served_by(api, respawned), timeout=15, interval=0.05,
             what="a request answered by the respawned worker %d"
             % respawned)


def _accept_queue(port: int) -> int | None:
    """Connections waiting in the listening socket's accept queue."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            next(rows)
            for row in rows:
                fields = row.split()
                local_port = int(fields[1].rpartition(":")[2], 16)
                if local_port == port and fields[3] == "0A":
                    return int(fields[4].partition(":")[2], 16)
    return None


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


class SlowUpload:
    """A POST whose body arrives slowly: the request is in the server
    (accepted, its handler reading the body) for as long as we like,
    without any test-only endpoint in the API."""

    def __init__(self, port: int, path: str, body: dict) -> None:
        self.body = json.dumps(body).encode()
        self.sock = socket.create_connection(("127.0.0.1", port),
                                             timeout=30)
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "X-Auth-Token: admin:admin\r\n"
                "Content-Type: application/json\r\n"
                "Content-Length: %d\r\nConnection: close\r\n\r\n"
                % (path, len(self.body)))
        self.sock.sendall(head.encode() + self.body[:5])

    def finish(self, seconds: float) -> tuple[int, bytes]:
        rest = self.body[5:]
        step = max(1, len(rest) // 10)
        for start in range(0, len(rest), step):
            eventlet.sleep(seconds / 10)
            self.sock.sendall(rest[start:start + step])
        answer = b""
        while chunk := self.sock.recv(65536):
            answer += chunk
        self.sock.close()
        status = int(answer.split(b" ", 2)[1])
        return status, answer.partition(b"\r\n\r\n")[2]


def test_sigterm_finishes_requests_in_flight_and_refuses_new_ones(
        deployment):
    _conductor, api = start_control_plane(deployment)
    workers = api.workers()
    uploads = [SlowUpload(deployment.api_port, "/v2.1/flavors",
                          {"flavor": {"name": "slow-%d" % i, "ram": 64,
                                      "vcpus": 1, "disk": 1}})
               for i in range(3)]
    wait_for(lambda: _accept_queue(deployment.api_port) == 0,
             what="the workers to accept the slow uploads")
    api.signal(signal.SIGTERM)
    terminated_at = time.monotonic()
    wait_for(lambda: _refused(deployment.api_port), timeout=5,
             what="new connections to be refused after SIGTERM")
    assert api.running(), "exited with uploads in flight"
    finishing = [eventlet.spawn(upload.finish, 1.0) for upload in uploads]
    for done in finishing:
        status, body = done.wait()
        assert status == 200, body
        assert json.loads(body)["flavor"]["name"].startswith("slow-")
    assert api.wait(timeout=harness.GRACEFUL_SHUTDOWN_TIMEOUT + 5) == 0
    assert time.monotonic() - terminated_at < \
        harness.GRACEFUL_SHUTDOWN_TIMEOUT
    assert not any(harness.alive(pid) for pid in workers)
    assert "Graceful shutdown timeout exceeded" not in api.log()


def test_sighup_turns_on_debug_without_dropping_a_request(deployment):
    _conductor, api = start_control_plane(deployment)
    workers = api.workers()
    accepted = "DEBUG minova.osapi_compute.wsgi.server"
    assert deployment.get("/v2.1/os-services").status_code == 200
    assert accepted not in api.log()

    failures: list = []
    answered = [0]
    stop = eventlet.event.Event()

    def keep_asking() -> int:
        while not stop.ready():
            try:
                status = deployment.get("/v2.1/os-services").status_code
            except Exception as exc:  # noqa: BLE001 - any drop counts
                status = exc
            if status != 200:
                failures.append(status)
            answered[0] += 1
        return answered[0]

    asker = eventlet.spawn(keep_asking)
    deployment.write_config(debug=True)
    api.signal(signal.SIGHUP)
    wait_for(lambda: accepted in api.log(), timeout=10,
             what="DEBUG lines after SIGHUP")
    # Keep the traffic going over the reloaded workers for a while.
    after_reload = answered[0]
    wait_for(lambda: answered[0] >= after_reload + 20, timeout=10,
             what="20 more requests answered after the reload")
    stop.send()
    assert asker.wait() > 0
    assert failures == []
    # A reload, not a restart: the same workers still serve.
    assert api.workers() == workers


def test_two_workers_starting_together_make_one_row(deployment):
    """Both API workers start on an empty services table at once."""
    assert deployment.service_rows() == []
    _conductor, api = start_control_plane(deployment)
    # The conductor registers on its own schedule: wait for both rows,
    # then check the API's workers made one between them.
    wait_for(lambda: {API, CONDUCTOR} <= set(deployment.report_counts()),
             timeout=10, what="the API's and the conductor's service rows")
    assert deployment.service_rows() == sorted([API, CONDUCTOR])
    response = deployment.get("/v2.1/os-services?binary=%s" % API[0])
    assert [row["host"] for row in response.json()["services"]] == [HOST]
    assert "Traceback" not in api.log()

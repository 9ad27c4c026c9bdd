"""Starting and stopping the binaries as an operator does: what --help
says, one-line start-up errors, one minova-all per state directory,
Ctrl-C and SIGTERM, and boots that a crash interrupted."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import eventlet
import pytest
import requests

from tests.integration import harness
from tests.utils import free_port
from tests.utils import wait_for

pytestmark = pytest.mark.integration

BINARIES = ("all", "api", "conductor", "scheduler", "compute")


def _binary(name: str) -> str:
    return os.path.join(harness.BIN, "minova-%s" % name)


def _run(name: str, *args: str, timeout: float = 60) -> Any:
    return subprocess.run([_binary(name), *args], capture_output=True,
                          text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("name,what,option", [
    ("all", "whole minova cloud in one process", "--state_path"),
    ("api", "OpenStack compute API", "--osapi_compute_listen_port"),
    ("conductor", "conductor", "--conductor-workers"),
    ("scheduler", "picks a compute host", "--scheduler-workers"),
    ("compute", "instances of one compute host", "--compute-compute_driver"),
    ("manage", "Administer a minova deployment",
     "{db,service,bootstrap,fernet,reset,version}"),
])
def test_help_says_what_the_program_is_and_its_main_options(name, what,
                                                            option):
    result = _run(name, "--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert what in text
    assert option in text
    if name != "manage":
        assert "--host" in text
        assert "minova.conf.sample" in text


class MinovaAll:
    """A minova-all of its own state directory and ports."""

    def __init__(self, workdir: Path, **options: Any) -> None:
        self.workdir = workdir
        workdir.mkdir(exist_ok=True)
        self.state = workdir / "state"
        self.port = free_port()
        self.config = workdir / "all.conf"
        values = {"state_path": self.state,
                  "osapi_compute_listen_port": self.port,
                  "metadata_listen_port": free_port(),
                  "periodic_fuzzy_delay": 0,
                  "periodic_interval_max": 1,
                  "report_interval": 1,
                  "graceful_shutdown_timeout": 20}
        groups: dict[str, dict] = {}
        for key, value in options.items():
            group, _sep, name = key.rpartition("__")
            if group:
                groups.setdefault(group, {})[name] = value
            else:
                values[key] = value
        lines = ["[DEFAULT]"] + ["%s = %s" % item for item in values.items()]
        for group, opts in groups.items():
            lines += ["[%s]" % group] + ["%s = %s" % item
                                         for item in opts.items()]
        self.config.write_text("\n".join(lines) + "\n")
        self.url = "http://127.0.0.1:%d" % self.port
        self.process: harness.Process | None = None

    def argv(self) -> list[str]:
        return [_binary("all"), "--config-file", str(self.config)]

    def start(self) -> harness.Process:
        self.process = harness.Process(
            "minova-all", self.argv(), self.workdir / "all.log")
        wait_for(lambda: not self.process.running() or self.answers(),
                 timeout=60, interval=0.1, what="minova-all to answer")
        assert self.process.running(), self.process.log()
        return self.process

    def answers(self) -> bool:
        try:
            return requests.get(self.url, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def get(self, path: str) -> Any:
        response = requests.get(self.url + path, headers=harness.ADMIN,
                                timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()


@pytest.fixture
def minova_all(tmp_path: Path) -> Any:
    made: list[MinovaAll] = []

    def make(**options: Any) -> MinovaAll:
        made.append(MinovaAll(tmp_path / str(len(made)), **options))
        return made[-1]
    try:
        yield make
    finally:
        for instance in made:
            instance.kill()


def _one_line(result: Any) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_ctrl_c_stops_minova_all_gracefully(minova_all):
    cloud = minova_all()
    process = cloud.start()
    process.signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    assert "Caught SIGINT, stopping gracefully" in process.log()
    assert "WSGI server osapi_compute has stopped" in process.log()


def test_a_second_minova_all_on_the_same_state_fails_naming_the_holder(
        minova_all):
    first = minova_all()
    holder = first.start()
    second = minova_all(state_path=first.state)
    line = _one_line(subprocess.run(
        second.argv() + ["--log-file", str(second.workdir / "log")],
        capture_output=True, text=True, timeout=60))
    assert line.startswith("minova-all: %s is held by another minova-all "
                           "(pid %d)" % (first.state, holder.pid)), line
    assert holder.running() and first.answers()


def test_port_in_use_is_one_line_naming_the_address(minova_all):
    cloud = minova_all()
    # A plain listener, without SO_REUSEPORT: eventlet cannot bind next
    # to it.
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", cloud.port))
        holder.listen()
        line = _one_line(subprocess.run(
            cloud.argv() + ["--log-file", str(cloud.workdir / "log")],
            capture_output=True, text=True, timeout=60))
    assert "127.0.0.1:%d" % cloud.port in line, line
    assert line.startswith("minova-all: "), line


def test_start_up_errors_are_one_line_naming_the_thing(tmp_path):
    log = ["--log-file", str(tmp_path / "log")]
    dead = free_port()
    db = _one_line(_run(
        "conductor", "--database-connection",
        "mysql+pymysql://root@127.0.0.1:%d/minova" % dead, *log))
    assert "database mysql+pymysql://root@127.0.0.1:%d/minova" % dead in db

    broker = tmp_path / "broker.conf"
    broker.write_text("[DEFAULT]\ntransport_url = "
                      "rabbit://guest:guest@127.0.0.1:%d/\n" % dead)
    line = _one_line(_run("scheduler", "--config-file", str(broker), *log))
    assert "message broker rabbit://127.0.0.1:%d" % dead in line

    line = _one_line(_run("api", "--wsgi-api_paste_config",
                          str(tmp_path / "missing.ini"), *log))
    assert "missing.ini" in line

    bad = tmp_path / "bad.conf"
    bad.write_text("[DEFAULT]\nreport_interval = often\n")
    line = _one_line(_run("all", "--config-file", str(bad), "--state_path",
                          str(tmp_path / "state"), *log))
    assert "report_interval" in line and "often" in line
    # The whole story is in the log, at DEBUG.
    debug = _run("conductor", "--debug", "--database-connection",
                 "mysql+pymysql://root@127.0.0.1:%d/minova" % dead, *log)
    assert debug.returncode == 1
    assert "Traceback" in (tmp_path / "log").read_text()


def test_sigterm_stops_a_compute_whose_conductor_is_gone(deployment):
    conductor = deployment.start("conductor", "controller")
    # Long enough that a stop waiting for an unanswered heartbeat shows.
    compute = deployment.start("compute", "compute1", debug=True,
                               rpc_response_timeout=60)
    wait_for(lambda: "minova-compute on compute1 started" in compute.log(),
             timeout=60, interval=0.2, what="the compute to start")
    conductor.signal(signal.SIGTERM)
    assert conductor.wait(timeout=30) == 0
    # A heartbeat sent from now on waits for an answer that never comes.
    # One is sent within report_interval (1 s), unless the last one, sent
    # while the conductor was stopping, is still waiting: then that one is
    # in flight already.
    marker = "Reporting the state of minova-compute on compute1"
    calls = compute.log().count(marker)
    deadline = time.monotonic() + 3
    while (compute.log().count(marker) == calls
           and time.monotonic() < deadline):
        eventlet.sleep(0.05)
    compute.signal(signal.SIGTERM)
    started = time.monotonic()
    wait_for(lambda: not compute.running(), timeout=5, interval=0.05,
             what="the compute to exit within 5 s of SIGTERM")
    assert compute.wait(timeout=1) == 0
    assert time.monotonic() - started < 5


def test_restarted_compute_takes_a_boot_at_once(deployment):
    """Stopped longer than service_down_time: the restarted compute is up
    as soon as it has started, not one report_interval later."""
    for binary in ("conductor", "scheduler", "api"):
        deployment.start(binary, "controller")
    # Its own heartbeat is rare: only the first one, at start, counts here.
    compute = deployment.start("compute", "compute1", report_interval=60)
    wait_for(deployment.api_answers, timeout=60, interval=0.2,
             what="the API")
    wait_for(lambda: "minova-compute on compute1 started" in compute.log(),
             timeout=60, interval=0.2, what="the compute to start")
    compute.signal(signal.SIGTERM)
    assert compute.wait(timeout=10) == 0
    wait_for(lambda: deployment.services()[("minova-compute", "compute1")]
             ["state"] == "down", timeout=harness.SERVICE_DOWN_TIME + 70,
             interval=0.5, what="the compute reported down")
    compute = deployment.start("compute", "compute1", report_interval=60)
    # Both processes write the same log file: wait for a second start.
    wait_for(lambda: compute.log().count(
        "minova-compute on compute1 started") == 2, timeout=60,
        interval=0.05, what="the compute to start again")
    response = deployment.post("/v2.1/servers", {"server": {
        "name": "at-once", "flavorRef": "1", "imageRef": harness.IMAGE}})
    assert response.status_code == 202, response.text
    server_id = response.json()["server"]["id"]

    def settled() -> dict | None:
        server = deployment.get("/v2.1/servers/%s" % server_id).json()[
            "server"]
        return None if server["status"] == "BUILD" else server
    server = wait_for(settled, timeout=30, interval=0.2,
                      what="the boot to settle")
    assert server["status"] == "ACTIVE", server


def test_boots_a_crash_interrupted_end_active_or_error(minova_all):
    """kill -9 during 100 boots, restart: within the timeout nothing is in
    BUILD, every ERROR has a fault, and the hypervisor's usage is that of
    the ACTIVE servers."""
    cloud = minova_all(conductor__build_timeout=5,
                       fake_driver__spawn_delay=0.5,
                       quota__instances=-1, quota__cores=-1, quota__ram=-1)
    process = cloud.start()
    accepted = []
    for index in range(100):
        if index == 50:
            os.kill(process.pid, signal.SIGKILL)
        try:
            response = requests.post(
                cloud.url + "/v2.1/servers", headers=harness.ADMIN,
                timeout=10, json={"server": {
                    "name": "crash-%d" % index, "flavorRef": "1",
                    "imageRef": harness.IMAGE}})
        except requests.ConnectionError:
            break
        assert response.status_code == 202, response.text
        accepted.append(response.json()["server"]["id"])
    process.wait(timeout=10)
    assert len(accepted) >= 50
    cloud.start()

    def settled() -> dict | None:
        found = {server["id"]: server for server in cloud.get(
            "/v2.1/servers/detail?limit=1000")["servers"]}
        if any(found[i]["status"] == "BUILD" for i in accepted):
            return None
        return found
    found = wait_for(settled, timeout=60, interval=0.5,
                     what="no server of the crash left in BUILD")
    assert {found[i]["status"] for i in accepted} <= {"ACTIVE", "ERROR"}
    for server_id in accepted:
        if found[server_id]["status"] == "ERROR":
            assert found[server_id]["fault"]["message"], found[server_id]
    active = sum(found[i]["status"] == "ACTIVE" for i in accepted)
    assert active > 0

    def usage() -> tuple:
        node = cloud.get("/v2.1/os-hypervisors/detail")["hypervisors"][0]
        return node["vcpus_used"], node["memory_mb_used"]
    # m1.tiny: 1 vCPU, 512 MB.
    wait_for(lambda: usage() == (active, 512 * active), timeout=30,
             interval=0.5, what="usage of %d ACTIVE servers, not %s"
             % (active, usage()))


def test_sigterm_stops_a_compute_whose_broker_is_unreachable(deployment):
    proxy = harness.BrokerProxy()
    try:
        deployment.transport_url = proxy.url(deployment.transport_url)
        deployment.write_config()
        deployment.start("conductor", "controller")
        compute = deployment.start("compute", "compute1",
                                   rpc_response_timeout=60)
        wait_for(lambda: "minova-compute on compute1 started"
                 in compute.log(), timeout=60, interval=0.2,
                 what="the compute to start")
        proxy.cut()
        wait_for(lambda: "is unreachable" in compute.log(), timeout=30,
                 interval=0.1, what="the compute to notice the outage")
        compute.signal(signal.SIGTERM)
        started = time.monotonic()
        wait_for(lambda: not compute.running(), timeout=5, interval=0.05,
                 what="the compute to exit within 5 s of SIGTERM")
        assert compute.wait(timeout=1) == 0
        assert time.monotonic() - started < 5
    finally:
        proxy.close()

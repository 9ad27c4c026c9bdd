"""minova-api as a real multi-worker process tree (ProcessLauncher)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.utils import children
from tests.utils import free_port
from tests.utils import wait_for

BIN = os.path.dirname(sys.executable)


def _answers(url):
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


def _refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.fixture
def config_file(tmp_path):
    port = free_port()
    path = tmp_path / "minova.conf"
    path.write_text(
        "[DEFAULT]\n"
        "state_path = %(tmp)s\n"
        "host = mp-host\n"
        "transport_url = fake://\n"
        "enabled_apis = osapi_compute\n"
        "osapi_compute_listen = 127.0.0.1\n"
        "osapi_compute_listen_port = %(port)d\n"
        "osapi_compute_workers = 2\n"
        "report_interval = 1\n"
        "log_file = %(tmp)s/minova-api.log\n"
        "[api]\n"
        "auth_strategy = noauth2\n"
        "[database]\n"
        "connection = sqlite:///%(tmp)s/minova.sqlite\n"
        % {"tmp": tmp_path, "port": port})
    subprocess.run([os.path.join(BIN, "minova-manage"), "--config-file",
                    str(path), "db", "sync"], check=True,
                   capture_output=True, timeout=60)
    return path, port


@contextlib.contextmanager
def two_worker_api(path, base):
    """A real ``minova-api`` of ``path``'s config with two workers:
    (the parent process, its workers' pids), once it answers; killed with
    its workers at the end if the test did not stop it."""
    process = subprocess.Popen(
        [os.path.join(BIN, "minova-api"), "--config-file", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    try:
        wait_for(lambda: process.poll() is not None or _answers(base + "/"),
                 timeout=30, what="minova-api to answer GET /")
        assert process.poll() is None, process.stderr.read().decode()
        def two_workers() -> list | None:
            now = children(process.pid)  # one reading per try
            return now if len(now) == 2 else None

        workers = wait_for(two_workers, timeout=10,
                           what="two worker processes")
        yield process, workers
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        process.stderr.close()


@pytest.mark.slow
def test_api_with_two_workers_serves_and_stops_on_sigterm(config_file):
    path, port = config_file
    base = "http://127.0.0.1:%d" % port
    with two_worker_api(path, base) as (process, workers):
        assert process.pid not in workers

        assert requests.get(base + "/", timeout=10).json()["versions"]
        for _ in range(4):
            response = requests.get(base + "/v2.1/os-services", timeout=10,
                                    headers={"X-Auth-Token": "admin"})
            assert response.status_code == 200
            [row] = response.json()["services"]
            assert (row["host"], row["binary"]) == ("mp-host",
                                                    "minova-osapi_compute")

        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert process.wait(timeout=30) == 0
        assert time.monotonic() - started < 30
        assert _refused(port)
        wait_for(lambda: not any(os.path.exists("/proc/%d" % pid)
                                 for pid in workers),
                 timeout=10, what="the workers to exit")

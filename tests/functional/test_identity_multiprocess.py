"""minova-api with two worker processes on one database: a revoked
token is refused by both within [identity] cache_refresh_interval."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from tests.utils import children
from tests.utils import free_port
from tests.utils import wait_for

BIN = os.path.dirname(sys.executable)
INTERVAL = 0.5


@pytest.fixture
def api_process(tmp_path):
    port = free_port()
    path = tmp_path / "minova.conf"
    path.write_text(
        "[DEFAULT]\nstate_path = %(tmp)s\nhost = mp-host\n"
        "transport_url = fake://\nenabled_apis = osapi_compute\n"
        "osapi_compute_listen = 127.0.0.1\n"
        "osapi_compute_listen_port = %(port)d\nosapi_compute_workers = 2\n"
        "log_file = %(tmp)s/minova-api.log\n"
        "[identity]\npassword_hash_rounds = 4\n"
        "cache_refresh_interval = %(interval)s\n"
        "[database]\nconnection = sqlite:///%(tmp)s/minova.sqlite\n"
        % {"tmp": tmp_path, "port": port, "interval": INTERVAL})
    subprocess.run([os.path.join(BIN, "minova-manage"), "--config-file",
                    str(path), "bootstrap", "--bootstrap-password", "pw",
                    "--demo-password", "dpw"],
                   check=True, capture_output=True, timeout=120)
    process = subprocess.Popen(
        [os.path.join(BIN, "minova-api"), "--config-file", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    base = "http://127.0.0.1:%d" % port
    try:
        wait_for(lambda: process.poll() is not None or _status(
            base + "/v2.1/") == 200, timeout=60, what="minova-api")
        assert process.poll() is None, (tmp_path / "minova-api.log"
                                        ).read_text()
        wait_for(lambda: len(children(process.pid)) == 2, timeout=10,
                 what="two worker processes")
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _status(url, token=None):
    headers = {"X-Auth-Token": token} if token else {}
    try:
        return requests.get(url, headers=headers, timeout=5).status_code
    except requests.ConnectionError:
        return None


@pytest.mark.slow  # a process tree and minova-manage
def test_both_workers_refuse_a_revoked_token(api_process):
    base = api_process
    issued = requests.post(base + "/identity/v3/auth/tokens", timeout=30,
                           json={"auth": {"identity": {
                               "methods": ["password"], "password": {
                                   "user": {"name": "demo", "password": "dpw",
                                            "domain": {"id": "default"}}}},
                               "scope": {"project": {
                                   "name": "demo",
                                   "domain": {"id": "default"}}}}})
    assert issued.status_code == 201, issued.text
    token = issued.headers["X-Subject-Token"]
    servers = base + "/v2.1/servers"
    # A new connection each time: the kernel spreads them over both
    # workers, which each load the token's roles into their own cache.
    assert {_status(servers, token) for _ in range(20)} == {200}
    revoked = requests.delete(base + "/identity/v3/auth/tokens", timeout=30,
                              headers={"X-Auth-Token": token,
                                       "X-Subject-Token": token})
    assert revoked.status_code == 204
    started = time.monotonic()
    wait_for(lambda: {_status(servers, token) for _ in range(20)} == {401},
             timeout=INTERVAL + 5, interval=0.05,
             what="both workers to refuse the revoked token")
    assert time.monotonic() - started < INTERVAL + 2

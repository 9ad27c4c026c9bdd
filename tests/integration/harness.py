"""A minova deployment of real processes, as an operator would run it.

``Deployment`` writes one config file shared by every process (RabbitMQ on
a vhost of its own, a database of its own, free ports, short heartbeat
intervals) plus a small one per process with its ``[DEFAULT] host``,
starts the console scripts of this virtualenv as subprocesses with their
output in a log file each, and kills every process it started, by process
group, when ``stop_all`` runs (the ``deployment`` fixture calls it even
when the test fails).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import eventlet
import requests
import sqlalchemy as sa
from oslo_config import cfg

from minova import config
from minova.db import api as db_api
from minova.db import flavors as db_flavors
from minova.db import migration
from minova.identity import bootstrap
from minova.image import seed as image_seed
from tests.utils import children
from tests.utils import free_port

BIN = os.path.dirname(sys.executable)
IMAGE = "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f"  # [image] images default
ADMIN = {"X-Auth-Token": "admin:admin"}

# Short enough that a test sees a heartbeat or a down service in seconds.
REPORT_INTERVAL = 1
SERVICE_DOWN_TIME = 6
RPC_RESPONSE_TIMEOUT = 5
GRACEFUL_SHUTDOWN_TIMEOUT = 15


def alive(pid: int) -> bool:
    try:
        with open("/proc/%d/stat" % pid) as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


class Process:
    """One console script running under the deployment."""

    def __init__(self, name: str, argv: list[str], log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "ab")
        # A session of its own: the whole tree (a ProcessLauncher's
        # workers too) can be killed through the process group.
        self.popen = subprocess.Popen(argv, stdout=self._log,
                                      stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL,
                                      start_new_session=True)
        self.pid = self.popen.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def signal(self, signo: int) -> None:
        self.popen.send_signal(signo)

    def running(self) -> bool:
        return self.popen.poll() is None

    def workers(self) -> list[int]:
        return children(self.pid)

    def wait(self, timeout: float) -> int:
        return self.popen.wait(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL the whole process group; reap the leader."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()

    def __repr__(self) -> str:
        return "<%s pid %d>" % (self.name, self.pid)


class Deployment:
    """Config files, processes and HTTP/DB access for one test."""

    def __init__(self, workdir: Path, transport_url: str,
                 db_url: str) -> None:
        self.workdir = workdir
        self.transport_url = transport_url
        self.db_url = db_url
        self.api_port = free_port()
        self.api_url = "http://127.0.0.1:%d" % self.api_port
        self.config = workdir / "minova.conf"
        self.processes: list[Process] = []
        self.write_config()
        self._engine: sa.Engine | None = None

    def write_config(self, debug: bool = False,
                     auth_strategy: str = "noauth2", **extra: Any) -> None:
        """The file every process reads; rewriting it and sending SIGHUP
        is how an operator changes a mutable option. The compute API
        trusts noauth2 tokens unless told otherwise (tests of the identity
        API pass ``auth_strategy="minova"``)."""
        options = {
            "state_path": self.workdir,
            "transport_url": self.transport_url,
            "enabled_apis": "osapi_compute",
            "osapi_compute_listen": "127.0.0.1",
            "osapi_compute_listen_port": self.api_port,
            "osapi_compute_workers": 2,
            "report_interval": REPORT_INTERVAL,
            "service_down_time": SERVICE_DOWN_TIME,
            "periodic_fuzzy_delay": 0,
            "periodic_interval_max": 2,
            "rpc_response_timeout": RPC_RESPONSE_TIMEOUT,
            "graceful_shutdown_timeout": GRACEFUL_SHUTDOWN_TIMEOUT,
            "debug": debug,
        }
        options.update(extra)
        lines = ["[DEFAULT]"]
        lines += ["%s = %s" % item for item in options.items()]
        lines += ["", "[api]", "auth_strategy = %s" % auth_strategy,
                  # bcrypt's lowest cost: password checks out of the time.
                  "", "[identity]", "password_hash_rounds = 4",
                  "", "[conductor]", "workers = 1",
                  "", "[compute]", "update_resources_interval = 2",
                  "", "[database]", "connection = %s" % self.db_url,
                  # Reconnect fast after the broker drops us.
                  "", "[oslo_messaging_rabbit]",
                  "rabbit_retry_interval = 1", "rabbit_retry_backoff = 1",
                  "rabbit_interval_max = 2", "kombu_reconnect_delay = 0.5",
                  ""]
        self.config.write_text("\n".join(lines))

    def sync_db(self) -> None:
        """What ``minova-manage db sync`` does, without paying for a
        process start (tests/unit/test_migrations.py runs the command)."""
        database = db_api.Database(self.db_url)
        try:
            migration.db_sync(database)
            db_flavors.ensure_defaults(database)
            # The [image] images, as db sync seeds them (defaults).
            conf = cfg.ConfigOpts()
            config.register(conf)
            conf([], default_config_files=[])
            image_seed.seed(conf, database, bootstrap.Result())
        finally:
            database.dispose()

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [os.path.join(BIN, "minova-manage"), "--config-file",
             str(self.config), *args],
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self, binary: str, host: str,
              groups: dict[str, dict] | None = None,
              **options: Any) -> Process:
        """Start ``minova-<binary>`` as host ``host``, with ``options``
        ([DEFAULT] ones) and ``groups`` (``{group: {option: value}}``)
        for this process only."""
        name = "%s-%s" % (binary, host)
        own = self.workdir / ("%s.conf" % name)
        options["host"] = host
        own.write_text("[DEFAULT]\n" + "".join(
            "%s = %s\n" % item for item in options.items()) + "".join(
            "[%s]\n%s" % (group, "".join("%s = %s\n" % item
                                          for item in values.items()))
            for group, values in (groups or {}).items()))
        argv = [os.path.join(BIN, "minova-%s" % binary),
                "--config-file", str(self.config),
                "--config-file", str(own)]
        process = Process(name, argv, self.workdir / ("%s.log" % name))
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.kill()
        if self._engine is not None:
            self._engine.dispose()

    # --- looking at it -------------------------------------------------

    def get(self, path: str, timeout: float = 10, **kwargs: Any) -> Any:
        return requests.get(self.api_url + path, headers=ADMIN,
                            timeout=timeout, **kwargs)

    def post(self, path: str, body: Any, timeout: float = 10) -> Any:
        return requests.post(self.api_url + path, headers=ADMIN, json=body,
                             timeout=timeout)

    def api_answers(self) -> bool:
        try:
            return self.get("/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def services(self) -> dict[tuple[str, str], dict]:
        """os-services by (binary, host)."""
        response = self.get("/v2.1/os-services")
        assert response.status_code == 200, response.text
        return {(row["binary"], row["host"]): row
                for row in response.json()["services"]}

    def all_up(self, expected: set[tuple[str, str]]) -> bool:
        try:
            rows = self.services()
        except (requests.RequestException, AssertionError):
            return False
        return all(key in rows and rows[key]["state"] == "up"
                   for key in expected)

    def report_counts(self) -> dict[tuple[str, str], int]:
        """Straight from the database: (binary, host) -> report_count."""
        if self._engine is None:
            self._engine = sa.create_engine(self.db_url,
                                            poolclass=sa.pool.NullPool)
        with self._engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT `binary`, host, report_count FROM services "
                "WHERE deleted = 0".replace(
                    "`", '"' if self._engine.dialect.name == "postgresql"
                    else "`")))
            return {(binary, host): count for binary, host, count in rows}

    def service_rows(self) -> list[tuple[str, str]]:
        return sorted(self.report_counts())

    def dump_logs(self) -> str:
        """Every process's log, for a failing test's report."""
        parts = []
        for process in self.processes:
            parts.append("===== %s (%s) =====\n%s" % (
                process.name, process.pid, process.log()[-6000:]))
        return "\n".join(parts)


class BrokerProxy:
    """A TCP relay in front of RabbitMQ that can play a broker outage.

    ``cut()`` drops every relayed connection and stops listening, so
    clients see what a dead broker looks like (connection refused) while
    the real broker, shared with everyone else on this machine, runs on;
    ``restore()`` listens again on the same port.
    """

    def __init__(self, upstream: tuple[str, int] = ("127.0.0.1", 5672)):
        self.upstream = upstream
        self.port = free_port()
        self._pairs: list[tuple[Any, Any]] = []
        self._acceptor: Any = None
        self.restore()

    def url(self, rabbit_url: str) -> str:
        """``rabbit_url`` with its host:port replaced by the proxy's."""
        prefix, _at, rest = rabbit_url.partition("@")
        vhost = rest.partition("/")[2]
        return "%s@127.0.0.1:%d/%s" % (prefix, self.port, vhost)

    def restore(self) -> None:
        listener = eventlet.listen(("127.0.0.1", self.port))
        self._acceptor = eventlet.spawn(self._accept, listener)

    def _accept(self, listener: Any) -> None:
        try:
            while True:
                client, _addr = listener.accept()
                try:
                    server = eventlet.connect(self.upstream)
                except OSError:
                    client.close()
                    continue
                self._pairs.append((client, server))
                eventlet.spawn_n(self._pump, client, server)
                eventlet.spawn_n(self._pump, server, client)
        finally:
            listener.close()

    @staticmethod
    def _pump(source: Any, sink: Any) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except (OSError, EOFError):
            pass
        finally:
            # The other direction's pump sees EOF and ends too.
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        if self._acceptor is not None:
            self._acceptor.kill()
            self._acceptor = None
        pairs, self._pairs = self._pairs, []
        for pair in pairs:
            # Shut down, not closed: the pumps blocked in recv() wake up
            # with EOF and end; the sockets go with them.
            for sock in pair:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.cut()

"""pytest fixtures: configuration, database, transport and live services.

``conf`` is the global ``cfg.CONF`` (oslo.messaging needs it, see
``minova.rpc``) reset after every test; everything else is built from it
and handed to the code under test, as ``minova.cmd`` does.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import eventlet
import pytest
import requests
from oslo_config import cfg
from oslo_config import fixture as config_fixture

from minova import config
from minova import context as minova_context
from minova import rpc
from minova import service
from minova.api import deps as api_deps
from minova.db import api as db_api
from minova.db import migration
from minova.identity import bootstrap
from minova.image import seed as image_seed
from tests import backends

# The transport the functional tests use: the in-process one by default
# (each test gets its own virtual host); MINOVA_TEST_TRANSPORT_URL=rabbit://
# runs the same tests on a broker.
TRANSPORT_URL = os.environ.get("MINOVA_TEST_TRANSPORT_URL", "inproc://")


@pytest.fixture
def conf(tmp_path: Any) -> Iterator[cfg.ConfigOpts]:
    conf = cfg.CONF
    config.register(conf)
    conf([], project="minova", default_config_files=[])
    fixture = config_fixture.Config(conf)
    fixture.setUp()
    fixture.config(state_path=str(tmp_path), host="test-host",
                   periodic_fuzzy_delay=0)
    fixture.config(connection="sqlite:///%s/minova.sqlite" % tmp_path,
                   group="database")
    # The compute API tests speak noauth2 tokens; the identity tests
    # (tests/functional/identity_fixtures.py) switch to minova's. bcrypt
    # at its lowest cost keeps password checks out of the test time.
    fixture.config(auth_strategy="noauth2", group="api")
    fixture.config(password_hash_rounds=4, group="identity")
    try:
        yield conf
    finally:
        fixture.cleanUp()
        conf.reset()


# Which backends a module runs on: ``pytestmark =
# pytest.mark.backends("db")`` runs every test of it that uses ``db`` on
# each of DB_BACKENDS, ``backends("rpc")`` every test that uses
# ``transport`` on each of RPC_BACKENDS. Unmarked tests use SQLite and
# TRANSPORT_URL only, which keeps the everyday run fast.
RPC_BACKENDS = ("inproc", "rabbit", "fake")
# The variants that need a server also carry the ``slow`` mark, so that
# ``make test-quick`` (-m "not slow") runs without any server.
_NEEDS_SERVER = ("mariadb", "postgresql", "rabbit")


def _params(names: tuple[str, ...]) -> list:
    return [pytest.param(name, id=name,
                         marks=[pytest.mark.slow] if name in _NEEDS_SERVER
                         else [])
            for name in names]


def pytest_generate_tests(metafunc: Any) -> None:
    kinds = {kind for marker in metafunc.definition.iter_markers("backends")
             for kind in marker.args}
    if "db" in kinds and "db_backend" in metafunc.fixturenames:
        metafunc.parametrize("db_backend", _params(backends.DB_BACKENDS),
                             indirect=True)
    if "rpc" in kinds and "rpc_backend" in metafunc.fixturenames:
        metafunc.parametrize("rpc_backend", _params(RPC_BACKENDS),
                             indirect=True)


@pytest.fixture
def db_backend(request: Any) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_url(db_backend: str, tmp_path: Any) -> Iterator[str]:
    """An empty database of this test's own on ``db_backend``; dropped
    after the test."""
    with backends.database(db_backend, str(tmp_path)) as url:
        yield url


@pytest.fixture
def db(conf: cfg.ConfigOpts, db_url: str) -> Iterator[db_api.Database]:
    """``db_url`` at the newest schema (as minova-all first creates it: the
    migrations themselves are tested in tests/unit/test_migrations.py and
    test_db_backends.py), and set in ``conf``."""
    conf.set_override("connection", db_url, group="database")
    database = db_api.Database.from_conf(conf)
    try:
        migration.ensure_schema(database)
        # The images of [image] images, as bootstrap seeds them: tests
        # boot from cirros without bootstrapping identity.
        image_seed.seed(conf, database, bootstrap.Result())
        yield database
    finally:
        database.dispose()


@pytest.fixture(scope="session")
def rabbit_session_url() -> Iterator[str]:
    """A RabbitMQ vhost for this test session, deleted at its end.

    Tests share it: calls carry their timeout as a message TTL, so a
    request a finished test left queued expires rather than reaching the
    next test's servers.
    """
    with backends.rabbit_vhost() as url:
        yield url


@pytest.fixture
def rpc_backend(request: Any) -> str:
    return getattr(request, "param", None) or TRANSPORT_URL.split(":")[0]


@pytest.fixture
def transport(conf: cfg.ConfigOpts, rpc_backend: str,
              request: Any) -> Iterator[Any]:
    if rpc_backend == "inproc":
        url = "inproc:///test-%s" % uuid.uuid4().hex
    elif rpc_backend == "rabbit" and not TRANSPORT_URL.startswith("rabbit"):
        url = request.getfixturevalue("rabbit_session_url")
    else:
        url = TRANSPORT_URL
    conf.set_override("transport_url", url)
    transport = rpc.get_transport(conf, url=url)
    try:
        yield transport
    finally:
        transport.cleanup()


@pytest.fixture
def admin_context(db: db_api.Database) -> minova_context.RequestContext:
    return minova_context.get_admin_context(db=db)


@pytest.fixture
def launched() -> Iterator[list]:
    """Services started by a test; stopped at its end, failing or not."""
    services: list = []
    try:
        yield services
    finally:
        for server in reversed(services):
            server.stop()
        # Waits run side by side: each RPC server's executor takes up to a
        # second to notice it is idle.
        waits = [eventlet.spawn(server.wait) for server in services]
        for waiter in waits:
            waiter.wait()
        if service._launcher is not None:
            service._launcher.stop()
            service._launcher = None


def start_service(conf: cfg.ConfigOpts, transport: Any, db: Any,
                  launched: list, topic: str) -> service.Service:
    """Start ``minova-<topic>`` in this process, as its binary would (with
    the database, periodic tasks off); stopped at the test's end."""
    group = getattr(conf, topic)
    server = service.Service.create(conf, transport,
                                    binary="minova-%s" % topic,
                                    topic=group.topic,
                                    manager=group.manager, db=db,
                                    periodic_enable=False)
    server.start()
    launched.append(server)
    return server


@pytest.fixture
def conductor(conf: cfg.ConfigOpts, transport: Any, db: db_api.Database,
              launched: list) -> service.Service:
    return start_service(conf, transport, db, launched, "conductor")


class APIClient:
    """Real HTTP against an API listening on an ephemeral port."""

    def __init__(self, base_url: str, token: str = "admin:admin") -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.token = token

    def request(self, method: str, path: str, *, token: str | None = None,
                version: str | None = None, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if token is not False:
            headers.setdefault("X-Auth-Token", token or self.token)
        if version:
            headers["OpenStack-API-Version"] = "compute %s" % version
        return self.session.request(method, self.base_url + path,
                                    headers=headers, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


def start_api(conf: cfg.ConfigOpts, transport: Any, db: db_api.Database,
              launched: list, name: str = "osapi_compute") -> Any:
    conf.set_override("%s_listen" % name, "127.0.0.1")
    conf.set_override("%s_listen_port" % name, 0)
    deps = api_deps.build(conf, transport, db)
    server = service.WSGIService(conf, transport, name, db=db,
                                 app_environ=deps.environ())
    server.start()
    launched.append(server)
    return server


@pytest.fixture
def api(conf: cfg.ConfigOpts, transport: Any, db: db_api.Database,
        conductor: service.Service, launched: list) -> APIClient:
    server = start_api(conf, transport, db, launched)
    return APIClient("http://127.0.0.1:%d" % server.port)

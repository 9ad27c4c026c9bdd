"""The real servers some tests run on: MariaDB, PostgreSQL, RabbitMQ.

Each helper gives a test (or a test session) something of its own on a
server that is already running on loopback (``tools/backends.sh`` starts
them): a uniquely named database, dropped afterwards, or a RabbitMQ
virtual host, deleted afterwards. A server that cannot be reached skips
the test with the reason, unless ``MINOVA_REQUIRE_BACKENDS=1`` (CI sets
it), which turns the skip into a failure so CI never passes by skipping.

The admin URLs can be pointed elsewhere with ``MINOVA_TEST_MYSQL_URL``,
``MINOVA_TEST_POSTGRESQL_URL`` and ``MINOVA_TEST_RABBIT_URL``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

DB_BACKENDS = ("sqlite", "mariadb", "postgresql")

ADMIN_URLS = {
    "mariadb": os.environ.get("MINOVA_TEST_MYSQL_URL",
                              "mysql+pymysql://root@127.0.0.1:3306/mysql"),
    "postgresql": os.environ.get(
        "MINOVA_TEST_POSTGRESQL_URL",
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
}
RABBIT_URL = os.environ.get("MINOVA_TEST_RABBIT_URL",
                            "rabbit://guest:guest@127.0.0.1:5672/")


def required() -> bool:
    return os.environ.get("MINOVA_REQUIRE_BACKENDS") == "1"


def unavailable(reason: str) -> None:
    """Skip the current test, or fail it where backends are required."""
    if required():
        pytest.fail("%s (MINOVA_REQUIRE_BACKENDS=1; run tools/backends.sh)"
                    % reason, pytrace=False)
    pytest.skip(reason)


def reachable(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def unique_name(prefix: str = "minova_test") -> str:
    # Letters, digits and underscores only: valid unquoted in both SQL
    # dialects and as a vhost name.
    return "%s_%s" % (prefix, uuid.uuid4().hex[:12])


def _require_server(url: sa.engine.URL, name: str) -> None:
    host = url.host or "127.0.0.1"
    port = url.port or {"mariadb": 3306, "postgresql": 5432}[name]
    if not reachable(host, port):
        unavailable("%s is not reachable on %s:%s" % (name, host, port))


def _admin_engine(backend: str) -> sa.Engine:
    url = sa.engine.make_url(ADMIN_URLS[backend])
    _require_server(url, backend)
    # CREATE/DROP DATABASE may not run inside a transaction (PostgreSQL).
    return sa.create_engine(url, isolation_level="AUTOCOMMIT",
                            poolclass=sa.pool.NullPool)


def create_database(backend: str, name: str | None = None) -> str:
    """Create an empty database on ``backend``; return its URL."""
    name = name or unique_name()
    engine = _admin_engine(backend)
    try:
        with engine.connect() as conn:
            if backend == "mariadb":
                conn.exec_driver_sql(
                    "CREATE DATABASE %s CHARACTER SET utf8mb4" % name)
            else:
                conn.exec_driver_sql("CREATE DATABASE %s" % name)
    except sa.exc.OperationalError as exc:
        unavailable("cannot create a database on %s: %s" % (backend, exc))
    finally:
        engine.dispose()
    return engine.url.set(database=name).render_as_string(
        hide_password=False)


def drop_database(backend: str, url: str) -> None:
    name = sa.engine.make_url(url).database
    engine = _admin_engine(backend)
    try:
        with engine.connect() as conn:
            if backend == "mariadb":
                conn.exec_driver_sql("DROP DATABASE IF EXISTS %s" % name)
            else:
                # FORCE ends sessions a failed test may have left behind.
                conn.exec_driver_sql(
                    "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)
    finally:
        engine.dispose()


@contextlib.contextmanager
def database(backend: str, tmp_path: str) -> Iterator[str]:
    """A fresh database URL on ``backend``, dropped afterwards."""
    if backend == "sqlite":
        yield "sqlite:///%s/minova.sqlite" % tmp_path
        return
    url = create_database(backend)
    try:
        yield url
    finally:
        drop_database(backend, url)


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True,
                   capture_output=True, timeout=60)


def rabbit_url(vhost: str | None = None) -> str:
    url = RABBIT_URL.rstrip("/")
    return "%s/%s" % (url, vhost) if vhost else url + "/"


def require_rabbit() -> None:
    host_port = RABBIT_URL.split("@")[-1].split("/")[0]
    host, _sep, port = host_port.partition(":")
    if not reachable(host or "127.0.0.1", int(port or 5672)):
        unavailable("RabbitMQ is not reachable on %s" % host_port)


@contextlib.contextmanager
def rabbit_vhost() -> Iterator[str]:
    """A new RabbitMQ virtual host for guest; yields a rabbit:// URL.

    Without ``rabbitmqctl`` on this machine (a remote broker), the URL's
    own vhost is used as it is.
    """
    require_rabbit()
    if shutil.which("rabbitmqctl") is None:
        yield rabbit_url()
        return
    vhost = unique_name("minova-test")
    try:
        _rabbitmqctl("add_vhost", vhost)
        _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*",
                     ".*")
    except (subprocess.SubprocessError, OSError) as exc:
        unavailable("cannot add a RabbitMQ vhost with rabbitmqctl: %s"
                    % exc)
    try:
        yield rabbit_url(vhost)
    finally:
        _rabbitmqctl("delete_vhost", vhost)


def close_rabbit_connections(url: str, reason: str = "minova test") -> None:
    """Close every client connection to the vhost of ``url``.

    What a broker restart does to clients, without touching the broker or
    anyone else's connections on it.
    """
    vhost = url.rstrip("/").rpartition("/")[2] or "/"
    _rabbitmqctl("close_all_connections", "-p", vhost, reason)


def schema_and_rows(db: Any) -> dict:
    """Everything a database's schema and data say, comparable across two
    databases: per table its columns, indexes, unique and foreign keys,
    and its rows."""
    described = {}
    with db.engine.connect() as connection:
        inspector = sa.inspect(connection)
        for table in inspector.get_table_names():
            columns = sorted(
                (c["name"], str(c["type"]), c["nullable"],
                 str(c.get("default"))) for c in inspector.get_columns(table))
            indexes = sorted((i["name"], tuple(i["column_names"]),
                              bool(i["unique"]))
                             for i in inspector.get_indexes(table))
            uniques = sorted(tuple(u["column_names"])
                             for u in inspector.get_unique_constraints(table))
            foreign = sorted((tuple(f["constrained_columns"]),
                              f["referred_table"],
                              tuple(f["referred_columns"]),
                              str(f.get("options")))
                             for f in inspector.get_foreign_keys(table))
            primary = tuple(inspector.get_pk_constraint(table)
                            ["constrained_columns"])
            rows = sorted(map(tuple, connection.execute(
                sa.text("SELECT * FROM %s" % table)).all()), key=repr)
            described[table] = (columns, indexes, uniques, foreign, primary,
                                rows)
    return described

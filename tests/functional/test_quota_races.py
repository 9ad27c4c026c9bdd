"""Racing creates on every database backend: a project's quota and an
Idempotency-Key hold however the requests interleave."""

from __future__ import annotations

import uuid

import eventlet
import eventlet.event
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from minova.db import api as db_api
from minova.db import migration
from minova.db import quotas as db_quotas
from tests import backends
from tests import fixtures
from tests.functional.test_api_quotas import count_servers
from tests.functional.test_api_quotas import post_servers
from tests.functional.test_api_quotas import set_quota
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.utils import wait_for

pytestmark = pytest.mark.backends("db")

_SHORT_LOCK_WAIT = {
    "sqlite": "PRAGMA busy_timeout = 100",
    "mariadb": "SET SESSION innodb_lock_wait_timeout = 1",
    "postgresql": "SET lock_timeout = '100ms'",
}


def _impatient(url: str, backend: str) -> db_api.Database:
    """A second engine on the database whose lock waits give up fast."""
    other = db_api.Database(url)

    @event.listens_for(other.engine, "connect")
    def _short_lock_wait(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(_SHORT_LOCK_WAIT[backend])
        cursor.close()
        dbapi_connection.commit()
    return other


def _instance(project_id="p1"):
    return {"uuid": str(uuid.uuid4()), "project_id": project_id,
            "vcpus": 1, "memory_mb": 512, "root_gb": 1, "ephemeral_gb": 0,
            "power_state": 0, "deleted": 0}


def test_a_racing_create_cannot_count_until_the_first_commits(
        db, db_url, db_backend):
    other = _impatient(db_url, db_backend)
    blocked = []

    def first(used):
        assert used["instances"] == 0
        # Still inside the first create's transaction.
        try:
            db_quotas.create_instances(other, "p1",
                                       lambda used: [_instance()])
        except sa.exc.OperationalError:
            blocked.append(True)
        return [_instance()]

    try:
        db_quotas.create_instances(db, "p1", first)
        assert blocked == [True]
        # Once it committed, the next create counts its server.
        seen = []
        db_quotas.create_instances(other, "p1",
                                   lambda used: seen.append(used) or [])
        assert seen == [{"instances": 1, "cores": 1, "ram": 512}]
    finally:
        other.dispose()


def _second_api(conf, transport, db_url, launched):
    """Another API service with an engine (and pool) of its own."""
    other = db_api.Database(db_url)
    launched.append(_Disposer(other))
    server = fixtures.start_api(conf, transport, other, launched)
    return fixtures.APIClient("http://127.0.0.1:%d" % server.port)


class _Disposer:
    """Stops with the services: closes an engine's connections."""

    def __init__(self, db):
        self.db = db

    def stop(self):
        self.db.dispose()

    def wait(self):
        pass


def _race(calls):
    threads = [eventlet.spawn(call) for call in calls]
    return [thread.wait() for thread in threads]


def test_racing_creates_never_exceed_the_quota(
        cloud, conf, transport, db_url, launched):  # noqa: F811
    second = _second_api(conf, transport, db_url, launched)
    set_quota(cloud, "p1", instances=5)
    responses = _race([
        (lambda api=api: post_servers(api))
        for api in [cloud, second] * 6])
    codes = sorted(response.status_code for response in responses)
    assert codes == [202] * 5 + [403] * 7, [r.text for r in responses]
    assert count_servers(cloud) == 5


def test_racing_retries_with_one_idempotency_key_create_one_server(
        cloud, conf, transport, db_url, launched):  # noqa: F811
    second = _second_api(conf, transport, db_url, launched)
    body = {"server": {"name": "once", "flavorRef": "1",
                       "imageRef": "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f"}}
    headers = {"Idempotency-Key": "race-1"}
    responses = _race([
        (lambda api=api: api.post("/v2.1/servers", json=body, token=ALICE,
                                  headers=dict(headers)))
        for api in [cloud, second] * 3])
    created = [r for r in responses if r.status_code == 202]
    assert created, [r.text for r in responses]
    assert {r.json()["server"]["id"] for r in created} == {
        created[0].json()["server"]["id"]}
    # The rest came while the first was in flight.
    assert all(r.status_code == 409 for r in responses
               if r.status_code != 202), [r.text for r in responses]
    assert count_servers(cloud) == 1


@pytest.mark.slow
def test_a_create_that_waited_counts_what_the_first_created(tmp_path):
    # MariaDB only: its REPEATABLE READ snapshot must start after the
    # lock, not at the transaction's start. (PostgreSQL reads each
    # statement afresh; psycopg's and SQLite's lock waits block the
    # process, so an in-process waiter could not wait there.)
    with backends.database("mariadb", str(tmp_path)) as url:
        first_db, second_db = db_api.Database(url), db_api.Database(url)
        try:
            migration.db_sync(first_db)
            db_quotas.ensure_lock_row(first_db, "p1")
            inside = eventlet.event.Event()
            seen = []

            def first(used):
                inside.send()
                # InnoDB refreshes innodb_trx only for a read 0.1 s or
                # more after the last: poll more slowly than that.
                wait_for(lambda: _lock_waits(first_db), interval=0.25,
                         what="the second create to wait on the lock")
                return [_instance()]

            holder = eventlet.spawn(db_quotas.create_instances, first_db,
                                    "p1", first)
            inside.wait()
            db_quotas.create_instances(
                second_db, "p1", lambda used: seen.append(used) or [])
            holder.wait()
            assert seen == [{"instances": 1, "cores": 1, "ram": 512}]
        finally:
            first_db.dispose()
            second_db.dispose()


def _lock_waits(db):
    with db.reader() as connection:
        return connection.exec_driver_sql(
            "SELECT COUNT(*) FROM information_schema.innodb_trx "
            "WHERE trx_state = 'LOCK WAIT'").scalar()

"""Server lists over many servers, on SQLite, MariaDB and PostgreSQL.

Pages of ``GET /servers/detail`` follow each other by marker in the
default order (newest first, then by id) on the index of migration 0010,
and a page asks the database the same number of statements whatever the
number of servers on it (no query per server).
"""

from __future__ import annotations

import datetime
import itertools

import greenlet
import pytest
import sqlalchemy as sa
from oslo_utils import uuidutils

from minova.db import instances as db_instances
from minova.db import models

pytestmark = pytest.mark.backends("db")

START = datetime.datetime(2026, 12, 1)
TOKEN = "u1:p1"


def _fill(db, project, count, *, offset=0, same_time_every=1, **values):
    """``count`` servers of ``project``; ``same_time_every`` of them in a
    row share one ``created_at``, so the order needs the id to break
    ties. Returns their uuids in the list's order (newest first)."""
    rows = []
    for index in range(count):
        moment = START + datetime.timedelta(
            seconds=offset + index // same_time_every)
        rows.append(db_instances._columns(dict({
            "uuid": uuidutils.generate_uuid(), "display_name": "vm%d" % index,
            "hostname": "vm%d" % index, "availability_zone": "nova",
            "image_ref": "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f",
            "project_id": project, "user_id": "u1", "vm_state": "active",
            "power_state": 1, "host": "h%d" % (index % 3), "node": "n",
            "flavor": {"flavorid": "1", "name": "m1.tiny",
                       "memory_mb": 512, "vcpus": 1, "root_gb": 1,
                       "ephemeral_gb": 0, "swap": 0, "extra_specs": {}},
            "meta": {"i": str(index)}, "created_at": moment,
            "network_info": [{"address": "10.1.%d.%d" % (index // 250,
                                                         index % 250 + 1),
                              "label": "private", "type": "fixed"}]},
            **values)))
    with db.writer() as connection:
        connection.execute(sa.insert(models.Instance.__table__), rows)
        stored = connection.execute(
            sa.select(models.Instance.uuid)
            .where(models.Instance.uuid.in_([r["uuid"] for r in rows]))
            .order_by(models.Instance.created_at.desc(),
                      models.Instance.id.desc())).scalars().all()
    return list(stored)


def _walk(api, path, limit, version="2.1"):
    """Every page from the first, by the ``next`` link each page gives."""
    seen, pages = [], 0
    url = "%s?limit=%d" % (path, limit)
    while url:
        response = api.get(url, token=TOKEN, version=version)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["servers"]) <= limit
        seen.extend(server["id"] for server in body["servers"])
        pages += 1
        links = [link["href"] for link in body.get("servers_links", [])
                 if link["rel"] == "next"]
        url = links[0].split("/v2.1", 1)[1] if links else None
        url = "/v2.1" + url if url else None
        assert pages < 100
    return seen, pages


def test_pages_by_marker_cover_the_project_in_order(api, db):
    # Ties on created_at (three servers a second) are broken by id.
    mine = _fill(db, "p1", 230, same_time_every=3)
    _fill(db, "p2", 120, offset=1000)       # newer, another project
    gone = _fill(db, "p1", 15, offset=2000)  # newest, then deleted
    with db.writer() as connection:
        connection.execute(
            sa.update(models.Instance.__table__)
            .where(models.Instance.__table__.c.uuid.in_(gone))
            .values(deleted=models.Instance.__table__.c.id))

    seen, pages = _walk(api, "/v2.1/servers/detail", 40)
    assert seen == mine
    assert pages == 6  # 5 full pages and one of 30 (no empty last page)
    brief, _ = _walk(api, "/v2.1/servers", 100)
    assert brief == mine

    # A page starting in the middle of a tie: the rest of it, then on.
    response = api.get("/v2.1/servers/detail?limit=4&marker=%s" % mine[100],
                       token=TOKEN)
    assert [s["id"] for s in response.json()["servers"]] == mine[101:105]
    # A marker deleted since still ends its page where it was.
    api.delete("/v2.1/servers/%s" % mine[59], token=TOKEN)
    response = api.get("/v2.1/servers?limit=3&marker=%s" % mine[59],
                       token=TOKEN)
    assert [s["id"] for s in response.json()["servers"]] == mine[60:63]


def test_the_index_of_the_list_order_is_on_the_table(db):
    indexes = {index["name"]: index["column_names"]
               for index in sa.inspect(db.engine).get_indexes("instances")}
    assert indexes["instances_project_id_deleted_created_at_idx"] == [
        "project_id", "deleted", "created_at", "id"]
    assert "instances_project_id_deleted_idx" not in indexes


def _statements(db, call):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return statements


@pytest.mark.parametrize("version", ["2.1", "2.100"])
def test_a_page_costs_the_same_statements_for_5_or_60_servers(api, db,
                                                              version):
    servers = _fill(db, "p1", 60)
    # What the detail view shows from other tables: faults, tags.
    with db.writer() as connection:
        connection.execute(
            sa.update(models.Instance.__table__)
            .where(models.Instance.__table__.c.uuid.in_(servers[1::7]))
            .values(vm_state="error"))
        connection.execute(sa.insert(models.InstanceFault.__table__), [
            {"instance_uuid": uuid, "code": 500, "message": "NoValidHost",
             "created_at": START} for uuid in servers[1::7]])
        connection.execute(sa.insert(models.Tag.__table__), [
            {"resource_id": uuid, "tag": "t%d" % i}
            for i, uuid in zip(itertools.count(), servers[1::3])])

    def page(limit):
        def call():
            response = api.get("/v2.1/servers/detail?limit=%d&marker=%s"
                               % (limit, servers[0]), token=TOKEN,
                               version=version)
            assert response.status_code == 200
            assert len(response.json()["servers"]) == limit
            body = response.json()["servers"]
            assert any("fault" in server for server in body)
            if version == "2.100":
                assert any(server["tags"] for server in body)
        return call

    page(5)()  # caches (policy, flavors) filled before counting
    few = _statements(db, page(5))
    many = _statements(db, page(59))
    assert len(many) == len(few), "\n".join(many)


@pytest.mark.parametrize("version", ["2.1", "2.100"])
def test_a_page_reads_on_one_connection(api, db, version):
    # Each connection taken from the pool costs a pre-ping and a rollback
    # on MariaDB and PostgreSQL: the page, its marker's row and what the
    # views read (faults, tags, groups) share one.
    servers = _fill(db, "p1", 10)
    taken, reads = [], []

    def checkout(*args):
        taken.append(greenlet.getcurrent())

    def execute(conn, cursor, statement, *args):
        if "FROM instances" in statement:
            reads.append(greenlet.getcurrent())

    sa.event.listen(db.engine, "checkout", checkout)
    sa.event.listen(db.engine, "before_cursor_execute", execute)
    try:
        response = api.get("/v2.1/servers/detail?limit=5&marker=%s"
                           % servers[0], token=TOKEN, version=version)
    finally:
        sa.event.remove(db.engine, "checkout", checkout)
        sa.event.remove(db.engine, "before_cursor_execute", execute)
    assert response.status_code == 200, response.text
    assert len(response.json()["servers"]) == 5
    # Other services of this process may use the pool meanwhile: only
    # the green thread that served the page counts.
    [handler] = set(reads)
    assert taken.count(handler) == 1

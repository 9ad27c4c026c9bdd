"""What ends a token: disabling or deleting its user or project, a
password change, a removed role; seen at once by the API process that
made the change, and by another API process of the same database within
[identity] cache_refresh_interval. Validation itself reads no database."""

from __future__ import annotations

import datetime

from oslo_utils import timeutils
from sqlalchemy import event

from minova import service
from minova.api import deps as api_deps
from minova.db import models
from tests.identity_fixtures import identity_cloud  # noqa: F401
from tests.identity_fixtures import start_identity_cloud
from tests.utils import wait_for


def _works(cloud, token) -> bool:
    return cloud.compute("GET", "/servers", token).status_code == 200


def test_user_disable_and_password_change_revoke(
        identity_cloud):  # noqa: F811
    cloud = identity_cloud
    admin = cloud.admin()
    user = cloud.create_user("u1", "pw1", "demo")
    token = cloud.token("u1", "pw1", "demo")
    assert _works(cloud, token)
    patch = "/v3/users/%s" % user["id"]
    assert cloud.request("PATCH", patch, admin, json={
        "user": {"password": "pw2"}}).status_code == 200
    assert not _works(cloud, token)
    assert cloud.password_auth("u1", "pw1", "demo").status_code == 401
    token = cloud.token("u1", "pw2", "demo")  # a new one is fine
    assert _works(cloud, token)
    assert cloud.request("PATCH", patch, admin, json={
        "user": {"enabled": False}}).status_code == 200
    assert not _works(cloud, token)
    assert cloud.password_auth("u1", "pw2", "demo").status_code == 401
    assert cloud.request("PATCH", patch, admin, json={
        "user": {"enabled": True}}).status_code == 200
    token = cloud.token("u1", "pw2", "demo")
    assert cloud.request("DELETE", patch, admin).status_code == 204
    assert not _works(cloud, token)


def test_project_disable_and_role_removal(identity_cloud):  # noqa: F811
    cloud = identity_cloud
    admin = cloud.admin()
    project = cloud.request("POST", "/v3/projects", admin, json={
        "project": {"name": "p2"}}).json()["project"]
    user = cloud.create_user("u2", "pw", "p2")
    token = cloud.token("u2", "pw", "p2")
    assert _works(cloud, token)
    [member] = cloud.request("GET", "/v3/roles?name=member",
                             admin).json()["roles"]
    cloud.request("DELETE", "/v3/projects/%s/users/%s/roles/%s"
                  % (project["id"], user["id"], member["id"]), admin)
    assert not _works(cloud, token)  # no role left on the project
    cloud.request("PUT", "/v3/projects/%s/users/%s/roles/%s"
                  % (project["id"], user["id"], member["id"]), admin)
    token = cloud.token("u2", "pw", "p2")
    assert cloud.request("PATCH", "/v3/projects/%s" % project["id"], admin,
                         json={"project": {"enabled": False}}
                         ).status_code == 200
    assert not _works(cloud, token)
    assert cloud.password_auth("u2", "pw", "p2").status_code == 401


def test_a_second_api_process_sees_revocations_within_the_interval(
        conf, transport, db, conductor, launched):
    """Two API services, each with its own deps (its own cache, as two
    processes have), on one database."""
    interval = 0.5
    conf.set_override("cache_refresh_interval", interval, group="identity")
    first = start_identity_cloud(conf, transport, db, launched)
    second = service.WSGIService(
        conf, transport, "osapi_compute", db=db,
        app_environ=api_deps.build(conf, transport, db).environ())
    # start_api set port 0: the second gets its own free port.
    second.start()
    launched.append(second)
    second_url = "http://127.0.0.1:%d" % second.port
    user = first.create_user("u3", "pw", "demo")
    token = first.token("u3", "pw", "demo")
    other = type(first)(second_url, second, conf, db)
    assert _works(other, token)

    first.request("PATCH", "/v3/users/%s" % user["id"], first.admin(),
                  json={"user": {"enabled": False}})
    assert not _works(first, token)  # the process that changed it: at once
    # Within a refresh (the deadline leaves room for a loaded machine;
    # a stricter elapsed-time assertion failed under CI's own load).
    wait_for(lambda: not _works(other, token), timeout=interval + 2,
             what="the second process to refuse the revoked token")


def test_validation_reads_no_database(identity_cloud):  # noqa: F811
    cloud = identity_cloud
    identity = cloud.deps().identity
    identity.cache.interval = 60  # no refresh due during the loop
    sealed = cloud.demo()
    identity.validate(sealed)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(cloud.db.engine, "before_cursor_execute", listener)
    try:
        for _ in range(50):
            assert identity.validate(sealed).roles == {"member", "reader"}
    finally:
        event.remove(cloud.db.engine, "before_cursor_execute", listener)
    assert statements == []


def test_old_revocation_events_are_pruned(identity_cloud):  # noqa: F811
    cloud = identity_cloud
    events = models.IdentityRevocationEvent.__table__
    old = timeutils.utcnow() - datetime.timedelta(
        seconds=cloud.deps().identity.cache.events_horizon() + 60)
    with cloud.db.writer() as connection:
        connection.execute(events.insert().values(
            user_id="gone", issued_before=0, revoked_at=old))
    demo = cloud.demo()
    cloud.request("DELETE", "/v3/auth/tokens", demo,
                  headers={"X-Subject-Token": demo})
    with cloud.db.reader() as connection:
        users = [row.user_id for row in connection.execute(events.select())]
    assert users == [None]  # the token's own event stays, the old one went

"""Idempotency-Key on POST /servers over real HTTP (a minova extension:
the IETF httpapi draft's header)."""

from __future__ import annotations

import datetime
import types

import sqlalchemy as sa
from oslo_utils import timeutils

from minova.api.openstack import api_version
from minova.api.openstack.compute import idempotency
from minova.db import idempotency_keys as db_keys
from minova.db import models
from tests.functional.test_api_quotas import count_servers
from tests.functional.test_api_quotas import set_quota
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.functional.test_api_services import _fault

BODY = {"server": {"name": "once", "flavorRef": "1", "imageRef": IMAGE}}


def post(api, key, body=BODY, token=ALICE, version=None):
    return api.post("/v2.1/servers", json=body, token=token,
                    version=version, headers={"Idempotency-Key": key})


def test_a_retry_gets_the_first_answer_and_creates_nothing(
        cloud):  # noqa: F811
    first = post(cloud, "key-1")
    assert first.status_code == 202, first.text
    retry = post(cloud, "key-1")
    assert retry.status_code == 202, retry.text
    assert retry.json() == first.json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert count_servers(cloud) == 1
    # Whitespace and key order are not a different request.
    retry = cloud.post("/v2.1/servers", token=ALICE,
                       headers={"Idempotency-Key": "key-1",
                                "Content-Type": "application/json"},
                       data='{"server": {"imageRef": "%s", "flavorRef": '
                            '"1",   "name": "once"}}' % IMAGE)
    assert retry.json() == first.json()
    assert count_servers(cloud) == 1
    # Another key is another request.
    assert post(cloud, "key-2").json() != first.json()
    assert count_servers(cloud) == 2


def test_the_same_key_for_another_request_is_a_422(cloud):  # noqa: F811
    assert post(cloud, "key-1").status_code == 202
    other = {"server": dict(BODY["server"], name="other")}
    message = _fault(post(cloud, "key-1", body=other), "computeFault", 422)
    assert "key-1" in message
    _fault(post(cloud, "key-1", version="2.10"), "computeFault", 422)
    assert count_servers(cloud) == 1


def test_keys_are_per_project(cloud):  # noqa: F811
    mine = post(cloud, "shared")
    theirs = post(cloud, "shared", token=BOB)
    assert theirs.status_code == 202, theirs.text
    assert theirs.json()["server"]["id"] != mine.json()["server"]["id"]
    assert count_servers(cloud, token=BOB) == 1


def test_a_failed_request_frees_its_key(cloud):  # noqa: F811
    set_quota(cloud, "p1", instances=0)
    _fault(post(cloud, "key-1"), "forbidden", 403)
    set_quota(cloud, "p1", instances=1)
    response = post(cloud, "key-1")
    assert response.status_code == 202, response.text
    assert count_servers(cloud) == 1


def test_a_key_still_in_flight_is_a_409(cloud, db):  # noqa: F811
    # What a racing retry finds while the first request is answered.
    first = types.SimpleNamespace(api_version=api_version.APIVersion("2.1"))
    assert db_keys.claim(db, "p1", "busy",
                         idempotency._request_hash(first, BODY),
                         idempotency.TTL) is None
    message = _fault(post(cloud, "busy"), "conflictingRequest", 409)
    assert "busy" in message
    assert count_servers(cloud) == 0


def test_an_expired_key_is_forgotten(cloud, db):  # noqa: F811
    first = post(cloud, "old")
    assert first.status_code == 202, first.text
    with db.session() as session:
        session.execute(sa.update(models.IdempotencyKey).values(
            created_at=timeutils.utcnow() - datetime.timedelta(hours=25)))
    again = post(cloud, "old")
    assert again.status_code == 202, again.text
    assert again.json()["server"]["id"] != first.json()["server"]["id"]
    assert count_servers(cloud) == 2
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(
            models.IdempotencyKey)) == 1


def test_a_bad_key_is_a_400(api):
    message = _fault(post(api, "k" * 256), "badRequest", 400)
    assert "Idempotency-Key" in message
    _fault(post(api, ""), "badRequest", 400)

"""/v2.1/os-keypairs over real HTTP: generate, import, list, show,
delete; key_name checked on boot; the key in the metadata API."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from minova import crypto
from tests.fixtures import start_api
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.functional.test_api_servers import show
from tests.functional.test_api_services import _fault
from tests.functional.test_metadata import _get

KEYS = "/v2.1/os-keypairs"


@pytest.fixture(scope="module")
def public_key():
    return crypto.generate(crypto.SSH, "imported")[1]


def _create(api, version="2.2", token=ALICE, **keypair):
    return api.post(KEYS, json={"keypair": keypair}, token=token,
                    version=version)


def test_generated_key_pair_answers_its_private_key_once(api):
    response = _create(api, name="gen")
    assert response.status_code == 201, response.text
    key = response.json()["keypair"]
    assert key["private_key"].startswith("-----BEGIN RSA PRIVATE KEY")
    assert key["public_key"].startswith("ssh-rsa ")
    assert key["type"] == "ssh" and key["user_id"] == "alice"
    assert key["fingerprint"] == crypto.ssh_fingerprint(key["public_key"])
    shown = api.get(KEYS + "/gen", token=ALICE, version="2.2").json()
    assert "private_key" not in shown["keypair"]
    assert shown["keypair"]["public_key"] == key["public_key"]
    assert shown["keypair"]["deleted"] is False
    assert shown["keypair"]["created_at"]


def test_import_list_show_delete(api, public_key):
    response = _create(api, name="mine", public_key=public_key)
    assert response.status_code == 201, response.text
    assert "private_key" not in response.json()["keypair"]
    listed = api.get(KEYS, token=ALICE, version="2.2").json()["keypairs"]
    assert listed == [{"keypair": {
        "name": "mine", "public_key": public_key, "type": "ssh",
        "fingerprint": crypto.ssh_fingerprint(public_key)}}]
    # Keys are a user's: another user sees none of them.
    assert api.get(KEYS, token=BOB).json()["keypairs"] == []
    _fault(api.get(KEYS + "/mine", token=BOB), "itemNotFound", 404)
    assert api.delete(KEYS + "/mine", token=ALICE,
                      version="2.2").status_code == 204
    _fault(api.get(KEYS + "/mine", token=ALICE), "itemNotFound", 404)
    _fault(api.delete(KEYS + "/mine", token=ALICE), "itemNotFound", 404)


def test_ed25519_keys_import(api):
    key = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode() + " me@laptop"
    response = _create(api, name="ed", public_key=key)
    assert response.status_code == 201, response.text
    assert response.json()["keypair"]["fingerprint"] == \
        crypto.ssh_fingerprint(key)


def test_status_codes_and_fields_before_2_2(api, public_key):
    response = _create(api, version="2.1", name="old",
                       public_key=public_key)
    assert response.status_code == 200, response.text
    assert "type" not in response.json()["keypair"]
    assert api.delete(KEYS + "/old", token=ALICE,
                      version="2.1").status_code == 202
    # type is a 2.2 field.
    _fault(_create(api, version="2.1", name="x", type="ssh"), "badRequest",
           400)


def test_x509_key_pairs(api):
    response = _create(api, name="cert", type="x509")
    assert response.status_code == 201, response.text
    key = response.json()["keypair"]
    assert key["public_key"].startswith("-----BEGIN CERTIFICATE")
    assert key["type"] == "x509"
    imported = _create(api, name="cert2", type="x509",
                       public_key=key["public_key"])
    assert imported.json()["keypair"]["fingerprint"] == key["fingerprint"]


def test_bad_input_is_a_400_and_a_duplicate_a_409(api, public_key):
    for body in ({"name": "bad", "public_key": "ssh-rsa nonsense"},
                 {"name": "a/b", "public_key": public_key},
                 {"name": "", "public_key": public_key},
                 {"name": " lead", "public_key": public_key},
                 {"name": "k", "type": "pgp"},
                 {"name": "k", "extra": 1}):
        _fault(_create(api, **body), "badRequest", 400)
    assert _create(api, name="dup", public_key=public_key) \
        .status_code == 201
    _fault(_create(api, name="dup", public_key=public_key),
           "conflictingRequest", 409)


def test_2_92_imports_only_and_allows_at_and_dot(api, public_key):
    message = _fault(_create(api, version="2.92", name="gen"), "badRequest",
                     400)
    assert "public_key" in message
    response = _create(api, version="2.92", name="me@host.example",
                       public_key=public_key)
    assert response.status_code == 201, response.text
    _fault(_create(api, version="2.91", name="me@host",
                   public_key=public_key), "badRequest", 400)


def test_admins_manage_other_users_keys_from_2_10(api, public_key):
    response = _create(api, version="2.10", token="admin:admin",
                       name="for-alice", public_key=public_key,
                       user_id="alice")
    assert response.status_code == 201, response.text
    assert response.json()["keypair"]["user_id"] == "alice"
    names = [k["keypair"]["name"] for k in api.get(
        KEYS, token=ALICE).json()["keypairs"]]
    assert names == ["for-alice"]
    listed = api.get(KEYS + "?user_id=alice", version="2.10").json()
    assert [k["keypair"]["name"] for k in listed["keypairs"]] == \
        ["for-alice"]
    # A user may not.
    _fault(_create(api, version="2.10", token=BOB, name="x",
                   public_key=public_key, user_id="alice"), "forbidden",
           403)
    _fault(api.get(KEYS + "?user_id=alice", token=BOB, version="2.10"),
           "forbidden", 403)


def test_paging_from_2_35(api, public_key):
    for name in ("k1", "k2", "k3"):
        assert _create(api, name=name,
                       public_key=public_key).status_code == 201
    page = api.get(KEYS + "?limit=2", token=ALICE, version="2.35").json()
    assert [k["keypair"]["name"] for k in page["keypairs"]] == ["k1", "k2"]
    [link] = page["keypairs_links"]
    assert "marker=k2" in link["href"]
    rest = api.get(KEYS + "?limit=2&marker=k2", token=ALICE,
                   version="2.35").json()
    assert [k["keypair"]["name"] for k in rest["keypairs"]] == ["k3"]
    # Before 2.35 limit is not a paging parameter.
    assert len(api.get(KEYS + "?limit=2", token=ALICE,
                       version="2.34").json()["keypairs"]) == 3
    _fault(api.get(KEYS + "?marker=nope", token=ALICE, version="2.35"),
           "badRequest", 400)


def test_key_pairs_quota(api, public_key):
    assert api.put("/v2.1/os-quota-sets/p1", json={
        "quota_set": {"key_pairs": 1}}).status_code == 200
    assert _create(api, name="one", public_key=public_key) \
        .status_code == 201
    message = _fault(_create(api, name="two", public_key=public_key),
                     "forbidden", 403)
    assert "key pairs" in message


def test_boot_checks_key_name_and_shows_it(cloud,  # noqa: F811
                                           public_key):
    _fault(cloud.post("/v2.1/servers", token=ALICE, json={"server": {
        "name": "vm", "flavorRef": "1",
        "imageRef": "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f",
        "key_name": "missing"}}), "badRequest", 400)
    assert _create(cloud, name="mykey", public_key=public_key) \
        .status_code == 201
    server = boot(cloud, token=ALICE, key_name="mykey")
    assert show(cloud, server["id"], token=ALICE)["key_name"] == "mykey"
    # Another user's key of that name is not this user's.
    bob_boot = cloud.post("/v2.1/servers", token=BOB, json={"server": {
        "name": "vm", "flavorRef": "1",
        "imageRef": "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f",
        "key_name": "mykey"}})
    _fault(bob_boot, "badRequest", 400)


def test_metadata_api_serves_the_public_key(
        conf, cloud, public_key, transport, db, launched):  # noqa: F811
    conf.set_override("metadata_trust_header", True, group="api")
    metadata = start_api(conf, transport, db, launched, name="metadata")
    assert _create(cloud, name="mykey", public_key=public_key) \
        .status_code == 201
    server = boot(cloud, token=ALICE, key_name="mykey", networks="none")
    status, body = _get(metadata, "/openstack/latest/meta_data.json",
                        headers={"X-Instance-ID": server["id"]})
    assert status == 200, body
    data = json.loads(body)
    assert data["public_keys"] == {"mykey": public_key}
    assert data["keys"] == [{"name": "mykey", "type": "ssh",
                             "data": public_key}]
    status, body = _get(metadata, "/openstack/2013-10-17/meta_data.json",
                        headers={"X-Instance-ID": server["id"]})
    data = json.loads(body)
    assert data["public_keys"] == {"mykey": public_key}
    assert "keys" not in data

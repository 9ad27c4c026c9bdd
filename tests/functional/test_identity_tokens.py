"""POST/GET/HEAD/DELETE /v3/auth/tokens over real HTTP: each method and
scope, Keystone's response, and 401s in Keystone's format."""

from __future__ import annotations

import time

from minova.identity import tokens
from tests.identity_fixtures import ADMIN_PASSWORD
from tests.identity_fixtures import DEMO_PASSWORD
from tests.identity_fixtures import identity_cloud  # noqa: F401

UNAUTHORIZED = {"error": {
    "code": 401, "title": "Unauthorized",
    "message": "The request you have made requires authentication."}}


def test_version_discovery(identity_cloud):  # noqa: F811
    versions = identity_cloud.request("GET", "")
    assert versions.status_code == 300
    [v3] = versions.json()["versions"]["values"]
    assert v3["id"].startswith("v3.")
    assert v3["links"][0]["href"] == identity_cloud.auth_url + "/v3/"
    version = identity_cloud.request("GET", "/v3").json()["version"]
    assert version["status"] == "stable"


def test_password_scoped_by_name_has_keystones_body(
        identity_cloud):  # noqa: F811
    response = identity_cloud.password_auth("admin", ADMIN_PASSWORD,
                                            "admin")
    assert response.status_code == 201
    assert response.headers["X-Subject-Token"].startswith("gAAAAA")
    token = response.json()["token"]
    assert token["methods"] == ["password"]
    assert token["user"]["name"] == "admin"
    assert token["user"]["domain"] == {"id": "default", "name": "Default"}
    assert token["project"]["name"] == "admin"
    # admin implies member implies reader.
    assert sorted(r["name"] for r in token["roles"]) == [
        "admin", "member", "reader"]
    assert len(token["audit_ids"]) == 1
    assert token["expires_at"] > token["issued_at"]
    urls = {(entry["type"], e["interface"]): e["url"]
            for entry in token["catalog"] for e in entry["endpoints"]}
    assert urls[("identity", "public")] == identity_cloud.auth_url
    assert urls[("compute", "internal")] == \
        identity_cloud.base_url + "/compute/v2.1"


def test_password_by_user_id_and_project_id(identity_cloud):  # noqa: F811
    admin = identity_cloud.admin()
    demo_user = identity_cloud.find("users", "demo", admin)
    demo_project = identity_cloud.find("projects", "demo", admin)
    response = identity_cloud.request("POST", "/v3/auth/tokens", json={
        "auth": {"identity": {"methods": ["password"], "password": {
            "user": {"id": demo_user["id"], "password": DEMO_PASSWORD}}},
            "scope": {"project": {"id": demo_project["id"]}}}})
    assert response.status_code == 201
    token = response.json()["token"]
    assert token["project"]["id"] == demo_project["id"]
    assert sorted(r["name"] for r in token["roles"]) == ["member", "reader"]


def test_unscoped_and_default_project(identity_cloud):  # noqa: F811
    # No scope: Keystone scopes to the default project...
    token = identity_cloud.password_auth("demo", DEMO_PASSWORD).json()
    assert token["token"]["project"]["name"] == "demo"
    # ...and "unscoped" asks for none.
    unscoped = identity_cloud.request("POST", "/v3/auth/tokens", json={
        "auth": {"identity": {"methods": ["password"], "password": {
            "user": {"name": "demo", "domain": {"id": "default"},
                     "password": DEMO_PASSWORD}}}, "scope": "unscoped"}})
    assert unscoped.status_code == 201
    body = unscoped.json()["token"]
    assert "project" not in body and "catalog" not in body
    sealed = unscoped.headers["X-Subject-Token"]
    # An unscoped token lists its projects and rescopes with "token".
    projects = identity_cloud.request("GET", "/v3/auth/projects", sealed)
    assert [p["name"] for p in projects.json()["projects"]] == ["demo"]
    rescoped = identity_cloud.request("POST", "/v3/auth/tokens", json={
        "auth": {"identity": {"methods": ["token"],
                              "token": {"id": sealed}},
                 "scope": {"project": {"name": "demo",
                                       "domain": {"name": "Default"}}}}})
    assert rescoped.status_code == 201
    rescoped_body = rescoped.json()["token"]
    assert rescoped_body["methods"] == ["token"]
    assert rescoped_body["expires_at"] == body["expires_at"]
    assert rescoped_body["audit_ids"][1] == body["audit_ids"][0]
    # ...but not to a project where the user has no role.
    other = identity_cloud.request("POST", "/v3/auth/tokens", json={
        "auth": {"identity": {"methods": ["token"],
                              "token": {"id": sealed}},
                 "scope": {"project": {"name": "admin",
                                       "domain": {"id": "default"}}}}})
    assert other.status_code == 401


def test_validate_check_revoke(identity_cloud):  # noqa: F811
    admin = identity_cloud.admin()
    demo = identity_cloud.demo()
    shown = identity_cloud.request("GET", "/v3/auth/tokens", admin,
                                   headers={"X-Subject-Token": demo})
    assert shown.status_code == 200
    assert shown.headers["X-Subject-Token"] == demo
    assert shown.json()["token"]["user"]["name"] == "demo"
    nocatalog = identity_cloud.request(
        "GET", "/v3/auth/tokens?nocatalog", admin,
        headers={"X-Subject-Token": demo}).json()["token"]
    assert "catalog" not in nocatalog
    assert identity_cloud.request(
        "HEAD", "/v3/auth/tokens", demo,
        headers={"X-Subject-Token": demo}).status_code == 200
    # A user validates its own token, not another's.
    assert identity_cloud.request(
        "GET", "/v3/auth/tokens", demo,
        headers={"X-Subject-Token": admin}).status_code == 403
    assert identity_cloud.request(
        "DELETE", "/v3/auth/tokens", demo,
        headers={"X-Subject-Token": demo}).status_code == 204
    gone = identity_cloud.request("GET", "/v3/auth/tokens", admin,
                                  headers={"X-Subject-Token": demo})
    assert gone.status_code == 404
    assert gone.json()["error"]["title"] == "Not Found"
    revoked = identity_cloud.request("GET", "/v3/users/x", demo)
    assert revoked.status_code == 401
    assert revoked.json() == UNAUTHORIZED
    assert identity_cloud.compute("GET", "/flavors", demo).status_code == 401
    # Other tokens of the same user still work.
    assert identity_cloud.compute("GET", "/flavors",
                                  identity_cloud.demo()).status_code == 200


def test_malformed_and_expired_tokens_are_401(identity_cloud):  # noqa: F811
    identity = identity_cloud.deps().identity
    valid = identity.validate(identity_cloud.admin())
    # Sealed with the cloud's own keys, a second past its expiry.
    past = tokens.Token(valid.user_id, ["password"], valid.project_id,
                        time.time() - 3601, time.time() - 1,
                        valid.audit_ids)
    expired = identity.tokens.crypto.encrypt(past.pack()).decode()
    for bad in ("garbage", "gAAAAA" + "x" * 100, expired, ""):
        response = identity_cloud.request("GET", "/v3/auth/catalog",
                                          bad or None)
        assert response.status_code == 401, bad
        assert response.json() == UNAUTHORIZED
        assert response.headers["x-openstack-request-id"].startswith("req-")
        compute = identity_cloud.compute("GET", "/flavors", bad)
        assert compute.status_code == 401
        assert compute.json()["unauthorized"]["code"] == 401


def test_wrong_user_and_wrong_password_are_one_answer(
        identity_cloud):  # noqa: F811
    answers = [identity_cloud.password_auth(user, password, "admin")
               for user, password in (("admin", "wrong"),
                                      ("nobody", ADMIN_PASSWORD),
                                      ("nobody", "wrong"))]
    assert {a.status_code for a in answers} == {401}
    assert all(a.json() == UNAUTHORIZED for a in answers)
    assert "X-Subject-Token" not in answers[0].headers


def test_catalog_and_application_credential(identity_cloud):  # noqa: F811
    demo = identity_cloud.demo()
    catalog = identity_cloud.request("GET", "/v3/auth/catalog", demo)
    assert {s["type"] for s in catalog.json()["catalog"]} >= {
        "identity", "compute"}
    user_id = identity_cloud.find("users", "demo",
                                  identity_cloud.admin())["id"]
    created = identity_cloud.request(
        "POST", "/v3/users/%s/application_credentials" % user_id, demo,
        json={"application_credential": {"name": "ci", "roles": [
            {"name": "reader"}]}})
    assert created.status_code == 201, created.text
    cred = created.json()["application_credential"]
    assert cred["secret"]
    issued = identity_cloud.request("POST", "/v3/auth/tokens", json={
        "auth": {"identity": {
            "methods": ["application_credential"],
            "application_credential": {"id": cred["id"],
                                       "secret": cred["secret"]}}}})
    assert issued.status_code == 201, issued.text
    token = issued.json()["token"]
    assert token["project"]["name"] == "demo"
    assert [r["name"] for r in token["roles"]] == ["reader"]
    assert token["application_credential"]["id"] == cred["id"]
    # By name and user, with a wrong secret: the one 401.
    wrong = identity_cloud.request("POST", "/v3/auth/tokens", json={
        "auth": {"identity": {
            "methods": ["application_credential"],
            "application_credential": {
                "name": "ci", "secret": "nope",
                "user": {"name": "demo", "domain": {"id": "default"}}}}}})
    assert wrong.json() == UNAUTHORIZED
    # Deleting the credential ends its tokens.
    sealed = issued.headers["X-Subject-Token"]
    assert identity_cloud.request(
        "DELETE", "/v3/users/%s/application_credentials/%s"
        % (user_id, cred["id"]), demo).status_code == 204
    assert identity_cloud.request("GET", "/v3/auth/catalog",
                                  sealed).status_code == 401

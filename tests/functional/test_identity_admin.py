"""The identity API's admin resources as a tool writer uses them to set
up a test, and Keystone's default policy: an admin manages everyone, a
member reads itself, changes its own password, and gets 403 elsewhere."""

from __future__ import annotations

from tests.identity_fixtures import DEMO_PASSWORD
from tests.identity_fixtures import identity_cloud  # noqa: F401


def test_project_user_role_add_as_the_cli_does(identity_cloud):  # noqa: F811
    cloud = identity_cloud
    admin = cloud.admin()
    created = cloud.request("POST", "/v3/projects", admin, json={
        "project": {"name": "p1", "domain_id": "default",
                    "description": "first"}})
    assert created.status_code == 201
    project = created.json()["project"]
    assert project["domain_id"] == "default"
    duplicate = cloud.request("POST", "/v3/projects", admin, json={
        "project": {"name": "p1"}})
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["title"] == "Conflict"
    user = cloud.request("POST", "/v3/users", admin, json={"user": {
        "name": "u1", "password": "pw1", "domain_id": "default"}})
    assert user.status_code == 201
    user = user.json()["user"]
    assert "password" not in user
    # openstack role add --user u1 --project p1 member: lookups by name.
    [member] = cloud.request("GET", "/v3/roles?name=member",
                             admin).json()["roles"]
    grant = "/v3/projects/%s/users/%s/roles/%s" % (project["id"],
                                                   user["id"], member["id"])
    assert cloud.request("PUT", grant, admin).status_code == 204
    assert cloud.request("HEAD", grant, admin).status_code == 204
    assignments = cloud.request(
        "GET", "/v3/role_assignments?user.id=%s&scope.project.id=%s"
        "&include_names=True" % (user["id"], project["id"]),
        admin).json()["role_assignments"]
    assert [(a["role"]["name"], a["user"]["name"],
             a["scope"]["project"]["name"]) for a in assignments] == [
        ("member", "u1", "p1")]
    effective = cloud.request(
        "GET", "/v3/role_assignments?user.id=%s&effective" % user["id"],
        admin).json()["role_assignments"]
    assert len(effective) == 2  # member and the reader it implies
    # The new user works at once, through the compute API too.
    token = cloud.token("u1", "pw1", "p1")
    assert cloud.compute("GET", "/servers", token).status_code == 200
    assert cloud.request("DELETE", grant, admin).status_code == 204
    assert cloud.request("HEAD", grant, admin).status_code == 404
    assert cloud.request("PATCH", "/v3/projects/%s" % project["id"], admin,
                         json={"project": {"description": "renamed"}}
                         ).json()["project"]["description"] == "renamed"
    assert cloud.request("DELETE", "/v3/users/%s" % user["id"],
                         admin).status_code == 204
    assert cloud.request("GET", "/v3/users/%s" % user["id"],
                         admin).status_code == 404
    assert cloud.request("DELETE", "/v3/projects/%s" % project["id"],
                         admin).status_code == 204


def test_domains_roles_catalog_reads(identity_cloud):  # noqa: F811
    cloud = identity_cloud
    admin = cloud.admin()
    [domain] = cloud.request("GET", "/v3/domains?name=Default",
                             admin).json()["domains"]
    assert domain["id"] == "default"
    assert cloud.request("GET", "/v3/domains/default",
                         admin).json()["domain"]["name"] == "Default"
    inferences = cloud.request("GET", "/v3/role_inferences",
                               admin).json()["role_inferences"]
    assert {(i["prior_role"]["name"], i["implies"][0]["name"])
            for i in inferences} == {("admin", "member"),
                                     ("member", "reader")}
    services = cloud.request("GET", "/v3/services?type=compute",
                             admin).json()["services"]
    assert [s["name"] for s in services] == ["nova"]
    endpoints = cloud.request(
        "GET", "/v3/endpoints?service_id=%s&interface=public"
        % services[0]["id"], admin).json()["endpoints"]
    assert [e["url"] for e in endpoints] == [
        cloud.base_url + "/compute/v2.1"]
    # Read-only: no create.
    refused = cloud.request("POST", "/v3/services", admin, json={})
    assert refused.status_code == 405
    assert refused.json()["error"]["code"] == 405


def test_member_gets_403_on_admin_apis(identity_cloud):  # noqa: F811
    cloud = identity_cloud
    demo = cloud.demo()
    for method, path in (("GET", "/v3/users"), ("GET", "/v3/projects"),
                         ("POST", "/v3/projects"), ("GET", "/v3/roles"),
                         ("GET", "/v3/role_assignments"),
                         ("GET", "/v3/endpoints")):
        response = cloud.request(method, path, demo,
                                 json={"project": {"name": "x"}})
        assert response.status_code == 403, path
        error = response.json()["error"]
        assert error["title"] == "Forbidden"
        assert "identity:" in error["message"]
    admin_id = cloud.find("users", "admin", cloud.admin())["id"]
    assert cloud.request("GET", "/v3/users/%s" % admin_id,
                         demo).status_code == 403


def test_member_reads_itself_and_changes_its_password(
        identity_cloud):  # noqa: F811
    cloud = identity_cloud
    demo = cloud.demo()
    me = cloud.deps().identity.validate(demo).user_id
    shown = cloud.request("GET", "/v3/users/%s" % me, demo)
    assert shown.json()["user"]["name"] == "demo"
    wrong = cloud.request("POST", "/v3/users/%s/password" % me, demo, json={
        "user": {"original_password": "nope", "password": "new-pw"}})
    assert wrong.status_code == 401
    changed = cloud.request("POST", "/v3/users/%s/password" % me, demo,
                            json={"user": {"original_password":
                                           DEMO_PASSWORD,
                                           "password": "new-pw"}})
    assert changed.status_code == 204
    assert cloud.password_auth("demo", DEMO_PASSWORD,
                               "demo").status_code == 401
    assert cloud.token("demo", "new-pw", "demo")


def test_bad_bodies_are_400s(identity_cloud):  # noqa: F811
    cloud = identity_cloud
    admin = cloud.admin()
    for body in ({}, {"user": {"name": ""}}, {"user": {"name": 5}},
                 {"user": {"name": "x", "password": "p" * 73}}):
        response = cloud.request("POST", "/v3/users", admin, json=body)
        assert response.status_code == 400, body
        assert response.json()["error"]["title"] == "Bad Request"
    not_json = cloud.request("POST", "/v3/auth/tokens", data=b"{",
                             headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400
    assert cloud.request("POST", "/v3/auth/tokens", json={
        "auth": {"identity": {"methods": ["totp"]}}}).status_code == 400

"""/v2.1/flavors/{id}/os-extra_specs and os-flavor-access over real HTTP,
and what a private flavor means for listing, showing and booting."""

from __future__ import annotations

import pytest

from minova.db import flavors as db_flavors
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.functional.test_api_servers import show
from tests.functional.test_api_services import _fault

SPECS = "/v2.1/flavors/1/os-extra_specs"


@pytest.fixture(autouse=True)
def default_flavors(db):
    db_flavors.ensure_defaults(db)


def test_extra_specs_crud(api):
    assert api.get(SPECS).json() == {"extra_specs": {}}
    response = api.post(SPECS, json={"extra_specs": {
        "hw:cpu_policy": "dedicated", "quota:disk_read_bytes_sec": 1000,
        "trait:X": True}})
    assert response.status_code == 200, response.text
    assert response.json() == {"extra_specs": {
        "hw:cpu_policy": "dedicated", "quota:disk_read_bytes_sec": "1000",
        "trait:X": "True"}}
    # POST merges.
    api.post(SPECS, json={"extra_specs": {"hw:cpu_policy": "shared"}})
    assert api.get(SPECS, token=ALICE).json()["extra_specs"] == {
        "hw:cpu_policy": "shared", "quota:disk_read_bytes_sec": "1000",
        "trait:X": "True"}
    assert api.get(SPECS + "/trait:X", token=ALICE).json() == \
        {"trait:X": "True"}
    response = api.put(SPECS + "/trait:X", json={"trait:X": "False"})
    assert response.status_code == 200 and \
        response.json() == {"trait:X": "False"}
    assert api.delete(SPECS + "/trait:X").status_code == 202
    _fault(api.get(SPECS + "/trait:X"), "itemNotFound", 404)
    _fault(api.delete(SPECS + "/trait:X"), "itemNotFound", 404)


def test_extra_specs_bad_input_and_policy(api):
    _fault(api.post(SPECS, json={"extra_specs": {"a/b": "x"}}),
           "badRequest", 400)
    _fault(api.post(SPECS, json={"extra_specs": {"k": ""}}),
           "badRequest", 400)
    _fault(api.post(SPECS, json={"specs": {}}), "badRequest", 400)
    # A number has no maxLength in the schema; its text must fit too.
    _fault(api.post(SPECS, data='{"extra_specs": {"k": %s}}' % ("9" * 300),
                    headers={"Content-Type": "application/json"}),
           "badRequest", 400)
    message = _fault(api.put(SPECS + "/a", json={"b": "1"}), "badRequest",
                     400)
    assert "mismatch" in message
    _fault(api.put(SPECS + "/a", json={"a": "1", "b": "2"}), "badRequest",
           400)
    _fault(api.post(SPECS, token=ALICE, json={"extra_specs": {"k": "v"}}),
           "forbidden", 403)
    _fault(api.put(SPECS + "/k", token=ALICE, json={"k": "v"}),
           "forbidden", 403)
    _fault(api.delete(SPECS + "/k", token=ALICE), "forbidden", 403)
    _fault(api.get("/v2.1/flavors/nope/os-extra_specs"), "itemNotFound",
           404)


def test_extra_specs_in_flavor_views_from_2_61(api):
    api.post(SPECS, json={"extra_specs": {"hw:numa_nodes": "1"}})
    assert "extra_specs" not in api.get("/v2.1/flavors/1",
                                        version="2.60").json()["flavor"]
    shown = api.get("/v2.1/flavors/1", version="2.61", token=ALICE).json()
    assert shown["flavor"]["extra_specs"] == {"hw:numa_nodes": "1"}
    listed = api.get("/v2.1/flavors/detail", version="2.61").json()
    specs = {f["id"]: f["extra_specs"] for f in listed["flavors"]}
    assert specs["1"] == {"hw:numa_nodes": "1"} and specs["2"] == {}
    brief = api.get("/v2.1/flavors", version="2.61").json()["flavors"]
    assert "extra_specs" not in brief[0]


def test_server_embeds_the_flavors_extra_specs_at_boot(cloud):  # noqa: F811
    cloud.post(SPECS, json={"extra_specs": {"hw:numa_nodes": "1"}})
    server = boot(cloud, token=ALICE)
    assert show(cloud, server["id"], token=ALICE, version="2.47")[
        "flavor"]["extra_specs"] == {"hw:numa_nodes": "1"}


def _private(api, name="private"):
    response = api.post("/v2.1/flavors", json={"flavor": {
        "name": name, "id": name, "ram": 256, "vcpus": 1, "disk": 1,
        "os-flavor-access:is_public": False}})
    assert response.status_code == 200, response.text
    return response.json()["flavor"]


def _access(api, flavor_id, action, tenant, token=None):
    return api.post("/v2.1/flavors/%s/action" % flavor_id,
                    json={action: {"tenant": tenant}}, token=token)


def _ids(api, token, path="/v2.1/flavors"):
    return [f["id"] for f in api.get(path, token=token).json()["flavors"]]


def test_flavor_access_for_private_flavors(api):
    _private(api)
    assert "private" not in _ids(api, ALICE)
    _fault(api.get("/v2.1/flavors/private", token=ALICE), "itemNotFound",
           404)
    assert "private" in _ids(api, "admin:admin",
                             "/v2.1/flavors?is_public=none")
    response = _access(api, "private", "addTenantAccess", "p1")
    assert response.status_code == 200, response.text
    assert response.json() == {"flavor_access": [
        {"flavor_id": "private", "tenant_id": "p1"}]}
    assert api.get("/v2.1/flavors/private/os-flavor-access").json() == \
        response.json()
    assert "private" in _ids(api, ALICE)
    assert "private" in _ids(api, ALICE, "/v2.1/flavors/detail")
    assert api.get("/v2.1/flavors/private", token=ALICE).status_code == 200
    assert "private" not in _ids(api, BOB)
    _fault(_access(api, "private", "addTenantAccess", "p1"),
           "conflictingRequest", 409)
    response = _access(api, "private", "removeTenantAccess", "p1")
    assert response.json() == {"flavor_access": []}
    assert "private" not in _ids(api, ALICE)
    _fault(_access(api, "private", "removeTenantAccess", "p1"),
           "itemNotFound", 404)


def test_flavor_access_errors(api):
    _private(api)
    _fault(api.get("/v2.1/flavors/1/os-flavor-access"), "itemNotFound",
           404)
    _fault(_access(api, "1", "addTenantAccess", "p1"),
           "conflictingRequest", 409)
    _fault(_access(api, "private", "addTenantAccess", "p1", token=ALICE),
           "forbidden", 403)
    _fault(api.get("/v2.1/flavors/private/os-flavor-access", token=ALICE),
           "forbidden", 403)
    _fault(api.post("/v2.1/flavors/private/action",
                    json={"addTenantAccess": {}}), "badRequest", 400)
    _fault(api.post("/v2.1/flavors/private/action",
                    json={"nothing": {"tenant": "p1"}}), "badRequest", 400)
    _fault(_access(api, "nope", "addTenantAccess", "p1"), "itemNotFound",
           404)


def test_extra_specs_and_access_go_with_their_flavor(api):
    _private(api)
    _access(api, "private", "addTenantAccess", "p1")
    api.post("/v2.1/flavors/private/os-extra_specs",
             json={"extra_specs": {"k": "v"}})
    assert api.delete("/v2.1/flavors/private").status_code == 202
    _private(api)
    assert api.get("/v2.1/flavors/private/os-extra_specs").json() == \
        {"extra_specs": {}}
    assert api.get("/v2.1/flavors/private/os-flavor-access").json() == \
        {"flavor_access": []}


def test_boot_of_a_private_flavor_needs_access(cloud):  # noqa: F811
    _private(cloud)
    body = {"name": "vm", "flavorRef": "private", "imageRef": IMAGE}
    _fault(cloud.post("/v2.1/servers", json={"server": body}, token=ALICE),
           "badRequest", 400)
    _access(cloud, "private", "addTenantAccess", "p1")
    boot(cloud, token=ALICE, flavorRef="private")

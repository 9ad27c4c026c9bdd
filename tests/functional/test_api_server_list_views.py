"""A server in ``GET /servers/detail`` is the server ``GET /servers/{id}``
shows, at every microversion, to its owner and to an admin.

The list builds its views from the instances' rows, the show from an
Instance object (docs/architecture.md): this holds them to one answer,
for servers with what a view shows only sometimes (a fault, tags,
metadata, a lock and its reason, a server group's hint).
"""

from __future__ import annotations

import time

from minova.api.openstack import api_version
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import cloud  # noqa: F401
from tests.functional.test_api_servers import show
from tests.functional.test_api_servers import wait_status

# Keys a show has and Nova's list leaves out.
_SHOW_ONLY = ("server_groups",)


def _versions() -> list[str]:
    latest = api_version.APIVersion(api_version.MAX_VERSION)
    return ["2.%d" % minor for minor in range(1, latest.minor + 1)]


def _servers(cloud) -> list[str]:  # noqa: F811
    group = cloud.post("/v2.1/os-server-groups", token=ALICE, json={
        "server_group": {"name": "g", "policies": ["affinity"]}})
    assert group.status_code == 200, group.text
    response = cloud.post("/v2.1/servers", token=ALICE, version="2.52",
                          json={"server": {
                              "name": "grouped", "flavorRef": "1",
                              "imageRef": IMAGE, "metadata": {"a": "1"},
                              "networks": "auto",
                              "tags": ["t1", "t2"]},
                              "os:scheduler_hints": {
                                  "group": group.json()["server_group"][
                                      "id"]}})
    assert response.status_code == 202, response.text
    grouped = response.json()["server"]["id"]
    failed = boot(cloud, name="failed", token=ALICE,
                  metadata={"minova:build_fail": "disk on fire"})["id"]
    locked = boot(cloud, name="locked", token=ALICE)["id"]
    wait_status(cloud, grouped, "ACTIVE", token=ALICE)
    wait_status(cloud, failed, "ERROR", token=ALICE)
    wait_status(cloud, locked, "ACTIVE", token=ALICE)
    response = cloud.post("/v2.1/servers/%s/action" % locked, token=ALICE,
                          version="2.73",
                          json={"lock": {"locked_reason": "keep"}})
    assert response.status_code == 202, response.text
    return [grouped, failed, locked]


def _differences(cloud, version: str, token: str | None,  # noqa: F811
                 ids: list[str]) -> list[str]:
    # The admin sees the project's servers with all_tenants.
    query = "" if token else "?all_tenants=1"
    response = cloud.get("/v2.1/servers/detail" + query, token=token,
                         version=version)
    assert response.status_code == 200, response.text
    listed = {server["id"]: server for server in response.json()["servers"]}
    assert set(ids) <= set(listed)
    brief = cloud.get("/v2.1/servers" + query, token=token,
                      version=version)
    assert brief.status_code == 200, brief.text
    found = []
    for item in brief.json()["servers"]:
        whole = listed[item["id"]]
        if item != {key: whole[key] for key in ("id", "name", "links")}:
            found.append("%s %s index: %s" % (version, token, item))
    for server_id in ids:
        shown = show(cloud, server_id, token=token, version=version)
        for key in _SHOW_ONLY:
            shown.pop(key, None)
        if listed[server_id] != shown:
            found.append("%s %s %s: listed %s, shown %s" % (
                version, token, server_id, listed[server_id], shown))
    return found


def test_a_listed_server_is_the_shown_server_at_every_version(
        cloud):  # noqa: F811
    ids = _servers(cloud)
    for version in _versions():
        for token in (ALICE, None):  # the owner, and the admin
            # The compute may save a server between the two reads (its
            # periodic tasks): a difference must last to count.
            deadline = time.monotonic() + 10
            found = _differences(cloud, version, token, ids)
            while found and time.monotonic() < deadline:
                found = _differences(cloud, version, token, ids)
            assert not found, found

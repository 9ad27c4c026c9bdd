"""/v2.1/flavors over real HTTP: list, detail, show, create, delete."""

from __future__ import annotations

import pytest

from minova.db import flavors as db_flavors
from tests.functional.test_api_services import _fault

DEFAULT_NAMES = ["m1.tiny", "m1.small", "m1.medium", "m1.large",
                 "m1.xlarge"]


@pytest.fixture(autouse=True)
def default_flavors(db):
    """What `minova-manage db sync` creates."""
    db_flavors.ensure_defaults(db)


def _flavors(api, path="/v2.1/flavors", **kwargs):
    response = api.get(path, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def _create(api, **flavor):
    body = {"name": "f1", "ram": 256, "vcpus": 1, "disk": 1}
    body.update(flavor)
    return api.post("/v2.1/flavors", json={"flavor": body})


def test_list_shows_the_default_flavors_with_links(api):
    flavors = _flavors(api)["flavors"]
    assert [f["name"] for f in flavors] == DEFAULT_NAMES
    tiny = flavors[0]
    assert set(tiny) == {"id", "name", "links"}
    assert tiny["links"] == [
        {"rel": "self", "href": api.base_url + "/v2.1/flavors/1"},
        {"rel": "bookmark", "href": api.base_url + "/flavors/1"}]


def test_detail_and_show_have_novas_fields(api):
    [tiny] = [f for f in _flavors(api, "/v2.1/flavors/detail")["flavors"]
              if f["id"] == "1"]
    expected = {"id": "1", "name": "m1.tiny", "ram": 512, "disk": 1,
                "vcpus": 1, "OS-FLV-EXT-DATA:ephemeral": 0,
                "OS-FLV-DISABLED:disabled": False, "swap": "",
                "rxtx_factor": 1.0, "os-flavor-access:is_public": True}
    assert {k: tiny[k] for k in expected} == expected
    shown = api.get("/v2.1/flavors/1").json()["flavor"]
    assert shown == tiny


def test_unknown_flavor_is_404(api):
    _fault(api.get("/v2.1/flavors/nope"), "itemNotFound", 404)


def test_paging_with_limit_marker_and_next_link(api):
    first = _flavors(api, "/v2.1/flavors?limit=2")
    assert [f["id"] for f in first["flavors"]] == ["1", "2"]
    [link] = first["flavors_links"]
    assert link["rel"] == "next"
    assert link["href"].startswith(api.base_url + "/v2.1/flavors?")
    assert "marker=2" in link["href"] and "limit=2" in link["href"]
    second = api.get(link["href"][len(api.base_url):]).json()
    assert [f["id"] for f in second["flavors"]] == ["3", "4"]
    last = _flavors(api, "/v2.1/flavors?limit=2&marker=4")
    assert [f["id"] for f in last["flavors"]] == ["5"]
    assert "flavors_links" not in last


def test_bad_marker_and_limit_are_400(api):
    _fault(api.get("/v2.1/flavors?marker=nope"), "badRequest", 400)
    message = _fault(api.get("/v2.1/flavors?limit=x"), "badRequest", 400)
    assert "limit" in message


def test_min_ram_min_disk_and_sort(api):
    big = _flavors(api, "/v2.1/flavors/detail?minRam=4096&minDisk=80")
    assert [f["name"] for f in big["flavors"]] == ["m1.large",
                                                   "m1.xlarge"]
    by_ram = _flavors(api, "/v2.1/flavors?sort_key=memory_mb&sort_dir=desc")
    assert [f["name"] for f in by_ram["flavors"]] == DEFAULT_NAMES[::-1]
    _fault(api.get("/v2.1/flavors?sort_key=bogus"), "badRequest", 400)
    _fault(api.get("/v2.1/flavors?minRam=lots"), "badRequest", 400)


def test_admin_creates_shows_and_deletes_a_flavor(api):
    response = _create(api, id="custom", ram="1024", swap=512,
                       **{"OS-FLV-EXT-DATA:ephemeral": 2,
                          "rxtx_factor": 2.0})
    assert response.status_code == 200, response.text
    flavor = response.json()["flavor"]
    assert flavor["id"] == "custom"
    assert (flavor["ram"], flavor["swap"], flavor["rxtx_factor"]) == \
        (1024, 512, 2.0)
    assert flavor["OS-FLV-EXT-DATA:ephemeral"] == 2
    assert api.get("/v2.1/flavors/custom").json()["flavor"] == flavor
    assert api.delete("/v2.1/flavors/custom").status_code == 202
    _fault(api.get("/v2.1/flavors/custom"), "itemNotFound", 404)
    _fault(api.delete("/v2.1/flavors/custom"), "itemNotFound", 404)


def test_created_flavor_without_id_gets_a_uuid(api):
    flavor = _create(api).json()["flavor"]
    assert len(flavor["id"]) == 36


def test_duplicate_flavor_is_409(api):
    assert _create(api, id="a").status_code == 200
    message = _fault(_create(api, id="b"), "conflictingRequest", 409)
    assert "f1" in message
    message = _fault(_create(api, id="a", name="other"),
                     "conflictingRequest", 409)
    assert "a" in message


@pytest.mark.parametrize("flavor, field", [
    ({"ram": 0}, "flavor/ram"),
    ({"ram": "0"}, "flavor/ram"),
    ({"ram": "99999999999"}, "flavor/ram"),
    ({"vcpus": 2 ** 31}, "flavor/vcpus"),
    ({"vcpus": "many"}, "flavor/vcpus"),
    ({"disk": -1}, "flavor/disk"),
    ({"name": " padded"}, "flavor/name"),
    ({"color": "red"}, "flavor"),
    ({"rxtx_factor": 0}, "flavor/rxtx_factor"),
])
def test_bad_flavor_bodies_are_400_naming_the_field(api, flavor, field):
    message = _fault(_create(api, **flavor), "badRequest", 400)
    assert "field/attribute %s:" % field in message


def test_missing_field_is_named(api):
    response = api.post("/v2.1/flavors",
                        json={"flavor": {"name": "x", "ram": 1,
                                         "vcpus": 1}})
    message = _fault(response, "badRequest", 400)
    assert "disk" in message


def test_users_cannot_create_or_delete_flavors(api):
    response = api.post("/v2.1/flavors", token="alice:p1",
                        json={"flavor": {"name": "x", "ram": 1,
                                         "vcpus": 1, "disk": 0}})
    _fault(response, "forbidden", 403)
    _fault(api.delete("/v2.1/flavors/1", token="alice:p1"), "forbidden",
           403)
    assert _flavors(api, token="alice:p1")["flavors"]


def test_private_flavors_are_for_admins_who_ask(api):
    assert _create(api, id="p", **{"os-flavor-access:is_public": False}
                   ).status_code == 200
    public_ids = [f["id"] for f in _flavors(api)["flavors"]]
    assert "p" not in public_ids
    every = [f["id"] for f in _flavors(api, "/v2.1/flavors?is_public=none")
             ["flavors"]]
    assert "p" in every
    as_user = [f["id"] for f in _flavors(
        api, "/v2.1/flavors?is_public=none", token="bob")["flavors"]]
    assert "p" not in as_user

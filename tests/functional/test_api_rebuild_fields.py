"""What a rebuild may change besides the image (issue 9): the key pair
(2.54), user_data (2.57) and the hostname (2.90/2.94), each set and
unset, shown in the server and served by the metadata API; and 2.104's
``PUT /servers/{id}`` with ``pinned_availability_zone``. Over real HTTP,
every answer judged by Nova's own response schemas."""

from __future__ import annotations

import base64
import json

import pytest

from minova import crypto
from tests.fixtures import start_api
from tests.functional import test_api_servers as servers_test
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import show
from tests.functional.test_api_servers import start_compute
from tests.functional.test_api_servers import wait_status
from tests.functional.test_api_services import _fault
from tests.functional.test_metadata import _get
from tests.utils import wait_for

cloud = servers_test.cloud  # the fixture: API, scheduler, one compute
CAROL = "carol:p1"  # another user of alice's project


@pytest.fixture
def metadata(conf, transport, db, launched):
    conf.set_override("metadata_trust_header", True, group="api")
    return start_api(conf, transport, db, launched, name="metadata")


@pytest.fixture
def server(cloud):
    sid = boot(cloud, token=ALICE, networks="none")["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    return sid


def _key(api, name, token=ALICE):
    public = crypto.generate(crypto.SSH, name)[1]
    response = api.post("/v2.1/os-keypairs", token=token, version="2.92",
                        json={"keypair": {"name": name,
                                          "public_key": public}})
    assert response.status_code == 201, response.text
    return public


def _rebuild(api, sid, version, token=ALICE, **fields):
    return api.post("/v2.1/servers/%s/action" % sid, token=token,
                    version=version,
                    json={"rebuild": {"imageRef": IMAGE, **fields}})


def _rebuilt(api, sid, version, token=ALICE, **fields):
    response = _rebuild(api, sid, version, token=token, **fields)
    assert response.status_code == 202, response.text
    wait_status(api, sid, "ACTIVE", token=ALICE)
    return response.json()["server"]


def _served(metadata, sid, name="meta_data.json"):
    status, body = _get(metadata, "/openstack/latest/%s" % name,
                        headers={"X-Instance-ID": sid})
    return status, body


# key_name (2.54) ------------------------------------------------------------

def test_rebuild_sets_and_unsets_the_key_pair_from_2_54(cloud, server,
                                                        metadata):
    first = _key(cloud, "first")
    second = _key(cloud, "second")
    # Before 2.54 the field does not exist: a 400 naming it.
    message = _fault(_rebuild(cloud, server, "2.53", key_name="first"),
                     "badRequest", 400)
    assert "key_name" in message
    view = _rebuilt(cloud, server, "2.54", key_name="first")
    assert view["key_name"] == "first"
    assert show(cloud, server, token=ALICE)["key_name"] == "first"
    data = json.loads(_served(metadata, server)[1])
    assert data["public_keys"] == {"first": first}
    # Another key replaces it, for the guest too.
    view = _rebuilt(cloud, server, "2.75", key_name="second")
    assert view["key_name"] == "second"
    data = json.loads(_served(metadata, server)[1])
    assert data["public_keys"] == {"second": second}
    assert data["keys"] == [{"name": "second", "type": "ssh",
                             "data": second}]
    # A rebuild without key_name keeps it; null takes it away.
    assert _rebuilt(cloud, server, "2.100")["key_name"] == "second"
    assert _rebuilt(cloud, server, "2.100", key_name=None)["key_name"] \
        is None
    data = json.loads(_served(metadata, server)[1])
    assert "public_keys" not in data and "keys" not in data


def test_rebuild_key_pair_is_the_callers_own(cloud, server):
    # Key pairs belong to users: carol, of the same project, rebuilds
    # alice's server with her own key, never with alice's (Nova looks
    # the key up by the request's user).
    _key(cloud, "alices")
    _key(cloud, "carols", token=CAROL)
    message = _fault(_rebuild(cloud, server, "2.54", token=CAROL,
                              key_name="alices"), "badRequest", 400)
    assert message == "Invalid key_name provided."
    view = _rebuilt(cloud, server, "2.54", token=CAROL, key_name="carols")
    assert view["key_name"] == "carols"
    for bad in ("", "x" * 256, 7):
        assert "key_name" in _fault(_rebuild(cloud, server, "2.54",
                                             key_name=bad),
                                    "badRequest", 400)
    # Nothing changed by the refusals.
    assert show(cloud, server, token=ALICE)["key_name"] == "carols"


# user_data (2.57) -----------------------------------------------------------

def test_rebuild_sets_and_unsets_user_data_from_2_57(cloud, server,
                                                     metadata):
    script = b"#!/bin/sh\necho hello\n"
    encoded = base64.b64encode(script).decode()
    assert "user_data" in _fault(_rebuild(cloud, server, "2.56",
                                          user_data=encoded),
                                 "badRequest", 400)
    # Nothing yet: the metadata API neither lists nor serves it.
    assert _served(metadata, server, "")[1] == b"meta_data.json"
    assert _served(metadata, server, "user_data")[0] == 404
    view = _rebuilt(cloud, server, "2.57", user_data=encoded)
    assert view["user_data"] == encoded
    assert _served(metadata, server, "") == (
        200, b"meta_data.json\nuser_data")
    assert _served(metadata, server, "user_data") == (200, script)
    # Admins see it in the extended attributes (2.3 on).
    shown = show(cloud, server, version="2.57")
    assert shown["OS-EXT-SRV-ATTR:user_data"] == encoded
    # Left alone when not given; null unsets it.
    assert _rebuilt(cloud, server, "2.100")["user_data"] == encoded
    assert _rebuilt(cloud, server, "2.100", user_data=None)[
        "user_data"] is None
    assert _served(metadata, server, "user_data")[0] == 404
    assert show(cloud, server, version="2.57")[
        "OS-EXT-SRV-ATTR:user_data"] is None


@pytest.mark.parametrize("bad", ["not base64!", "abc", 12,
                                 "QQ==" * 16384])
def test_bad_user_data_is_a_400(cloud, server, bad):
    message = _fault(_rebuild(cloud, server, "2.57", user_data=bad),
                     "badRequest", 400)
    assert "user_data" in message
    assert show(cloud, server, version="2.57")[
        "OS-EXT-SRV-ATTR:user_data"] is None


# hostname (2.90, FQDN from 2.94) ---------------------------------------------

def test_rebuild_sets_the_hostname_from_2_90(cloud, server, metadata):
    assert "hostname" in _fault(_rebuild(cloud, server, "2.89",
                                         hostname="web-2"),
                                "badRequest", 400)
    view = _rebuilt(cloud, server, "2.90", hostname="web-2")
    assert view["OS-EXT-SRV-ATTR:hostname"] == "web-2"
    assert json.loads(_served(metadata, server)[1])["hostname"] == "web-2"
    # An FQDN only from 2.94; not a hostname of Nova's grammar before.
    for bad in ("web.example.org", "-web", "w", "a" * 64, None):
        _fault(_rebuild(cloud, server, "2.90", hostname=bad),
               "badRequest", 400)
    view = _rebuilt(cloud, server, "2.94", hostname="web.example.org")
    assert view["OS-EXT-SRV-ATTR:hostname"] == "web.example.org"
    for bad in ("web example", "", "a" * 256, None):
        _fault(_rebuild(cloud, server, "2.94", hostname=bad),
               "badRequest", 400)
    assert show(cloud, server, token=ALICE, version="2.90")[
        "OS-EXT-SRV-ATTR:hostname"] == "web.example.org"


def test_rebuild_fields_follow_the_state_and_lock_checks(cloud, server):
    _key(cloud, "k")
    response = cloud.post("/v2.1/servers/%s/action" % server,
                          json={"pause": None}, token=ALICE)
    assert response.status_code == 202, response.text
    wait_status(cloud, server, "PAUSED", token=ALICE)
    _fault(_rebuild(cloud, server, "2.90", key_name="k", hostname="h2"),
           "conflictingRequest", 409)
    shown = show(cloud, server, token=ALICE, version="2.90")
    assert (shown["key_name"], shown["OS-EXT-SRV-ATTR:hostname"]) == (
        None, "vm")
    # Another project's server does not exist for its users.
    _fault(_rebuild(cloud, server, "2.90", token=BOB, hostname="h2"),
           "itemNotFound", 404)


# pinned_availability_zone (2.104) -------------------------------------------

def _update(api, sid, version="2.104", token=ALICE, **fields):
    return api.put("/v2.1/servers/%s" % sid, token=token, version=version,
                   json={"server": fields})


def test_unpin_and_pin_the_zone_from_2_104(cloud):
    sid = boot(cloud, token=ALICE, networks="none",
               availability_zone="nova")["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    assert show(cloud, sid, token=ALICE, version="2.96")[
        "pinned_availability_zone"] == "nova"
    # Before 2.104 the field is unknown.
    assert "pinned_availability_zone" in _fault(
        _update(cloud, sid, "2.103", pinned_availability_zone=None),
        "badRequest", 400)
    response = _update(cloud, sid, pinned_availability_zone=None)
    assert response.status_code == 200, response.text
    view = response.json()["server"]
    assert view["pinned_availability_zone"] is None
    assert view["OS-EXT-AZ:availability_zone"] == "nova"
    assert show(cloud, sid, token=ALICE, version="2.104")[
        "pinned_availability_zone"] is None
    # Pinned again, to the zone it is in, with a new name at once.
    response = _update(cloud, sid, pinned_availability_zone="nova",
                       name="renamed")
    assert response.status_code == 200, response.text
    view = response.json()["server"]
    assert (view["pinned_availability_zone"], view["name"]) == (
        "nova", "renamed")
    # The same pin again is a no-op.
    assert _update(cloud, sid, pinned_availability_zone="nova") \
        .status_code == 200


def test_pin_conflicts_and_bad_values(conf, cloud):
    sid = boot(cloud, token=ALICE, networks="none")["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    # Booted without a zone: not pinned (Nova's request spec has none).
    assert show(cloud, sid, token=ALICE, version="2.104")[
        "pinned_availability_zone"] is None
    message = _fault(_update(cloud, sid, pinned_availability_zone="az2"),
                     "conflictingRequest", 409)
    assert "current availability zone 'nova'" in message
    assert _update(cloud, sid, pinned_availability_zone="nova") \
        .status_code == 200
    # Pinned: another zone only after unpinning.
    message = _fault(_update(cloud, sid, pinned_availability_zone="az2"),
                     "conflictingRequest", 409)
    assert "Unpin first" in message
    for bad in ("", "z" * 256, 3, ["nova"]):
        assert "pinned_availability_zone" in _fault(
            _update(cloud, sid, pinned_availability_zone=bad),
            "badRequest", 400)
    # Nothing was changed by the refusals; other projects get a 404.
    assert show(cloud, sid, token=ALICE, version="2.104")[
        "pinned_availability_zone"] == "nova"
    _fault(_update(cloud, sid, token=BOB, pinned_availability_zone=None),
           "itemNotFound", 404)


def test_a_pinned_server_resizes_within_its_zone(conf, cloud, transport,
                                                 launched):
    """The pin is what a resize is held to: pinned to a zone with no
    room, the resize finds no host; unpinned, it goes to another
    zone's host."""
    conf.set_override("host_availability_zones", {"compute2": "az2"},
                      group="filter_scheduler")
    conf.set_override("allow_resize_to_same_host", False)
    start_compute(conf, transport, launched, host="compute2")
    wait_for(lambda: len(cloud.get("/v2.1/os-hypervisors").json()[
        "hypervisors"]) == 2, what="two compute nodes")
    sid = boot(cloud, token=ALICE, networks="none",
               availability_zone="nova")["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)

    def resize(flavor):
        response = cloud.post("/v2.1/servers/%s/action" % sid, token=ALICE,
                              json={"resize": {"flavorRef": flavor}})
        assert response.status_code == 202, response.text

    # compute1, the only host of "nova", is the server's own: no host;
    # the server stays as it was.
    resize("2")
    shown = wait_for(lambda: (lambda s: s if s["OS-EXT-STS:task_state"]
                              is None else None)(show(cloud, sid)),
                     what="the resize to fail")
    assert (shown["status"], shown["flavor"]["id"]) == ("ACTIVE", "1")
    assert shown["OS-EXT-SRV-ATTR:host"] == "compute1"
    # Unpinned, any zone will do: compute2, in az2.
    response = _update(cloud, sid, pinned_availability_zone=None)
    assert response.status_code == 200, response.text
    resize("2")
    wait_status(cloud, sid, "VERIFY_RESIZE", token=ALICE)
    assert show(cloud, sid)["OS-EXT-SRV-ATTR:host"] == "compute2"

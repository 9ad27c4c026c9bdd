"""Client mistakes a security review found answered with a 500 or with
too much: each is a short 4xx Nova fault with the request id, over real
HTTP against the in-process services."""

from __future__ import annotations

import http.client
import json

import pytest

from tests.fixtures import start_api
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import cloud  # noqa: F401

_CONDUCTOR = {"host": "test-host", "binary": "minova-conductor"}


@pytest.fixture
def servers_api(request):
    """The API with a scheduler and a compute behind it."""
    return request.getfixturevalue("cloud")


def _fault(response, name, code):
    """The fault's message, after checking what every fault must have."""
    assert response.status_code == code, response.text[:500]
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["x-openstack-request-id"].startswith("req-")
    body = response.json()
    assert list(body) == [name], body
    assert body[name]["code"] == code
    return body[name]["message"]


def _raw(port, method, path, headers=None, body=None):
    """A well-formed request whose path is sent byte for byte (requests
    would re-quote it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


# Bodies -------------------------------------------------------------------

@pytest.mark.parametrize("depth", [1000, 50000])
def test_deeply_nested_json_is_400(api, depth):
    data = "[" * depth + "]" * depth
    response = api.put("/v2.1/os-services/disable", data=data,
                       headers={"Content-Type": "application/json"})
    message = _fault(response, "badRequest", 400)
    assert "Malformed request body" in message
    assert len(response.content) < 1000


def test_deeply_nested_value_in_a_valid_body_is_400(api):
    body = ('{"host": "test-host", "binary": "minova-conductor", '
            '"x": %s}' % ("[" * 5000 + "]" * 5000))
    response = api.put("/v2.1/os-services/disable", data=body,
                       headers={"Content-Type": "application/json"})
    _fault(response, "badRequest", 400)
    services = api.get("/v2.1/os-services").json()["services"]
    assert all(s["status"] == "enabled" for s in services)


def test_a_long_bad_value_is_quoted_short(api):
    reason = "r" * 110000
    response = api.put("/v2.1/os-services/disable-log-reason",
                       json={**_CONDUCTOR, "disabled_reason": reason})
    message = _fault(response, "badRequest", 400)
    assert message.startswith("Invalid input for field/attribute "
                              "disabled_reason:")
    assert "rrrr" in message
    assert len(response.content) < 1000


def test_a_long_server_name_is_quoted_short(servers_api):
    response = servers_api.post("/v2.1/servers", json={"server": {
        "name": "n" * 110000, "flavorRef": "1", "imageRef": IMAGE}})
    message = _fault(response, "badRequest", 400)
    assert "server/name" in message
    assert len(response.content) < 1000


@pytest.mark.parametrize("field", ["min_count", "max_count"])
def test_a_count_of_thousands_of_digits_is_400(servers_api, field):
    # int() refuses strings over 4,300 digits with a ValueError.
    response = servers_api.post("/v2.1/servers", json={"server": {
        "name": "n", "flavorRef": "1", "imageRef": IMAGE,
        field: "9" * 4400}})
    assert "server/%s" % field in _fault(response, "badRequest", 400)
    assert servers_api.get("/v2.1/servers").json()["servers"] == []


def test_a_long_bad_value_of_the_wrong_type_is_quoted_short(api):
    response = api.put("/v2.1/os-services/disable",
                       json={"host": ["h" * 50000], "binary": "b"})
    message = _fault(response, "badRequest", 400)
    assert "host" in message
    assert len(response.content) < 1000


# Microversions ------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/v2.1", "/v2.1/os-services",
                                  "/v2.1/nothing"])
@pytest.mark.parametrize("header", ["OpenStack-API-Version",
                                    "X-OpenStack-Nova-API-Version"])
def test_a_huge_microversion_is_406_quoted_short(api, path, header):
    version = "2." + "9" * 5000
    value = "compute " + version if header.startswith("Open") else version
    response = api.get(path, headers={header: value})
    if path in ("/",):
        # The version list takes no microversion, as in Nova.
        assert response.status_code == 200
        return
    message = _fault(response, "computeFault", 406)
    assert "2.999" in message
    assert len(response.content) < 1000


def test_a_huge_malformed_microversion_is_400_quoted_short(api):
    response = api.get("/v2.1/os-services",
                       headers={"OpenStack-API-Version":
                                "compute " + "x" * 5000})
    _fault(response, "badRequest", 400)
    assert len(response.content) < 1000


# Ids out of the database's range -------------------------------------------

@pytest.mark.backends("db")
@pytest.mark.parametrize("ident", ["99999999999999999999",
                                   "9223372036854775808", "2147483648",
                                   "-9223372036854775809", "-1"])
def test_ids_out_of_range_are_404(api, ident):
    for method, path in (("GET", "/v2.1/os-hypervisors/%s"),
                         ("GET", "/v2.1/os-hypervisors/%s/uptime"),
                         ("DELETE", "/v2.1/os-services/%s")):
        response = api.request(method, path % ident)
        message = _fault(response, "itemNotFound", 404)
        assert ident in message
    # A page marker out of range is a 400 like any unknown marker.
    response = api.get("/v2.1/os-hypervisors?marker=%s" % ident,
                       version="2.33")
    _fault(response, "badRequest", 400)
    assert api.get("/v2.1/os-services").status_code == 200


# Paths that are not UTF-8 ---------------------------------------------------

@pytest.mark.parametrize("path", ["/%ff", "/%c3%28", "/v2.1/%ff",
                                  "/v2.1/os-services/%c3%28",
                                  "/v2.1/servers/%ff/action"])
def test_paths_that_are_not_utf8_are_4xx_faults_on_compute(api, path):
    port = int(api.base_url.rsplit(":", 1)[1])
    status, headers, body = _raw(port, "GET", path,
                                 headers={"X-Auth-Token": "admin:admin"})
    assert status in (400, 404), body
    assert headers["Content-Type"].startswith("application/json")
    assert headers["x-openstack-request-id"].startswith("req-")
    [fault] = json.loads(body).values()
    assert fault["code"] == status
    assert api.get("/v2.1/os-services").status_code == 200


@pytest.mark.parametrize("path", ["/%ff", "/%c3%28", "/openstack/%ff",
                                  "/openstack/latest/%c3%28"])
def test_paths_that_are_not_utf8_are_4xx_faults_on_metadata(
        conf, transport, db, launched, path):
    metadata = start_api(conf, transport, db, launched, name="metadata")
    status, headers, body = _raw(metadata.port, "GET", path)
    assert status in (400, 404), body
    assert headers["Content-Type"].startswith("application/json")
    assert headers["x-openstack-request-id"].startswith("req-")
    status, _headers, _body = _raw(metadata.port, "GET", "/openstack")
    assert status == 200


# Markers --------------------------------------------------------------------

def test_a_marker_of_another_project_is_400_like_an_unknown_one(servers_api):
    mine = boot(servers_api, name="mine", token=ALICE)
    theirs = boot(servers_api, name="theirs", token=BOB)
    unknown = "3f0b3d5e-1f33-4a8b-a1a5-0ad7d0b2c7e9"
    for path in ("/v2.1/servers", "/v2.1/servers/detail"):
        response = servers_api.get("%s?marker=%s" % (path, theirs["id"]),
                                   token=ALICE)
        message = _fault(response, "badRequest", 400)
        assert message == "Marker %s could not be found." % theirs["id"]
        response = servers_api.get("%s?marker=%s" % (path, unknown),
                                   token=ALICE)
        assert _fault(response, "badRequest", 400) == \
            "Marker %s could not be found." % unknown
        # One's own server is a marker, and so is anyone's for an admin
        # listing every project.
        response = servers_api.get("%s?marker=%s" % (path, mine["id"]),
                                   token=ALICE)
        assert response.status_code == 200, response.text
        response = servers_api.get("%s?all_tenants=1&marker=%s"
                                   % (path, theirs["id"]))
        assert response.status_code == 200, response.text


def test_a_long_marker_is_quoted_short(servers_api):
    response = servers_api.get("/v2.1/servers?marker=" + "m" * 6000)
    _fault(response, "badRequest", 400)
    assert len(response.content) < 1000


# Query and body numbers past what the database holds ----------------------

@pytest.mark.parametrize("query", ["minRam=99999999999999999999",
                                   "minDisk=2147483648",
                                   "minRam=" + "9" * 5000])
def test_flavor_filters_out_of_range_are_400(api, query):
    response = api.get("/v2.1/flavors?" + query)
    _fault(response, "badRequest", 400)
    assert len(response.content) < 1000


@pytest.mark.parametrize("field,value", [("ram", "9" * 5000),
                                         ("vcpus", "99999999999"),
                                         ("rxtx_factor", "9" * 400)])
def test_flavor_numbers_out_of_range_are_400(api, field, value):
    flavor = {"name": "big", "ram": 512, "vcpus": 1, "disk": 1}
    flavor[field] = value
    response = api.post("/v2.1/flavors", json={"flavor": flavor})
    assert "flavor/%s" % field in _fault(response, "badRequest", 400)
    assert len(response.content) < 1000
    assert api.get("/v2.1/flavors/big").status_code == 404


def test_a_changes_since_out_of_range_is_400(api):
    response = api.get("/v2.1/servers?changes-since="
                       "9999-12-31T23:00:00-05:00")
    assert "changes-since" in _fault(response, "badRequest", 400)


# NUL characters: PostgreSQL refuses them in any text it is sent ------------

@pytest.mark.backends("db")
def test_nul_characters_are_400_on_every_database(api):
    for method, path in (("GET", "/v2.1/servers/a%00b"),
                         ("GET", "/v2.1/servers?name=%00"),
                         ("GET", "/v2.1/os-services?host=a%00"),
                         ("DELETE", "/v2.1/flavors/%00")):
        response = api.request(method, path)
        assert "NUL" in _fault(response, "badRequest", 400), path
    response = api.put("/v2.1/os-services/disable",
                       json={"host": "test\u0000host",
                             "binary": "minova-conductor"})
    assert "NUL" in _fault(response, "badRequest", 400)
    response = api.post("/v2.1/flavors", json={"flavor": {
        "name": "x\u0000", "ram": 1, "vcpus": 1, "disk": 1}})
    assert "NUL" in _fault(response, "badRequest", 400)


@pytest.mark.backends("db")
@pytest.mark.parametrize("token", ["u\u0000:p", "u:" + "p" * 256,
                                   "u" * 256 + ":p"])
def test_tokens_the_database_cannot_hold_are_401(api, token):
    response = api.get("/v2.1/servers", token=token)
    _fault(response, "unauthorized", 401)


@pytest.mark.backends("db")
def test_an_instance_id_header_that_is_no_uuid_is_404(conf, transport, db,
                                                      launched):
    conf.set_override("metadata_trust_header", True, group="api")
    metadata = start_api(conf, transport, db, launched, name="metadata")
    for value in ("a\u0000b", "x" * 300):
        status, headers, _body = _raw(
            metadata.port, "GET", "/openstack/latest/meta_data.json",
            headers={"X-Instance-ID": value.encode("latin-1")})
        assert status == 404
        assert headers["x-openstack-request-id"].startswith("req-")

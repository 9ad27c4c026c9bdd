"""Property-based fuzzing of the APIs over real HTTP.

Every route of the compute API (``minova.api.openstack.compute.routes``
and the version document at ``/``), of the image API
(``minova.api.image.routes``, its faults in Glance's format) and of the
metadata API (``minova.api.metadata.handler.ROUTES``), with its methods
and now and then another, gets generated path variables, query strings, header
values (microversion headers, Content-Type, tokens) and bodies: JSON
shaped like the API's own, any JSON, deeply nested JSON and bytes. Every
answer must be below 500, carry a request id, and, if it is an error, be
one short JSON fault in the API's format; the service must still answer
afterwards.

Requests stay well-formed HTTP (``requests``): malformed framing is the
WSGI server's business (minova/wsgi.py), not the applications'.

The number of examples comes from a hypothesis settings profile:
``ci`` (the default, a fixed seed, well under a minute for both APIs) or
``long`` (``make fuzz``, i.e. ``HYPOTHESIS_PROFILE=long``).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any
from urllib import parse

import pytest
import requests
from hypothesis import HealthCheck
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from minova.api.image import routes as image_routes
from minova.api.metadata import handler as metadata_handler
from minova.api.openstack.compute import routes as compute_routes
from tests.fixtures import start_api
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import cloud  # noqa: F401

_COMMON = {"deadline": None, "database": None, "print_blob": True,
           "suppress_health_check": [HealthCheck.too_slow,
                                     HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much]}
settings.register_profile("ci", max_examples=200, derandomize=True,
                          **_COMMON)
settings.register_profile("long", max_examples=5000, **_COMMON)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
_MAX_FAULT_BYTES = 2048
_MAX_URL = 8000


def _routes(table: dict, prefix: str = "") -> list[tuple[str, str]]:
    """(path template, method) for every route and method of ``table``;
    HEAD wherever GET is, as the router serves it."""
    pairs = []
    for path, methods in table.items():
        methods = set(methods) | ({"HEAD"} if "GET" in methods else set())
        pairs += [(prefix + path, method) for method in sorted(methods)]
    return pairs


COMPUTE_ROUTES = [("/", "GET"), ("/", "HEAD")] + \
    _routes(compute_routes.ROUTES, "/v2.1")
METADATA_ROUTES = _routes(metadata_handler.ROUTES)
IMAGE_ROUTES = _routes(image_routes.ROUTES, "/image")


# Text and values ------------------------------------------------------------

# Header values requests and http.client send as they are: latin-1 with
# no line breaks (NUL and tab are sent), not starting with whitespace.
_HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xff,
                  blacklist_categories=("Cc",)) | st.sampled_from("\x00\t"),
    max_size=40).map(str.lstrip)
# Past int()'s 4,300 digits, and past what the database columns hold.
_HUGE = st.sampled_from(["99999999999999999999", "9223372036854775808",
                         "2147483648", "-1", "0", "1" + "0" * 4400,
                         "2." + "9" * 4400])
_TEXT = st.text(max_size=30) | _HUGE
_SCALARS = (st.none() | st.booleans() | st.integers() |
            st.integers(min_value=-(2 ** 70), max_value=2 ** 70) |
            st.floats() | _TEXT)
_JSON = st.recursive(
    _SCALARS,
    lambda children: (st.lists(children, max_size=4) |
                      st.dictionaries(st.text(max_size=12), children,
                                      max_size=4)),
    max_leaves=12)


def _quoted(value: str | bytes) -> str:
    """A path segment or query value, percent-encoded: any text as UTF-8,
    any bytes as they are (so also bytes that are not UTF-8)."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    return parse.quote(value, safe="")


# Path variables: values that exist, values that look right, and junk.
def _path_values(known: dict[str, list[str]]) -> dict[str, Any]:
    junk = _TEXT | st.binary(max_size=12)
    return {
        "server_id": st.sampled_from(known["servers"]) | st.uuids().map(
            str) | junk,
        "service_id": st.sampled_from(
            ["enable", "disable", "disable-log-reason", "force-down",
             *known["services"]]) | junk,
        "flavor_id": st.sampled_from(["1", "2", "huge"]) | junk,
        "hypervisor_id": st.sampled_from(known["hypervisors"]) | junk,
        "image_id": st.just(IMAGE) | junk,
        "version": st.sampled_from(metadata_handler.VERSIONS) | junk,
        "project_id": st.sampled_from(["admin", "p1"]) | junk,
        "class_name": st.just("default") | junk,
        "key": st.sampled_from(["hw:cpu_policy", "role"]) | junk,
        "name": st.sampled_from(["fuzz-key"]) | junk,
        "tag": st.sampled_from(["fuzz-tag", "t"]) | junk,
        "group_id": st.uuids().map(str) | junk,
        "request_id": st.just("req-" + "0" * 36) | junk,
    }


def _path(draw: Any, template: str, values: dict) -> str:
    def fill(match: re.Match) -> str:
        # A route added without values of its own still gets junk.
        strategy = values.get(match.group(1), _TEXT | st.binary(max_size=12))
        return _quoted(draw(strategy))
    return re.sub(r"\{(\w+)\}", fill, template)


_QUERY_NAMES = ("limit", "marker", "sort_key", "sort_dir", "status",
                "all_tenants", "changes-since", "name", "flavor", "image",
                "host", "node", "binary", "project_id", "tenant_id",
                "deleted", "minRam", "minDisk", "is_public", "user_id",
                "tags", "tags-any", "not-tags", "not-tags-any", "sort",
                "visibility", "owner", "tag", "member_status", "os_hidden")


def _query(draw: Any) -> str:
    pairs = draw(st.lists(st.tuples(
        st.sampled_from(_QUERY_NAMES) | st.text(max_size=8),
        _TEXT | st.binary(max_size=8) | st.sampled_from(
            ["asc", "desc", "ACTIVE", "true", "2012-01-01T00:00:00Z",
             "9999-12-31T23:00:00-05:00", "created_at"])),
        max_size=4))
    return "&".join("%s=%s" % (_quoted(name), _quoted(value))
                    for name, value in pairs)


def _headers(draw: Any) -> dict[str, str]:
    headers = {}
    token = draw(st.sampled_from(["admin:admin", "alice:p1", None]) |
                 _HEADER_TEXT)
    if token is not None:
        headers["X-Auth-Token"] = token
    version = st.sampled_from(["2.1", "2.11", "2.33", "2.37", "2.47",
                               "2.53", "2.75", "2.102", "latest", "2.105",
                               "3.0", "2." + "9" * 5000,
                               "1." + "0" * 30]) | _HEADER_TEXT
    if draw(st.booleans()):
        headers["OpenStack-API-Version"] = draw(
            st.sampled_from(["compute ", "volume ", ""]) |
            _HEADER_TEXT) + draw(version)
    if draw(st.booleans()):
        headers["X-OpenStack-Nova-API-Version"] = draw(version)
    headers["Content-Type"] = draw(st.sampled_from(
        ["application/json", "text/plain", "application/json; charset=x",
         "", "application/openstack-images-v2.1-json-patch",
         "application/octet-stream"]) | _HEADER_TEXT)
    if draw(st.booleans()):
        headers["X-Instance-ID"] = draw(_HEADER_TEXT)
    return headers


# Bodies shaped like the API's, so that requests get past the first check.
_SHAPED = {
    "/v2.1/servers": st.fixed_dictionaries({"server": st.fixed_dictionaries(
        {}, optional={
            "name": _TEXT, "flavorRef": st.sampled_from(["1", "2"]) | _TEXT,
            "imageRef": st.just(IMAGE) | _TEXT,
            "networks": st.sampled_from(["auto", "none"]) | _JSON,
            "metadata": st.dictionaries(_TEXT, _TEXT, max_size=3) | _JSON,
            # Small counts only: a max_count of millions boots millions
            # (the quota work bounds it, not this test).
            "min_count": st.integers(-1, 2), "max_count": st.integers(-1, 2),
            "availability_zone": _TEXT, "key_name": _TEXT,
            "block_device_mapping_v2": _JSON})}),
    "/v2.1/servers/{server_id}": st.fixed_dictionaries({
        "server": st.fixed_dictionaries({}, optional={"name": _TEXT})}),
    "/v2.1/servers/{server_id}/action": st.sampled_from(
        [{"os-stop": None}, {"os-start": None}]) | st.fixed_dictionaries({
            "reboot": st.fixed_dictionaries({}, optional={
                "type": st.sampled_from(["SOFT", "HARD"]) | _TEXT})}),
    "/v2.1/os-services/{service_id}": st.fixed_dictionaries({}, optional={
        "host": st.just("test-host") | _TEXT,
        "binary": st.just("minova-conductor") | _TEXT,
        "disabled_reason": _TEXT, "forced_down": _SCALARS,
        "status": st.sampled_from(["enabled", "disabled"]) | _TEXT}),
    "/v2.1/flavors/{flavor_id}": st.fixed_dictionaries({
        "flavor": st.fixed_dictionaries({}, optional={
            "description": st.none() | _TEXT})}),
    "/v2.1/flavors": st.fixed_dictionaries({"flavor": st.fixed_dictionaries(
        {}, optional={name: _SCALARS for name in (
            "name", "id", "ram", "vcpus", "disk", "swap", "rxtx_factor",
            "OS-FLV-EXT-DATA:ephemeral", "os-flavor-access:is_public")})}),
    # Issue 9, RES1.
    "/v2.1/os-keypairs": st.fixed_dictionaries({
        "keypair": st.fixed_dictionaries({}, optional={
            "name": st.just("fuzz-key") | _TEXT, "public_key": _TEXT,
            "type": st.sampled_from(["ssh", "x509"]) | _TEXT,
            "user_id": _TEXT})}),
    "/v2.1/flavors/{flavor_id}/os-extra_specs": st.fixed_dictionaries({
        "extra_specs": st.dictionaries(_TEXT, _SCALARS, max_size=3)
        | _JSON}),
    "/v2.1/flavors/{flavor_id}/action": st.fixed_dictionaries({}, optional={
        "addTenantAccess": st.fixed_dictionaries({"tenant": _TEXT}),
        "removeTenantAccess": st.fixed_dictionaries({"tenant": _TEXT})}),
    "/v2.1/servers/{server_id}/metadata": st.fixed_dictionaries({
        "metadata": st.dictionaries(_TEXT, _TEXT, max_size=3) | _JSON}),
    "/v2.1/servers/{server_id}/metadata/{key}": st.fixed_dictionaries({
        "meta": st.dictionaries(_TEXT, _TEXT, max_size=2) | _JSON}),
    "/v2.1/servers/{server_id}/tags": st.fixed_dictionaries({
        "tags": st.lists(_TEXT, max_size=3) | _JSON}),
    "/image/v2/images": st.fixed_dictionaries({}, optional={
        "name": _SCALARS, "id": st.uuids().map(str) | _TEXT,
        "visibility": st.sampled_from(["public", "private", "shared",
                                       "community"]) | _SCALARS,
        "tags": st.lists(_TEXT, max_size=3) | _JSON, "owner": _SCALARS,
        "min_ram": _SCALARS, "min_disk": _SCALARS, "protected": _SCALARS,
        "disk_format": st.just("raw") | _SCALARS, "status": _SCALARS,
        "hw_arch": _SCALARS}),
    "/image/v2/images/{image_id}": st.lists(st.fixed_dictionaries({
        "op": st.sampled_from(["add", "replace", "remove"]) | _TEXT,
        "path": st.sampled_from(["/name", "/tags", "/visibility", "/id",
                                 "/min_ram", "/owner", "/protected",
                                 "/status", "/hw_arch", "/disk_format"])
        | _TEXT}, optional={"value": _JSON}), max_size=3),
}


def _body(draw: Any, template: str) -> bytes | None:
    kind = draw(st.sampled_from(["none", "shaped", "json", "deep",
                                 "bytes"]))
    if kind == "none":
        return None
    if kind == "shaped" and template in _SHAPED:
        return _dumps(draw(_SHAPED[template]))
    if kind == "deep":
        depth = draw(st.integers(1, 3000))
        return b"[" * depth + b"]" * depth
    if kind == "bytes":
        return draw(st.binary(max_size=64))
    return _dumps(draw(_JSON))


def _dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


# Checks ---------------------------------------------------------------------

def _check(method: str, url: str, response: requests.Response,
           glance: bool = False) -> None:
    what = "%s %s -> %s %s" % (method, url[:300], response.status_code,
                               response.content[:300])
    # 501 is Nova's own answer to what the virt driver cannot do (uptime
    # on the fake driver), a fault clients expect, not a server error.
    assert response.status_code < 500 or (
        response.status_code == 501
        and (method == "HEAD" or "notImplemented" in response.json())), what
    assert response.headers.get("x-openstack-request-id", "").startswith(
        "req-"), what
    if response.status_code < 400 or method == "HEAD":
        return
    assert response.headers.get("Content-Type", "").startswith(
        "application/json"), what
    assert len(response.content) <= _MAX_FAULT_BYTES, what
    body = response.json()
    if glance:
        assert set(body) == {"code", "title", "message"}, what
        assert body["code"].startswith("%d " % response.status_code), what
        assert isinstance(body["message"], str), what
        return
    assert isinstance(body, dict) and len(body) == 1, what
    [fault] = body.values()
    assert fault["code"] == response.status_code, what
    assert isinstance(fault["message"], str), what


def _exchange(session: requests.Session, base_url: str, routes: list,
              values: dict, data: Any, glance: bool = False) -> None:
    template, method = data.draw(st.sampled_from(routes))
    if data.draw(st.integers(0, 4)) == 0:
        method = data.draw(st.sampled_from(_METHODS))
    path = _path(data.draw, template, values)
    if data.draw(st.integers(0, 9)) == 0:
        path += "/" + _quoted(data.draw(st.binary(max_size=12)))
    query = _query(data.draw)
    url = base_url + path + ("?" + query if query else "")
    # eventlet refuses a request line past 8 KiB with its own 414, a
    # server-layer answer (minova/wsgi.py), not the applications'.
    assume(len(url) < _MAX_URL)
    body = _body(data.draw, template)
    response = session.request(method, url, data=body,
                               headers=_headers(data.draw), timeout=30,
                               allow_redirects=False)
    _check(method, url, response, glance)


# The tests ------------------------------------------------------------------

@pytest.fixture
def fuzzed_cloud(request):
    """The API with a scheduler and a compute behind it, and a server."""
    api = request.getfixturevalue("cloud")
    boot(api, name="fuzz-target")
    return api


def _known(api: Any) -> dict[str, list[str]]:
    servers = api.get("/v2.1/servers?all_tenants=1").json()["servers"]
    # Integer ids, and the uuids that name them from 2.53.
    services = api.get("/v2.1/os-services").json()["services"] + \
        api.get("/v2.1/os-services", version="2.53").json()["services"]
    nodes = api.get("/v2.1/os-hypervisors").json()["hypervisors"] + \
        api.get("/v2.1/os-hypervisors",
                version="2.53").json()["hypervisors"]
    return {"servers": [server["id"] for server in servers],
            "services": [str(service["id"]) for service in services],
            "hypervisors": [str(node["id"]) for node in nodes]}


# On every database: each refuses different things (PostgreSQL a NUL in
# text, MariaDB and PostgreSQL text past a column's length).
@pytest.mark.backends("db")
def test_compute_api_answers_anything_with_a_fault_or_success(
        db, fuzzed_cloud):
    api = fuzzed_cloud
    values = _path_values(_known(api))
    session = requests.Session()

    @PROFILE
    @given(data=st.data())
    def exchange(data: Any) -> None:
        _exchange(session, api.base_url, COMPUTE_ROUTES, values, data)

    exchange()
    # Still serving, reads and writes (of something the generated
    # requests cannot have deleted or disabled).
    assert api.get("/").status_code == 200
    assert api.get("/v2.1/os-hypervisors").status_code == 200
    response = api.post("/v2.1/flavors", json={"flavor": {
        "name": "after-fuzzing", "id": "after-fuzzing", "ram": 1,
        "vcpus": 1, "disk": 0}})
    assert response.status_code == 200, response.text


@pytest.mark.backends("db")
def test_metadata_api_answers_anything_with_a_fault_or_success(
        conf, fuzzed_cloud, transport, db, launched):
    # Trusting X-Instance-ID lets generated values reach the database.
    conf.set_override("metadata_trust_header", True, group="api")
    metadata = start_api(conf, transport, db, launched, name="metadata")
    base_url = "http://127.0.0.1:%d" % metadata.port
    values = _path_values(_known(fuzzed_cloud))
    session = requests.Session()

    @PROFILE
    @given(data=st.data())
    def exchange(data: Any) -> None:
        _exchange(session, base_url, METADATA_ROUTES, values, data)

    exchange()
    response = session.get(base_url + "/openstack", timeout=30)
    assert response.status_code == 200
    assert b"latest" in response.content


@pytest.mark.backends("db")
def test_image_api_answers_anything_with_a_glance_fault_or_success(
        db, fuzzed_cloud):
    api = fuzzed_cloud
    values = _path_values(_known(api))
    session = requests.Session()

    @PROFILE
    @given(data=st.data())
    def exchange(data: Any) -> None:
        _exchange(session, api.base_url, IMAGE_ROUTES, values, data,
                  glance=True)

    exchange()
    created = session.post(api.base_url + "/image/v2/images", timeout=30,
                           json={"name": "after-fuzzing"},
                           headers={"X-Auth-Token": "admin:admin"})
    assert created.status_code == 201, created.text

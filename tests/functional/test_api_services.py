"""The compute API's version documents and os-services, over real HTTP."""

from __future__ import annotations

import pytest
import requests

from minova.api.openstack import api_version
from tests.fixtures import start_api

SERVICE_FIELDS = {"id", "binary", "host", "zone", "status", "state",
                  "updated_at", "disabled_reason"}


def _fault(response, name, code):
    """The Nova fault body of ``response``: ``{name: {code, message}}``."""
    assert response.status_code == code, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == [name], body
    assert body[name]["code"] == code
    return body[name]["message"]


def _services(api, **kwargs):
    response = api.get("/v2.1/os-services", **kwargs)
    assert response.status_code == 200, response.text
    return response.json()["services"]


def _conductor_row(api):
    [row] = [s for s in _services(api) if s["binary"] == "minova-conductor"]
    return row


def _check_v21(document, base_url):
    assert document["id"] == "v2.1"
    assert document["status"] == "CURRENT"
    assert document["min_version"] == api_version.MIN_VERSION
    assert document["version"] == api_version.MAX_VERSION
    assert {"rel": "self", "href": base_url + "/v2.1/"} in document["links"]


# Versions -----------------------------------------------------------------

def test_root_lists_versions_without_a_token(api):
    """Nova 34's list: v2.0 (deprecated, no microversions) and v2.1."""
    response = api.get("/", token=False)
    assert response.status_code == 200
    v20, v21 = response.json()["versions"]
    assert (v20["id"], v20["status"], v20["version"]) == \
        ("v2.0", "DEPRECATED", "")
    assert v20["links"] == [{"rel": "self", "href": api.base_url + "/v2"}]
    assert (v21["id"], v21["status"]) == ("v2.1", "CURRENT")
    assert v21["version"] == api_version.MAX_VERSION == "2.104"
    assert v21["links"] == [{"rel": "self",
                             "href": api.base_url + "/v2.1"}]


@pytest.mark.parametrize("path", ["/v2", "/v2/"])
def test_v2_document_without_a_token(api, path):
    response = api.get(path, token=False)
    assert response.status_code == 200, response.text
    document = response.json()["version"]
    assert (document["id"], document["status"]) == ("v2.0", "DEPRECATED")
    assert {"rel": "self", "href": api.base_url + "/v2/"} in \
        document["links"]
    assert document["media-types"][0]["type"] == \
        "application/vnd.openstack.compute+json;version=2"
    assert response.headers["X-Compute-Request-Id"] == \
        response.headers["x-openstack-request-id"]
    # Nothing else of the legacy API is there.
    assert api.get("/v2/servers").status_code == 404


@pytest.mark.parametrize("path", ["/v2.1", "/v2.1/"])
def test_v21_document_without_a_token(api, path):
    response = api.get(path, token=False)
    assert response.status_code == 200, response.text
    document = response.json()["version"]
    _check_v21(document, api.base_url)
    assert document["media-types"][0]["base"] == "application/json"


def test_responses_carry_version_and_request_id_headers(api):
    response = api.get("/v2.1/os-services", version="2.11")
    assert response.headers["OpenStack-API-Version"] == "compute 2.11"
    assert response.headers["x-openstack-request-id"].startswith("req-")
    response = api.get("/v2.1/os-services")
    assert response.headers["OpenStack-API-Version"] == "compute 2.1"
    response = api.get("/v2.1/os-services", version="latest")
    assert response.headers["OpenStack-API-Version"] == \
        "compute %s" % api_version.MAX_VERSION


def test_each_request_gets_its_own_request_id(api):
    first = api.get("/v2.1/os-services").headers["x-openstack-request-id"]
    second = api.get("/v2.1/os-services").headers["x-openstack-request-id"]
    assert first != second


# os-services: list --------------------------------------------------------

def test_list_shows_the_running_services(api, conductor):
    services = _services(api)
    by_binary = {s["binary"]: s for s in services}
    assert set(by_binary) == {"minova-conductor", "minova-osapi_compute"}
    row = by_binary["minova-conductor"]
    assert set(row) == SERVICE_FIELDS
    assert row["id"] == conductor.service_ref.id
    assert row["host"] == "test-host"
    assert row["zone"] == "internal"
    assert row["status"] == "enabled"
    assert row["state"] == "up"
    assert row["disabled_reason"] is None
    assert row["updated_at"] is None or isinstance(row["updated_at"], str)


def test_forced_down_appears_from_2_11(api):
    assert "forced_down" not in _conductor_row(api)
    assert "forced_down" not in _services(api, version="2.10")[0]
    rows = _services(api, version="2.11")
    assert all(row["forced_down"] is False for row in rows)
    assert set(rows[0]) == SERVICE_FIELDS | {"forced_down"}


def test_list_filters_by_host_and_binary(api, conf, transport, db,
                                         launched):
    conf.set_override("host", "other-host")
    start_api(conf, transport, db, launched, name="metadata")
    assert len(_services(api)) == 3
    by_host = _services(api, params={"host": "other-host"})
    assert [s["binary"] for s in by_host] == ["minova-metadata"]
    by_binary = _services(api, params={"binary": "minova-conductor"})
    assert [(s["host"], s["binary"]) for s in by_binary] == [
        ("test-host", "minova-conductor")]
    both = _services(api, params={"host": "test-host",
                                  "binary": "minova-metadata"})
    assert both == []


# os-services: update ------------------------------------------------------

_CONDUCTOR = {"host": "test-host", "binary": "minova-conductor"}


def test_disable_then_enable(api):
    response = api.put("/v2.1/os-services/disable", json=_CONDUCTOR)
    assert response.status_code == 200, response.text
    assert response.json() == {"service": {**_CONDUCTOR,
                                           "status": "disabled"}}
    assert _conductor_row(api)["status"] == "disabled"
    response = api.put("/v2.1/os-services/enable", json=_CONDUCTOR)
    assert response.status_code == 200, response.text
    assert response.json() == {"service": {**_CONDUCTOR,
                                           "status": "enabled"}}
    assert _conductor_row(api)["status"] == "enabled"


def test_disable_log_reason_is_stored_and_shown(api):
    body = {**_CONDUCTOR, "disabled_reason": "maintenance window"}
    response = api.put("/v2.1/os-services/disable-log-reason", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["service"] == {**body, "status": "disabled"}
    row = _conductor_row(api)
    assert row["status"] == "disabled"
    assert row["disabled_reason"] == "maintenance window"
    # Enabling clears the reason.
    api.put("/v2.1/os-services/enable", json=_CONDUCTOR)
    assert _conductor_row(api)["disabled_reason"] is None


def test_force_down_needs_2_11_and_marks_the_service_down(api):
    body = {**_CONDUCTOR, "forced_down": True}
    response = api.put("/v2.1/os-services/force-down", json=body)
    _fault(response, "itemNotFound", 404)
    response = api.put("/v2.1/os-services/force-down", json=body,
                       version="2.11")
    assert response.status_code == 200, response.text
    assert response.json()["service"] == body
    [row] = _services(api, version="2.11",
                      params={"binary": "minova-conductor"})
    assert row["forced_down"] is True
    assert row["state"] == "down"
    body["forced_down"] = False
    api.put("/v2.1/os-services/force-down", json=body, version="2.11")
    [row] = _services(api, version="2.11",
                      params={"binary": "minova-conductor"})
    assert (row["forced_down"], row["state"]) == (False, "up")


def test_update_of_an_unknown_service_is_404(api):
    response = api.put("/v2.1/os-services/disable",
                       json={"host": "nowhere", "binary": "minova-x"})
    message = _fault(response, "itemNotFound", 404)
    assert "nowhere" in message


def test_unknown_action_is_404(api):
    response = api.put("/v2.1/os-services/reboot", json=_CONDUCTOR)
    _fault(response, "itemNotFound", 404)


# os-services: delete ------------------------------------------------------

def test_delete_removes_the_service(api, conductor):
    ident = conductor.service_ref.id
    response = api.delete("/v2.1/os-services/%d" % ident)
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert ident not in [s["id"] for s in _services(api)]
    response = api.delete("/v2.1/os-services/%d" % ident)
    _fault(response, "itemNotFound", 404)


@pytest.mark.parametrize("ident", ["999999", "not-a-number"])
def test_delete_of_an_unknown_id_is_404(api, ident):
    response = api.delete("/v2.1/os-services/%s" % ident)
    message = _fault(response, "itemNotFound", 404)
    assert ident in message


# os-services: who may -----------------------------------------------------

_CALLS = [
    ("GET", "/v2.1/os-services", None, None),
    ("PUT", "/v2.1/os-services/enable", _CONDUCTOR, None),
    ("PUT", "/v2.1/os-services/disable", _CONDUCTOR, None),
    ("PUT", "/v2.1/os-services/disable-log-reason",
     {**_CONDUCTOR, "disabled_reason": "x"}, None),
    ("PUT", "/v2.1/os-services/force-down",
     {**_CONDUCTOR, "forced_down": True}, "2.11"),
    ("DELETE", "/v2.1/os-services/1", None, None),
]


@pytest.mark.parametrize("method,path,body,version", _CALLS)
def test_non_admin_is_forbidden(api, method, path, body, version):
    response = api.request(method, path, json=body, version=version,
                           token="demo:demo")
    message = _fault(response, "forbidden", 403)
    assert "os_compute_api:os-services" in message
    # Nothing changed.
    row = _conductor_row(api)
    assert (row["status"], row["state"]) == ("enabled", "up")


@pytest.mark.parametrize("method,path,body,version", _CALLS)
def test_no_token_is_a_noauth2_log_in(api, method, path, body, version):
    """As Nova's noauth2: 204 with a token and the management URL, and
    nothing done."""
    response = api.request(method, path, json=body, version=version,
                           token=False)
    assert response.status_code == 204, response.text
    assert response.headers["X-Auth-Token"] == "admin:admin"
    assert response.headers["X-Server-Management-Url"] == \
        api.base_url + path + "/admin"
    assert response.headers["X-Compute-Request-Id"].startswith("req-")
    assert _conductor_row(api)["status"] == "enabled"


def test_no_token_log_in_names_the_user_and_project_asked(api):
    response = api.get("/v2.1/servers", token=False,
                       headers={"X-Auth-User": "alice",
                                "X-Auth-Project-Id": "p1"})
    assert response.status_code == 204
    assert response.headers["X-Auth-Token"] == "alice:p1"
    assert response.headers["X-Server-Management-Url"].endswith(
        "/v2.1/servers/p1")


def test_an_empty_token_is_unauthorized(api):
    response = api.get("/v2.1/os-services", token=False,
                       headers={"X-Auth-Token": ""})
    message = _fault(response, "unauthorized", 401)
    assert "X-Auth-Token" in message


# The metadata API ---------------------------------------------------------

def test_metadata_api_lists_versions_on_its_own_port(conf, transport, db,
                                                     launched):
    server = start_api(conf, transport, db, launched, name="metadata")
    base = "http://127.0.0.1:%d" % server.port
    response = requests.get(base + "/", timeout=10)
    assert response.status_code == 200
    assert response.text.splitlines() == ["openstack"]
    response = requests.get(base + "/openstack", timeout=10)
    assert response.status_code == 200
    versions = response.text.splitlines()
    assert versions[0] == "2012-08-10"
    assert versions[-1] == "latest"
    response = requests.get(base + "/ec2", timeout=10)
    _fault(response, "itemNotFound", 404)
    response = requests.post(base + "/openstack", timeout=10)
    _fault(response, "badMethod", 405)
    assert response.headers["Allow"] == "GET, HEAD"

"""Error answers of the compute API: Nova JSON faults, never a traceback."""

from __future__ import annotations

import json
import logging

import pytest
import requests
import webob

from minova import exception
from minova import wsgi
from minova.api.openstack import faults
from minova.api.openstack import middleware
from minova.api.openstack import router
from minova.api.openstack import wsgi_util

_CONDUCTOR = {"host": "test-host", "binary": "minova-conductor"}


def _fault(response, name, code):
    assert response.status_code == code, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == [name], body
    assert body[name]["code"] == code
    assert "Traceback" not in response.text
    return body[name]["message"]


# Bodies -------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"{not json", b"", b"\xff\xfe"])
def test_malformed_json_is_400(api, data):
    response = api.put("/v2.1/os-services/disable", data=data,
                       headers={"Content-Type": "application/json"})
    message = _fault(response, "badRequest", 400)
    assert "Malformed request body" in message


@pytest.mark.parametrize("path,body,field", [
    ("disable", {"host": "test-host"}, "binary"),
    ("disable", {"binary": "minova-conductor"}, "host"),
    ("disable", {**_CONDUCTOR, "colour": "red"}, "colour"),
    ("disable", {"host": "", "binary": "minova-conductor"}, "host"),
    ("disable", {"host": 7, "binary": "minova-conductor"}, "host"),
    ("disable-log-reason", _CONDUCTOR, "disabled_reason"),
    ("disable-log-reason", {**_CONDUCTOR, "disabled_reason": "r" * 256},
     "disabled_reason"),
    ("force-down", {**_CONDUCTOR, "forced_down": "yes"}, "forced_down"),
    ("enable", ["test-host"], "body"),
])
def test_schema_violation_is_400_naming_the_field(api, path, body, field):
    response = api.put("/v2.1/os-services/%s" % path, json=body,
                       version="2.11")
    message = _fault(response, "badRequest", 400)
    assert message.startswith("Invalid input for field/attribute")
    assert field in message
    # The service is untouched.
    services = api.get("/v2.1/os-services").json()["services"]
    assert all(s["status"] == "enabled" for s in services)


# Paths and methods --------------------------------------------------------

@pytest.mark.parametrize("path", ["/v2.1/nothing", "/v2.1/os-services/a/b",
                                  "/nothing", "/v3"])
def test_unknown_path_is_404(api, path):
    message = _fault(api.get(path), "itemNotFound", 404)
    assert message == "The resource could not be found."


@pytest.mark.parametrize("method,path,allow", [
    ("POST", "/v2.1/os-services", "GET, HEAD"),
    ("DELETE", "/v2.1/os-services", "GET, HEAD"),
    ("GET", "/v2.1/os-services/enable", "DELETE, PUT"),
    ("POST", "/v2.1/", "GET, HEAD"),
    ("POST", "/", "GET, HEAD"),
])
def test_wrong_method_is_405_with_allow(api, method, path, allow):
    response = api.request(method, path)
    message = _fault(response, "badMethod", 405)
    assert method in message
    assert response.headers["Allow"] == allow


@pytest.mark.parametrize("path,token", [("/v2.1/os-services", None),
                                        ("/v2.1/", False),
                                        ("/", False)])
def test_head_is_allowed_where_get_is(api, path, token):
    response = api.request("HEAD", path, token=token)
    assert response.status_code == 200
    assert response.content == b""
    get = api.get(path, token=token)
    assert response.headers["Content-Type"] == get.headers["Content-Type"]


# Sizes --------------------------------------------------------------------

def test_body_over_max_request_body_size_is_413(api, conf):
    conf.set_override("max_request_body_size", 1024,
                      group="oslo_middleware")
    body = {**_CONDUCTOR, "disabled_reason": "x" * 2000}
    response = api.put("/v2.1/os-services/disable-log-reason", json=body)
    _fault(response, "overLimit", 413)
    services = api.get("/v2.1/os-services").json()["services"]
    assert all(s["status"] == "enabled" for s in services)
    # Just under the limit gets past the size check to the schema.
    body["disabled_reason"] = "x" * 900
    response = api.put("/v2.1/os-services/disable-log-reason", json=body)
    _fault(response, "badRequest", 400)


# Microversions ------------------------------------------------------------

@pytest.mark.parametrize("version", ["2.105", "3.0", "2.0"])
def test_microversion_out_of_range_is_406(api, version):
    """A computeFault, as Nova names a 406."""
    response = api.get("/v2.1/os-services", version=version)
    message = _fault(response, "computeFault", 406)
    assert version in message
    assert "2.1" in message and "2.104" in message
    assert response.headers["X-Compute-Request-Id"] == \
        response.headers["x-openstack-request-id"]


@pytest.mark.parametrize("version", ["2.x", "two", "2.1.1", "2"])
def test_malformed_microversion_is_400(api, version):
    response = api.get("/v2.1/os-services", version=version)
    message = _fault(response, "badRequest", 400)
    assert version in message


def test_legacy_microversion_header_is_honoured(api):
    response = api.get("/v2.1/os-services",
                       headers={"X-OpenStack-Nova-API-Version": "2.11"})
    assert response.status_code == 200
    assert response.headers["OpenStack-API-Version"] == "compute 2.11"
    assert "forced_down" in response.json()["services"][0]


def test_faults_carry_the_request_id(api):
    response = api.get("/v2.1/nothing")
    _fault(response, "itemNotFound", 404)
    assert response.headers["x-openstack-request-id"].startswith("req-")
    response = api.get("/v2.1/os-services", token=False)
    assert response.headers["x-openstack-request-id"].startswith("req-")


# Unexpected errors --------------------------------------------------------

class _Boom(Exception):
    pass


def _failing(req, **_kw):
    raise _Boom("secret detail /srv/db password=hunter2")


def _unsafe(req, **_kw):
    raise exception.DBNotAllowed(binary="minova-compute")


def _app():
    table = {"/boom": {"GET": _failing}, "/unsafe": {"GET": _unsafe},
             "/ok": {"GET": lambda req: wsgi_util.json_response({})}}
    return middleware.RequestId(faults.FaultWrapper(
        router.APIRouter(table)))


@pytest.mark.parametrize("path", ["/boom", "/unsafe"])
def test_unexpected_error_is_a_500_fault_without_traceback(path, caplog):
    caplog.set_level(logging.ERROR, logger="minova.api.openstack.faults")
    response = webob.Request.blank(path).get_response(_app())
    request_id = response.headers["x-openstack-request-id"]
    assert response.status_int == 500
    body = json.loads(response.body)
    assert list(body) == ["computeFault"]
    message = body["computeFault"]["message"]
    assert body["computeFault"]["code"] == 500
    assert request_id in message
    for leak in ("Traceback", "hunter2", "_Boom", "DBNotAllowed",
                 "minova-compute"):
        assert leak not in response.text
    [record] = caplog.records
    assert record.exc_info is not None
    assert request_id in record.getMessage()
    assert "Traceback" in caplog.text


def test_unexpected_error_over_http(conf, caplog):
    """The same through the eventlet server, as a client sees it."""
    caplog.set_level(logging.ERROR, logger="minova.api.openstack.faults")
    server = wsgi.Server(conf, "boom", _app(), host="127.0.0.1", port=0)
    server.start()
    try:
        response = requests.get("http://127.0.0.1:%d/boom" % server.port,
                                timeout=10)
        assert _fault(response, "computeFault", 500)
        assert response.headers["x-openstack-request-id"] in \
            response.json()["computeFault"]["message"]
        assert "hunter2" not in response.text
        assert "_Boom: secret detail" in caplog.text
        assert requests.get("http://127.0.0.1:%d/ok" % server.port,
                            timeout=10).status_code == 200
    finally:
        server.stop()
        server.wait()


# Encodings ----------------------------------------------------------------

def _chunks(body, size=100):
    for start in range(0, len(body), size):
        yield body[start:start + size]


def test_chunked_body_is_read(api):
    body = json.dumps({**_CONDUCTOR, "disabled_reason": "chunked"})
    response = api.put("/v2.1/os-services/disable-log-reason",
                       data=_chunks(body.encode()))
    assert response.status_code == 200, response.text
    services = api.get("/v2.1/os-services").json()["services"]
    assert "chunked" in [s["disabled_reason"] for s in services]


def test_chunked_body_over_the_size_limit_is_413(api, conf):
    conf.set_override("max_request_body_size", 1024,
                      group="oslo_middleware")
    body = json.dumps({**_CONDUCTOR, "disabled_reason": "x" * 2000})
    response = api.put("/v2.1/os-services/disable-log-reason",
                       data=_chunks(body.encode()))
    _fault(response, "overLimit", 413)


def test_invalid_utf8_in_the_query_is_400(api):
    response = api.get("/v2.1/os-services?host=%ff")
    message = _fault(response, "badRequest", 400)
    assert "UTF-8" in message


def test_path_variables_are_utf8(api):
    response = api.delete("/v2.1/os-services/%C3%A9")
    message = _fault(response, "itemNotFound", 404)
    assert "Service \u00e9 could not be found" in message
    response = api.delete("/v2.1/os-services/%ff")
    assert "UTF-8" in _fault(response, "badRequest", 400)


@pytest.mark.parametrize("header", ["compute 2.11, volume 3.0",
                                    "volume 3.0,compute 2.11",
                                    "Compute 2.11"])
def test_microversion_header_may_name_several_services(api, header):
    response = api.get("/v2.1/os-services",
                       headers={"OpenStack-API-Version": header})
    assert response.status_code == 200, response.text
    assert response.headers["OpenStack-API-Version"] == "compute 2.11"


def test_microversion_of_another_service_only_is_ignored(api):
    response = api.get("/v2.1/os-services",
                       headers={"OpenStack-API-Version": "volume 3.0"})
    assert response.status_code == 200, response.text
    assert response.headers["OpenStack-API-Version"] == "compute 2.1"


def test_unexpected_error_on_a_path_that_is_not_utf8_is_a_500_fault(caplog):
    """The wrapper logs the path without decoding it: decoding it had
    raised again inside the wrapper, and eventlet sent a bare 500."""
    caplog.set_level(logging.ERROR, logger="minova.api.openstack.faults")

    def broken(environ, start_response):
        raise _Boom("broken below")

    app = middleware.RequestId(faults.FaultWrapper(broken))
    request = webob.Request.blank("/")
    request.environ["PATH_INFO"] = "/caf\xc3\xa9/\xff"
    response = request.get_response(app)
    assert response.status_int == 500
    assert list(json.loads(response.body)) == ["computeFault"]
    assert "/caf%C3%A9/%FF" in caplog.text

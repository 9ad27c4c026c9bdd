"""Each API answers in its own fault format: Nova's for the compute API,
Keystone's for the identity API, through the same wrapper and router."""

from __future__ import annotations

import json

import webob

from minova import exception
from minova.api.openstack import faults
from minova.api.openstack import router


def _broken(environ, start_response):
    raise RuntimeError("boom")


def _paste_wrapper(fmt: str):
    return faults.FaultWrapper.factory({}, format=fmt)(_broken)


def test_the_wrapper_answers_500_in_each_format():
    nova = webob.Request.blank("/").get_response(_paste_wrapper("nova"))
    assert nova.status_int == 500
    assert json.loads(nova.body)["computeFault"]["code"] == 500
    keystone = webob.Request.blank("/").get_response(
        _paste_wrapper("keystone"))
    assert keystone.status_int == 500
    error = json.loads(keystone.body)["error"]
    assert (error["code"], error["title"]) == (500, "Internal Server Error")
    assert "boom" not in keystone.text


def _not_found(req):
    raise exception.IdentityNotFound(kind="user", id="u1")


def test_the_router_answers_domain_errors_405_and_404_in_its_format():
    app = router.APIRouter({"/users": {"GET": _not_found}},
                           fault=faults.keystone_fault_response,
                           microversions=False)
    missing = webob.Request.blank("/users").get_response(app)
    assert json.loads(missing.body) == {"error": {
        "code": 404, "title": "Not Found",
        "message": "Could not find user: u1."}}
    assert "OpenStack-API-Version" not in missing.headers
    refused = webob.Request.blank("/users", method="POST").get_response(app)
    assert refused.status_int == 405
    assert refused.headers["Allow"] == "GET, HEAD"
    assert json.loads(refused.body)["error"]["title"] == "Method Not Allowed"
    unknown = webob.Request.blank("/nothing").get_response(app)
    assert json.loads(unknown.body)["error"]["code"] == 404

"""Nova's own response schemas as the judge of minova's compute API.

Nova 34 attaches a JSON Schema for the response of every API method, per
microversion range, to its controllers (``nova.api.validation.
response_body_schema``). This plugin imports them from the ``nova``
package (installed by the ``test`` extra, never at run time) and checks
every successful response the functional tests receive from minova's
compute API against the schema Nova declares for the same route, method
(and server action) and microversion. A mismatch fails the test that
received it. Nothing of Nova's is copied into minova.

It also counts which of Nova's (route, method, version range) schemas
were exercised: the summary at the end of a run says how many, and
``MINOVA_SCHEMA_REPORT=<file>`` writes the list as JSON (docs/api.md,
"Nova's schemas as the judge").
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from oslo_config import cfg
from oslo_versionedobjects import base as ovo_base

from minova.api.openstack import router
from minova.api.openstack import versions

_PATH_VAR = re.compile(r"\{[^}]+\}")
# minova's image catalog answers in Glance's shape, not Nova's image
# proxy's (minova/api/openstack/compute/images.py says why): not judged.
_NOT_NOVAS = frozenset(("/images", "/images/{}", "/v2/images",
                        "/v2/images/{}"))
_LOCK = threading.Lock()


def _normal(path: str) -> str:
    return _PATH_VAR.sub("{}", path) or "/"


def _schemas_of(func: Any) -> list:
    schemas = getattr(func, "response_body_schemas", None)
    return list(schemas._schemas) if schemas is not None else []


class Judge:
    """Nova's response schemas by (route, method, action)."""

    def __init__(self) -> None:
        # Imported here: nova is heavy, and only functional tests need it.
        # Nova registers its options on the global ConfigOpts when
        # imported, some named like minova's (``host``): it gets one of
        # its own, and minova's tests keep theirs.
        # Its versioned objects join the one registry oslo.versionedobjects
        # keeps for the process, where their higher versions would win
        # over minova's of the same name (ComputeNode 1.19 over 1.0): the
        # registry is put back as it was.
        saved = cfg.CONF
        cfg.CONF = cfg.ConfigOpts()
        registry = ovo_base.VersionedObjectRegistry()._obj_classes
        classes = {name: list(found) for name, found in registry.items()}
        try:
            from nova.api.openstack import api_version_request
            from nova.api.openstack.compute import routes
            from nova.api.openstack.compute import versions
            from nova.api.validation import validators
        finally:
            cfg.CONF = saved
            registry.clear()
            registry.update(classes)

        self._version = api_version_request.APIVersionRequest
        self._validator = validators._SchemaValidator
        # (normal path, method, action or None) -> [(schema, min, max)]
        self.schemas: dict[tuple[str, str, str | None], list] = {}
        for path, methods in routes.ROUTE_LIST:
            if not isinstance(methods, dict):
                continue  # a redirect
            for method, (factory, name) in methods.items():
                classes = [factory.args[0], *factory.args[1]]
                if name != "action":
                    self.schemas[(_normal(path), method, None)] = \
                        _schemas_of(getattr(classes[0], name))
                    continue
                for cls in classes:
                    for attr in dir(cls):
                        func = getattr(cls, attr)
                        action = getattr(func, "wsgi_action", None)
                        if action:
                            self.schemas[(_normal(path), method,
                                          action)] = _schemas_of(func)
        # The version documents outside /v2.1: the list at / and the v2.0
        # document at /v2 (minova's versions app; no microversions).
        self.schemas[("(root) /", "GET", None)] = _schemas_of(
            versions.Versions.index)
        self.schemas[("(root) /v2", "GET", None)] = _schemas_of(
            versions.VersionsV2.index)
        self.exercised: set[tuple] = set()
        self.unjudged: set[tuple] = set()
        self.mismatches: list[str] = []

    def total(self) -> int:
        return sum(len(entries) for entries in self.schemas.values())

    def check(self, path: str, method: str, action: str | None,
              version: str, body: Any) -> None:
        if method == "HEAD":
            return
        key = (_normal(path), method, action)
        if key not in self.schemas or key[0] in _NOT_NOVAS:
            with _LOCK:
                self.unjudged.add(key)
            return
        wanted = self._version(version)
        for schema, minimum, maximum in self.schemas[key]:
            if not wanted.matches(minimum, maximum):
                continue
            span = "%s-%s" % (minimum.get_string() if not minimum.is_null()
                              else "", maximum.get_string()
                              if not maximum.is_null() else "")
            with _LOCK:
                self.exercised.add((*key, span))
            try:
                self._validator(schema).validate(body)
            except Exception as exc:  # noqa: BLE001 - Nova's ValidationError
                with _LOCK:
                    self.mismatches.append(
                        "%s %s%s at %s: %s" % (
                            method, path,
                            " (%s)" % action if action else "", version,
                            exc))
            return


_JUDGE: Judge | None = None


def judge() -> Judge | None:
    """The judge, or None where nova is not installed."""
    global _JUDGE
    if _JUDGE is None:
        try:
            _JUDGE = Judge()
        except ImportError:
            return None
    return _JUDGE


def _action(req: Any, path: str) -> str | None:
    if not path.endswith("/action") or req.method != "POST":
        return None
    try:
        body = json.loads(req.body or b"{}")
    except ValueError:
        return None
    return next(iter(body), None) if isinstance(body, dict) else None


@pytest.fixture
def nova_schema_judge(monkeypatch: Any) -> Iterator[Judge | None]:
    """Checks every 2xx JSON response of the compute API router."""
    the_judge = judge()
    if the_judge is None:
        yield None
        return
    original = router.APIRouter._respond
    start = len(the_judge.mismatches)

    def respond(self: Any, req: Any) -> Any:
        route = self.mapper.routematch(environ=req.environ)
        path = route[1].routepath if route else None
        action = _action(req, path) if path is not None else None
        response = original(self, req)
        version = getattr(req, "api_version", None)
        status = getattr(response, "status_code", 500)
        if path is None or version is None or not 200 <= status < 300:
            return response
        body = None
        if response.body:
            try:
                body = json.loads(response.body)
            except ValueError:
                return response
        the_judge.check(path, req.method, action, str(version), body)
        return response

    monkeypatch.setattr(router.APIRouter, "_respond", respond)
    original_versions = versions.Versions._respond

    def respond_versions(self: Any, req: Any) -> Any:
        response = original_versions(self, req)
        if response.status_code == 200 and req.method == "GET":
            path = "(root) /v2" if self.version else "(root) /"
            the_judge.check(path, "GET", None, "2.1",
                            json.loads(response.body))
        return response

    monkeypatch.setattr(versions.Versions, "_respond", respond_versions)
    yield the_judge
    found = the_judge.mismatches[start:]
    if found:
        pytest.fail("responses that do not match Nova's schema:\n"
                    + "\n".join(found[:20]), pytrace=False)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _JUDGE is None:
        return
    terminalreporter.write_line(
        "Nova response schemas exercised: %d of %d"
        % (len(_JUDGE.exercised), _JUDGE.total()))
    target = os.environ.get("MINOVA_SCHEMA_REPORT")
    if target:
        with open(target, "w") as stream:
            json.dump({"total": _JUDGE.total(),
                       "exercised": sorted(map(list, _JUDGE.exercised)),
                       "unjudged": sorted(map(str, _JUDGE.unjudged))},
                      stream, indent=1)

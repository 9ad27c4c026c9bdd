"""Policy overrides in ``[oslo_policy] policy_file``: read when the API
starts and again on SIGHUP (``WSGIService.reset``), not per request."""

from __future__ import annotations

from oslo_policy import opts as policy_opts

from tests.fixtures import APIClient
from tests.fixtures import start_api

LIST = "os_compute_api:os-services:list"


def _write(path, rules: dict) -> None:
    path.write_text("".join('"%s": "%s"\n' % item for item in rules.items()))


def _start(conf, transport, db, launched, policy_file):
    policy_opts.set_defaults(conf)  # registers [oslo_policy]
    conf.set_override("policy_file", str(policy_file), group="oslo_policy")
    server = start_api(conf, transport, db, launched)
    return server, APIClient("http://127.0.0.1:%d" % server.port,
                             token="demo:demo")


def test_defaults_without_a_policy_file(conf, transport, db, conductor,
                                        launched, tmp_path):
    _server, api = _start(conf, transport, db, launched,
                          tmp_path / "missing.yaml")
    assert api.get("/v2.1/os-services").status_code == 403
    assert api.get("/v2.1/os-services",
                   token="admin:admin").status_code == 200


def test_override_file_read_at_start(conf, transport, db, conductor,
                                     launched, tmp_path):
    policy_file = tmp_path / "policy.yaml"
    _write(policy_file, {LIST: "@"})
    _server, api = _start(conf, transport, db, launched, policy_file)
    assert api.get("/v2.1/os-services").status_code == 200


def test_changed_file_applies_after_reset_only(conf, transport, db,
                                               conductor, launched,
                                               tmp_path):
    policy_file = tmp_path / "policy.yaml"
    _write(policy_file, {LIST: "role:admin"})
    server, api = _start(conf, transport, db, launched, policy_file)
    assert api.get("/v2.1/os-services").status_code == 403

    _write(policy_file, {LIST: "@"})
    # Not read per request: the running API keeps the rules it loaded.
    assert api.get("/v2.1/os-services").status_code == 403
    server.reset()  # what SIGHUP does
    assert api.get("/v2.1/os-services").status_code == 200

    # A rule removed from the file falls back to its default.
    _write(policy_file, {})
    server.reset()
    assert api.get("/v2.1/os-services").status_code == 403

"""The compute API's [api] auth_strategy: minova tokens (with noauth2
tokens on loopback only), keystonemiddleware against minova's identity
API on a port of its own, and policy from the token's roles."""

from __future__ import annotations

import pytest
import requests
from keystoneauth1 import loading as ks_loading

from minova.identity import bootstrap
from tests.fixtures import start_api
from tests.identity_fixtures import ADMIN_PASSWORD
from tests.identity_fixtures import identity_cloud  # noqa: F401
from tests.identity_fixtures import start_identity_cloud


def test_noauth2_tokens_only_while_listening_on_loopback(
        conf, transport, db, conductor, launched):
    conf.set_override("noauth2_on_loopback", True, group="api")
    loopback = start_identity_cloud(conf, transport, db, launched)
    assert loopback.compute("GET", "/os-services",
                            "admin:admin").status_code == 200
    assert loopback.compute("GET", "/os-services",
                            "demo:demo").status_code == 403
    # A minova token still works next to them; a bogus one is a 401.
    assert loopback.compute("GET", "/os-services",
                            loopback.admin()).status_code == 200
    assert loopback.compute("GET", "/os-services",
                            "bogus").status_code == 401


def test_noauth2_tokens_refused_on_other_addresses(
        conf, transport, db, conductor, launched):
    conf.set_override("noauth2_on_loopback", True, group="api")
    cloud = start_identity_cloud(conf, transport, db, launched,
                                 listen="0.0.0.0")
    refused = cloud.compute("GET", "/os-services", "admin:admin")
    assert refused.status_code == 401
    assert refused.json()["unauthorized"]["code"] == 401
    assert cloud.compute("GET", "/os-services",
                         cloud.admin()).status_code == 200


def test_policy_follows_the_tokens_roles(identity_cloud):  # noqa: F811
    cloud = identity_cloud
    demo = cloud.demo()
    assert cloud.compute("GET", "/os-services", demo).status_code == 403
    assert cloud.compute("GET", "/servers", demo).status_code == 200
    assert cloud.compute("GET", "/servers?all_tenants=1",
                         demo).status_code == 403
    cloud.create_user("watcher", "pw", "demo", role="reader")
    reader = cloud.token("watcher", "pw", "demo")
    assert cloud.compute("GET", "/servers", reader).status_code == 200
    # A reader may look, not create (Nova's project_member_or_admin).
    create = cloud.compute("POST", "/servers", reader, json={"server": {
        "name": "x", "flavorRef": "1", "imageRef": "x",
        "networks": "none"}})
    assert create.status_code == 403
    # Version discovery needs no token.
    assert requests.get(cloud.base_url + "/v2.1/",
                        timeout=10).status_code == 200
    assert requests.get(cloud.base_url + "/compute/v2.1/",
                        timeout=10).status_code == 200


@pytest.fixture
def authtoken_opts(conf):
    """[keystone_authtoken] as a deployment writes it; registered here
    because keystonemiddleware registers it only when it starts, and
    removed after the test (the password plugin's auth_url is required:
    left on the global conf, the next test could not parse its own)."""
    from keystonemiddleware.auth_token import _opts

    opts = [opt for _group, group_opts in _opts.list_opts()
            for opt in group_opts]
    opts += ks_loading.get_auth_plugin_conf_options("password")
    opts += ks_loading.get_auth_common_conf_options()
    conf.register_opts(opts, group="keystone_authtoken")
    yield conf
    conf.reset()
    for opt in opts:
        conf.unregister_opt(opt, group="keystone_authtoken")


def _keystone_authtoken(conf, auth_url):
    for name, value in (("www_authenticate_uri", auth_url),
                        ("auth_url", auth_url), ("auth_type", "password"),
                        ("username", "admin"),
                        ("password", ADMIN_PASSWORD),
                        ("project_name", "admin"),
                        ("user_domain_name", "Default"),
                        ("project_domain_name", "Default")):
        conf.set_override(name, value, group="keystone_authtoken")


def test_keystone_strategy_against_the_served_identity_api(
        conf, transport, db, conductor, launched, authtoken_opts):
    conf.set_override("enabled_apis", ["osapi_compute", "identity"])
    identity = start_api(conf, transport, db, launched, name="identity")
    bootstrap.bootstrap(conf, db, ADMIN_PASSWORD, "demo-pw",
                        ports={"identity": identity.port})
    auth_url = "http://127.0.0.1:%d" % identity.port
    _keystone_authtoken(conf, auth_url)
    conf.set_override("auth_strategy", "keystone", group="api")
    compute = start_api(conf, transport, db, launched)
    token = requests.post(auth_url + "/v3/auth/tokens", timeout=30, json={
        "auth": {"identity": {"methods": ["password"], "password": {
            "user": {"name": "demo", "domain": {"id": "default"},
                     "password": "demo-pw"}}},
            "scope": {"project": {"name": "demo",
                                  "domain": {"id": "default"}}}}}
    ).headers["X-Subject-Token"]
    base = "http://127.0.0.1:%d/v2.1" % compute.port
    servers = requests.get(base + "/servers", timeout=30,
                           headers={"X-Auth-Token": token})
    assert servers.status_code == 200, servers.text
    services = requests.get(base + "/os-services", timeout=30,
                            headers={"X-Auth-Token": token})
    assert services.status_code == 403  # demo is a member, not an admin
    bogus = requests.get(base + "/servers", timeout=30,
                         headers={"X-Auth-Token": "bogus"})
    assert bogus.status_code == 401
    assert requests.get(base + "/servers", timeout=30).status_code == 401
    # The identity API on its own port is in the catalog as such.
    catalog = requests.get(auth_url + "/v3/auth/catalog", timeout=30,
                           headers={"X-Auth-Token": token}).json()
    urls = {e["type"]: e["endpoints"][0]["url"] for e in catalog["catalog"]}
    assert urls["identity"] == auth_url


def test_no_keys_yet_is_a_503_that_says_what_to_do(
        conf, transport, db, conductor, launched):
    conf.set_override("auth_strategy", "minova", group="api")
    server = start_api(conf, transport, db, launched)  # no bootstrap
    answer = requests.get(
        "http://127.0.0.1:%d/v2.1/servers" % server.port, timeout=10,
        headers={"X-Auth-Token": "gAAAAABsomething"})
    assert answer.status_code == 503
    assert "minova-manage bootstrap" in \
        answer.json()["serviceUnavailable"]["message"]

"""The network API (a Neutron v2.0 subset) over real HTTP with real
tokens: every route and filter, what each project sees, IPAM, floating
IPs on servers, faults in Neutron's format."""

from __future__ import annotations

import pytest
import requests

from minova.db import flavors as db_flavors
from minova.db import network as db_network
from minova.identity import bootstrap
from minova.network import setup
from tests.fixtures import start_api
from tests.functional.test_api_servers import IMAGE
from tests.identity_fixtures import identity_cloud  # noqa: F401
from tests.identity_fixtures import start_identity_cloud
from tests.utils import wait_for


@pytest.fixture
def cloud(identity_cloud, compute, db):  # noqa: F811
    db_flavors.ensure_defaults(db)
    return identity_cloud


def net(cloud, method, path, token, **kwargs):
    headers = kwargs.pop("headers", {})
    if token:
        headers["X-Auth-Token"] = token
    return requests.request(method, cloud.base_url + "/networking" + path,
                            headers=headers, timeout=30, **kwargs)


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def fault(response, status, kind):
    assert response.status_code == status, response.text
    assert response.headers["x-openstack-request-id"].startswith("req-")
    error = response.json()["NeutronError"]
    assert error["type"] == kind, error
    assert error["message"] and error["detail"] == ""
    return error["message"]


def find(cloud, token, collection, name):
    [found] = ok(net(cloud, "GET", "/v2.0/%s?name=%s" % (collection, name),
                     token))[collection]
    return found


def other_project_token(cloud):
    """A member of a third project, 'other'."""
    admin = cloud.admin()
    created = cloud.request("POST", "/v3/projects", admin, json={
        "project": {"name": "other"}})
    assert created.status_code == 201, created.text
    cloud.create_user("olga", "olga-secret", "other")
    return cloud.token("olga", "olga-secret", "other")


def test_version_discovery_extensions_and_catalog(cloud):
    versions = ok(net(cloud, "GET", "", None))["versions"]
    assert versions[0]["id"] == "v2.0"
    assert versions[0]["links"][0]["href"].endswith("/networking/v2.0/")
    token = cloud.demo()
    resources = ok(net(cloud, "GET", "/v2.0", token))["resources"]
    assert "networks" in {r["collection"] for r in resources}
    aliases = {e["alias"] for e in ok(net(cloud, "GET", "/v2.0/extensions",
                                          token))["extensions"]}
    assert {"external-net", "security-group"} <= aliases
    assert ok(net(cloud, "GET", "/v2.0/extensions/external-net",
                  token))["extension"]["alias"] == "external-net"
    fault(net(cloud, "GET", "/v2.0/extensions/routers", token), 404,
          "NotFound")
    catalog = cloud.request("GET", "/v3/auth/catalog", token).json()
    [entry] = [e for e in catalog["catalog"] if e["type"] == "network"]
    assert entry["name"] == "neutron"
    assert {e["url"] for e in entry["endpoints"]} == {
        cloud.base_url + "/networking"}


def test_bootstrap_networks_and_filters(cloud):
    token = cloud.demo()
    private = find(cloud, token, "networks", "private")
    public = find(cloud, token, "networks", "public")
    assert (private["shared"], private["router:external"]) == (True, False)
    assert (public["shared"], public["router:external"]) == (False, True)
    for query, names in (("router:external=true", ["public"]),
                         ("router:external=false", ["private"]),
                         ("shared=true", ["private"]),
                         ("status=ACTIVE", ["private", "public"]),
                         ("id=%s&id=%s" % (private["id"], public["id"]),
                          ["private", "public"]),
                         ("name=nonesuch", [])):
        listed = ok(net(cloud, "GET", "/v2.0/networks?" + query, token))
        assert sorted(n["name"] for n in listed["networks"]) == names, query
    fields = ok(net(cloud, "GET", "/v2.0/networks?name=private&fields=id"
                    "&fields=name", token))["networks"]
    assert fields == [{"id": private["id"], "name": "private"}]
    [subnet] = ok(net(cloud, "GET", "/v2.0/subnets?network_id=%s"
                      % private["id"], token))["subnets"]
    assert subnet["id"] in private["subnets"]
    assert (subnet["cidr"], subnet["gateway_ip"]) == ("10.0.0.0/24",
                                                      "10.0.0.1")
    assert subnet["allocation_pools"] == [{"start": "10.0.0.2",
                                           "end": "10.0.0.254"}]
    assert ok(net(cloud, "GET", "/v2.0/subnets/" + subnet["id"],
                  token))["subnet"]["name"] == "private-subnet"
    fault(net(cloud, "GET", "/v2.0/networks?shared=maybe", token), 400,
          "ValidationError")


def test_projects_see_only_their_own_and_shared(cloud):
    demo, admin = cloud.demo(), cloud.admin()
    network = ok(net(cloud, "POST", "/v2.0/networks", demo, json={
        "network": {"name": "mine"}}), 201)["network"]
    assert network["project_id"] == network["tenant_id"] != ""
    ok(net(cloud, "POST", "/v2.0/subnets", demo, json={"subnet": {
        "network_id": network["id"], "cidr": "192.168.5.0/24",
        "ip_version": 4}}), 201)
    port = ok(net(cloud, "POST", "/v2.0/ports", demo, json={"port": {
        "network_id": network["id"], "name": "p1"}}), 201)["port"]
    assert port["mac_address"].startswith("fa:16:3e:")
    other = other_project_token(cloud)
    names = [n["name"] for n in ok(net(cloud, "GET", "/v2.0/networks",
                                       other))["networks"]]
    assert sorted(names) == ["private", "public"]
    assert ok(net(cloud, "GET", "/v2.0/ports", other))["ports"] == []
    assert [s["cidr"] for s in ok(net(cloud, "GET", "/v2.0/subnets",
                                      other))["subnets"]] != []
    assert "192.168.5.0/24" not in [s["cidr"] for s in ok(net(
        cloud, "GET", "/v2.0/subnets", other))["subnets"]]
    fault(net(cloud, "GET", "/v2.0/networks/" + network["id"], other), 404,
          "NetworkNotFound")
    fault(net(cloud, "GET", "/v2.0/ports/" + port["id"], other), 404,
          "PortNotFound")
    fault(net(cloud, "DELETE", "/v2.0/ports/" + port["id"], other), 404,
          "PortNotFound")
    fault(net(cloud, "PUT", "/v2.0/networks/" + network["id"], other,
              json={"network": {"name": "x"}}), 404, "NetworkNotFound")
    # project_id and tenant_id filters; the admin sees every project.
    listed = ok(net(cloud, "GET", "/v2.0/networks?project_id=%s"
                    % network["project_id"], admin))["networks"]
    assert [n["name"] for n in listed] == ["mine"]
    assert ok(net(cloud, "GET", "/v2.0/ports?tenant_id=%s"
                  % network["project_id"], admin))["ports"][0]["id"] == \
        port["id"]
    # Shared and external are the admin's to set.
    fault(net(cloud, "POST", "/v2.0/networks", demo, json={
        "network": {"name": "s", "shared": True}}), 403, "Forbidden")
    fault(net(cloud, "PUT", "/v2.0/networks/" + network["id"], demo,
              json={"network": {"router:external": True}}), 403,
          "Forbidden")
    renamed = ok(net(cloud, "PUT", "/v2.0/networks/" + network["id"], demo,
                     json={"network": {"name": "renamed"}}))["network"]
    assert renamed["name"] == "renamed"
    fault(net(cloud, "DELETE", "/v2.0/networks/" + network["id"], demo),
          409, "NetworkInUse")
    assert net(cloud, "DELETE", "/v2.0/ports/" + port["id"],
               demo).status_code == 204
    assert net(cloud, "DELETE", "/v2.0/networks/" + network["id"],
               demo).status_code == 204
    fault(net(cloud, "GET", "/v2.0/networks/" + network["id"], demo), 404,
          "NetworkNotFound")


def test_ipam_hands_out_the_pool_then_409(cloud):
    demo = cloud.demo()
    network = ok(net(cloud, "POST", "/v2.0/networks", demo, json={
        "network": {"name": "small"}}), 201)["network"]
    subnet = ok(net(cloud, "POST", "/v2.0/subnets", demo, json={"subnet": {
        "network_id": network["id"], "cidr": "192.168.9.0/29",
        "ip_version": 4}}), 201)["subnet"]
    assert subnet["allocation_pools"] == [{"start": "192.168.9.2",
                                           "end": "192.168.9.6"}]
    ports = [ok(net(cloud, "POST", "/v2.0/ports", demo, json={"port": {
        "network_id": network["id"], "device_id": "dev%d" % index}}),
        201)["port"] for index in range(5)]
    assert [p["fixed_ips"][0]["ip_address"] for p in ports] == [
        "192.168.9.%d" % last for last in range(2, 7)]
    fault(net(cloud, "POST", "/v2.0/ports", demo, json={"port": {
        "network_id": network["id"]}}), 409, "IpAddressGenerationFailure")
    # Filters on the addresses and the device.
    for query in ("fixed_ips=ip_address=192.168.9.4",
                  "fixed_ips=subnet_id=%s&fixed_ips=ip_address=192.168.9.4"
                  % subnet["id"], "device_id=dev2"):
        found = ok(net(cloud, "GET", "/v2.0/ports?" + query,
                       demo))["ports"]
        assert [p["id"] for p in found] == [ports[2]["id"]], query
    fault(net(cloud, "GET", "/v2.0/ports?fixed_ips=mac=1", demo), 400,
          "ValidationError")
    # A freed address is handed out again; a taken one asked for is 409.
    assert net(cloud, "DELETE", "/v2.0/ports/" + ports[1]["id"],
               demo).status_code == 204
    fault(net(cloud, "POST", "/v2.0/ports", demo, json={"port": {
        "network_id": network["id"],
        "fixed_ips": [{"ip_address": "192.168.9.2"}]}}), 409,
        "IpAddressAlreadyAllocated")
    again = ok(net(cloud, "POST", "/v2.0/ports", demo, json={"port": {
        "network_id": network["id"]}}), 201)["port"]
    assert again["fixed_ips"][0]["ip_address"] == "192.168.9.3"


def test_bad_input_is_a_neutron_fault(cloud):
    demo = cloud.demo()
    private = find(cloud, demo, "networks", "private")
    fault(net(cloud, "POST", "/v2.0/networks", demo, data=b"{nope",
              headers={"Content-Type": "application/json"}), 400,
          "MalformedRequestBody")
    fault(net(cloud, "POST", "/v2.0/networks", demo, json={
        "network": {"name": "x", "bogus": 1}}), 400, "ValidationError")
    admin = cloud.admin()
    for bad in ({"cidr": "10.300.0.0/24"},
                {"cidr": "10.1.0.0/24", "gateway_ip": "10.2.0.1"},
                {"cidr": "10.1.0.0/24", "allocation_pools": [
                    {"start": "10.1.0.1", "end": "10.1.0.9"}]}):
        fault(net(cloud, "POST", "/v2.0/subnets", admin, json={"subnet": {
            "network_id": private["id"], **bad}}), 400, "ValidationError")
    fault(net(cloud, "POST", "/v2.0/floatingips", demo, json={
        "floatingip": {"floating_network_id": private["id"]}}), 400,
        "FloatingIPNetworkNotExternal")
    fault(net(cloud, "POST", "/v2.0/ports", demo, json={"port": {
        "network_id": "nonesuch"}}), 404, "NetworkNotFound")
    fault(net(cloud, "GET", "/v2.0/routers", demo), 404, "NotFound")
    fault(net(cloud, "PATCH", "/v2.0/networks", demo), 405,
          "HTTPMethodNotAllowed")
    # The shared auth filter answers in the network API's format too.
    fault(net(cloud, "GET", "/v2.0/networks", None), 401,
          "HTTPUnauthorized")
    fault(net(cloud, "GET", "/v2.0/networks", "bogus"), 401,
          "HTTPUnauthorized")
    compute = cloud.compute("GET", "/servers", "bogus")
    assert compute.json()["unauthorized"]["code"] == 401


def test_default_security_group_made_on_first_use(cloud):
    demo = cloud.demo()
    groups = ok(net(cloud, "GET", "/v2.0/security-groups", demo))
    [group] = groups["security_groups"]
    assert group["name"] == "default"
    rules = {(r["direction"], r["ethertype"], r["remote_group_id"])
             for r in group["security_group_rules"]}
    assert rules == {("egress", "IPv4", None), ("egress", "IPv6", None),
                     ("ingress", "IPv4", group["id"]),
                     ("ingress", "IPv6", group["id"])}
    again = ok(net(cloud, "GET", "/v2.0/security-groups", demo))
    assert [g["id"] for g in again["security_groups"]] == [group["id"]]
    listed = ok(net(cloud, "GET", "/v2.0/security-group-rules?"
                    "security_group_id=" + group["id"], demo))
    assert len(listed["security_group_rules"]) == 4
    other = other_project_token(cloud)
    theirs = ok(net(cloud, "GET", "/v2.0/security-groups", other))
    assert [g["id"] for g in theirs["security_groups"]] != [group["id"]]
    fault(net(cloud, "GET", "/v2.0/security-groups/" + group["id"], other),
          404, "SecurityGroupNotFound")


def _server(cloud, token, server_id, status=None):
    def reached():
        response = cloud.compute("GET", "/servers/" + server_id, token)
        if status is None:
            return response.status_code == 404
        body = response.json()["server"]
        return body if body["status"] == status else None
    return wait_for(reached, timeout=30, what="server %s" % status)


def _boot(cloud, token, networks):
    response = cloud.compute("POST", "/servers", token, json={"server": {
        "name": "vm", "imageRef": IMAGE, "flavorRef": "1",
        "networks": networks}})
    return response


def test_server_ports_floating_ips_and_delete(cloud):
    demo = cloud.demo()
    private = find(cloud, demo, "networks", "private")
    public = find(cloud, demo, "networks", "public")
    response = _boot(cloud, demo, [{"uuid": private["id"]}])
    assert response.status_code == 202, response.text
    server_id = response.json()["server"]["id"]
    server = _server(cloud, demo, server_id, "ACTIVE")
    [port] = ok(net(cloud, "GET", "/v2.0/ports?device_id=" + server_id,
                    demo))["ports"]
    assert port["device_owner"] == "compute:nova"
    [group] = ok(net(cloud, "GET", "/v2.0/security-groups?name=default",
                     demo))["security_groups"]
    assert port["security_groups"] == [group["id"]]
    assert port["network_id"] == private["id"]
    [fixed] = server["addresses"]["private"]
    assert fixed == {"version": 4, "OS-EXT-IPS:type": "fixed",
                     "addr": port["fixed_ips"][0]["ip_address"],
                     "OS-EXT-IPS-MAC:mac_addr": port["mac_address"]}
    fip = ok(net(cloud, "POST", "/v2.0/floatingips", demo, json={
        "floatingip": {"floating_network_id": public["id"],
                       "port_id": port["id"]}}), 201)["floatingip"]
    assert fip["floating_ip_address"].startswith("172.24.4.")
    assert fip["fixed_ip_address"] == fixed["addr"]
    addresses = _server(cloud, demo, server_id, "ACTIVE")["addresses"]
    assert [(a["addr"], a["OS-EXT-IPS:type"]) for a in
            addresses["private"]] == [(fixed["addr"], "fixed"),
                                      (fip["floating_ip_address"],
                                       "floating")]
    listed = cloud.compute("GET", "/servers/detail", demo).json()
    assert len(listed["servers"][0]["addresses"]["private"]) == 2
    for query in ("port_id=" + port["id"], "floating_ip_address="
                  + fip["floating_ip_address"],
                  "floating_network_id=" + public["id"]):
        found = ok(net(cloud, "GET", "/v2.0/floatingips?" + query,
                       demo))["floatingips"]
        assert [f["id"] for f in found] == [fip["id"]], query
    # Disassociated: the server shows its fixed address only.
    updated = ok(net(cloud, "PUT", "/v2.0/floatingips/" + fip["id"], demo,
                     json={"floatingip": {"port_id": None}}))["floatingip"]
    assert (updated["port_id"], updated["status"]) == (None, "DOWN")
    addresses = _server(cloud, demo, server_id, "ACTIVE")["addresses"]
    assert [a["OS-EXT-IPS:type"] for a in addresses["private"]] == ["fixed"]
    ok(net(cloud, "PUT", "/v2.0/floatingips/" + fip["id"], demo,
           json={"floatingip": {"port_id": port["id"]}}))
    # Deleting the server deletes its port and frees the floating IP.
    assert cloud.compute("DELETE", "/servers/" + server_id,
                         demo).status_code == 204
    _server(cloud, demo, server_id)
    assert ok(net(cloud, "GET", "/v2.0/ports?device_id=" + server_id,
                  demo))["ports"] == []
    freed = ok(net(cloud, "GET", "/v2.0/floatingips/" + fip["id"],
                   demo))["floatingip"]
    assert (freed["port_id"], freed["fixed_ip_address"]) == (None, None)
    assert net(cloud, "DELETE", "/v2.0/floatingips/" + fip["id"],
               demo).status_code == 204
    assert ok(net(cloud, "GET", "/v2.0/floatingips", demo))[
        "floatingips"] == []


def test_boot_networks_auto_none_and_unknown(cloud):
    demo = cloud.demo()
    response = _boot(cloud, demo, [{"uuid": "nonesuch"}])
    assert response.status_code == 400, response.text
    assert "Network nonesuch could not be found" in response.text
    other = other_project_token(cloud)
    mine = ok(net(cloud, "POST", "/v2.0/networks", other, json={
        "network": {"name": "theirs"}}), 201)["network"]
    assert _boot(cloud, demo, [{"uuid": mine["id"]}]).status_code == 400
    auto = _boot(cloud, demo, "auto").json()["server"]["id"]
    none = _boot(cloud, demo, "none").json()["server"]["id"]
    assert list(_server(cloud, demo, auto, "ACTIVE")["addresses"]) == [
        "private"]
    assert _server(cloud, demo, none, "ACTIVE")["addresses"] == {}
    assert ok(net(cloud, "GET", "/v2.0/ports?device_id=" + none,
                  demo))["ports"] == []


def test_network_api_on_its_own_port(conf, transport, db, conductor,
                                     launched):
    conf.set_override("enabled_apis", ["osapi_compute", "network"])
    conf.set_override("network_listen", "127.0.0.1")
    conf.set_override("network_listen_port", 0)
    own = start_api(conf, transport, db, launched, name="network")
    cloud = start_identity_cloud(conf, transport, db, launched)
    token = cloud.demo()
    url = "http://127.0.0.1:%d" % own.port
    versions = requests.get(url + "/", timeout=10).json()["versions"]
    assert versions[0]["links"][0]["href"] == url + "/v2.0/"
    listed = requests.get(url + "/v2.0/networks?name=private", timeout=10,
                          headers={"X-Auth-Token": token})
    assert listed.status_code == 200, listed.text
    assert [n["name"] for n in listed.json()["networks"]] == ["private"]
    missing = requests.get(url + "/v2.0/nonesuch", timeout=10,
                           headers={"X-Auth-Token": token})
    assert missing.json()["NeutronError"]["type"] == "NotFound"


def test_boot_with_a_port_and_on_an_exhausted_network(cloud):
    demo = cloud.demo()
    network = ok(net(cloud, "POST", "/v2.0/networks", demo, json={
        "network": {"name": "tiny"}}), 201)["network"]
    ok(net(cloud, "POST", "/v2.0/subnets", demo, json={"subnet": {
        "network_id": network["id"], "cidr": "192.168.7.0/29"}}), 201)
    port = ok(net(cloud, "POST", "/v2.0/ports", demo, json={"port": {
        "network_id": network["id"]}}), 201)["port"]
    response = _boot(cloud, demo, [{"port": port["id"]}])
    assert response.status_code == 202, response.text
    server_id = response.json()["server"]["id"]
    server = _server(cloud, demo, server_id, "ACTIVE")
    assert [a["addr"] for a in server["addresses"]["tiny"]] == [
        port["fixed_ips"][0]["ip_address"]]
    bound = ok(net(cloud, "GET", "/v2.0/ports/" + port["id"], demo))["port"]
    assert bound["device_id"] == server_id
    # A bound port cannot go to a second server.
    assert _boot(cloud, demo, [{"port": port["id"]}]).status_code == 409
    for _ in range(4):
        ok(net(cloud, "POST", "/v2.0/ports", demo, json={"port": {
            "network_id": network["id"]}}), 201)
    response = _boot(cloud, demo, [{"uuid": network["id"]}])
    assert response.status_code == 409, response.text
    servers = cloud.compute("GET", "/servers", demo).json()["servers"]
    assert [s["id"] for s in servers] == [server_id]
    assert len(ok(net(cloud, "GET", "/v2.0/ports?network_id="
                      + network["id"], demo))["ports"]) == 5
    # The server's delete unbinds the port it was given, as Nova.
    assert cloud.compute("DELETE", "/servers/" + server_id,
                         demo).status_code == 204
    _server(cloud, demo, server_id)
    kept = ok(net(cloud, "GET", "/v2.0/ports/" + port["id"], demo))["port"]
    assert (kept["device_id"], kept["device_owner"]) == ("", "")


def test_bootstrap_networks_are_made_once(conf, db):
    first = bootstrap.bootstrap(conf, db, "a", "d")
    assert {"network private (10.0.0.0/24)",
            "network public (172.24.4.0/24)"} <= set(first.created)
    again = bootstrap.bootstrap(conf, db, None, None)
    assert not [made for made in again.created
                if made.startswith("network")]
    assert sorted(n.name for n in db_network.find(db, "network", {})) == [
        "private", "public"]


def test_two_processes_making_private_at_once_make_one(conf, db,
                                                       monkeypatch):
    made = setup.ensure_private(conf, db)
    real_find = db_network.find
    calls = []

    def find_late(db_, kind, filters, **kwargs):
        # The other process's insert is not visible yet at the first look.
        calls.append(kind)
        return [] if len(calls) == 1 else real_find(db_, kind, filters,
                                                    **kwargs)
    monkeypatch.setattr(db_network, "find", find_late)
    assert setup.ensure_private(conf, db).id == made.id
    monkeypatch.undo()
    assert [n.id for n in db_network.find(db, "network",
                                          {"name": ["private"]})] == [made.id]

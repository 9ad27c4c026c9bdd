"""The image API (a Glance v2 subset) under /image, with minova tokens in
the pipeline: every route, visibility between projects, streamed data,
Glance's faults, and the compute API booting from its images."""

from __future__ import annotations

import hashlib
import os
import socket

import openstack
import pytest
import requests

from minova.db import flavors as db_flavors
from minova.identity import bootstrap
from tests.fixtures import start_api
from tests.identity_fixtures import identity_cloud  # noqa: F401
from tests.identity_fixtures import start_identity_cloud
from tests.utils import wait_for

CIRROS = "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f"
PATCH = "application/openstack-images-v2.1-json-patch"


class Images:
    def __init__(self, cloud):
        self.cloud = cloud
        self.url = cloud.base_url + "/image"

    def __call__(self, method, path, token, **kwargs):
        headers = kwargs.pop("headers", {})
        headers["X-Auth-Token"] = token
        return requests.request(method, self.url + path, headers=headers,
                                timeout=60, **kwargs)

    def create(self, token, **body):
        response = self("POST", "/v2/images", token, json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def patch(self, token, image_id, operations):
        return self("PATCH", "/v2/images/%s" % image_id, token,
                    json=operations, headers={"Content-Type": PATCH})

    def names(self, token, query=""):
        response = self("GET", "/v2/images" + query, token)
        assert response.status_code == 200, response.text
        return [image["name"] for image in response.json()["images"]]


@pytest.fixture
def images(identity_cloud):  # noqa: F811
    return Images(identity_cloud)


def _glance_fault(response, code):
    assert response.status_code == code, response.text
    assert response.headers["x-openstack-request-id"].startswith("req-")
    body = response.json()
    assert body["code"].startswith(str(code)), body
    assert body["message"]
    return body["message"]


def test_version_discovery_and_schemas(images):
    root = requests.get(images.url, timeout=30)
    assert root.status_code == 300
    [current] = [v for v in root.json()["versions"]
                 if v["status"] == "CURRENT"]
    assert current["links"][0]["href"] == images.url + "/v2/"
    token = images.cloud.demo()
    assert images("GET", "/v2", token).status_code == 300
    assert images("GET", "/versions", token).status_code == 200
    schema = images("GET", "/v2/schemas/image", token).json()
    assert schema["name"] == "image"
    assert schema["properties"]["status"]["readOnly"] is True
    assert "qcow2" in schema["properties"]["disk_format"]["enum"]
    assert images("GET", "/v2/schemas/images",
                  token).json()["name"] == "images"


def test_catalog_names_the_image_api(images):
    token = images.cloud.demo()
    catalog = images.cloud.request("GET", "/v3/auth/catalog",
                                   token).json()["catalog"]
    [image] = [entry for entry in catalog if entry["type"] == "image"]
    assert image["name"] == "glance"
    assert {e["url"] for e in image["endpoints"]} == {images.url}


@pytest.mark.backends("db")
def test_seeded_image_and_lifecycle(images):
    demo = images.cloud.demo()
    cirros = images("GET", "/v2/images/%s" % CIRROS, demo).json()
    assert (cirros["name"], cirros["status"], cirros["visibility"]) == (
        "cirros", "active", "public")
    image = images.create(demo, name="mine", disk_format="qcow2",
                          container_format="bare", tags=["a"],
                          min_ram=64, **{"os_distro": "cirros"})
    assert image["status"] == "queued"
    assert image["visibility"] == "shared"
    assert image["os_distro"] == "cirros"
    assert image["owner"] == images.cloud.find(
        "projects", "demo", images.cloud.admin())["id"]
    patched = images.patch(demo, image["id"], [
        {"op": "replace", "path": "/name", "value": "renamed"},
        {"op": "add", "path": "/tags", "value": ["b", "c"]},
        {"op": "replace", "path": "/visibility", "value": "private"},
        {"op": "replace", "path": "/min_disk", "value": 2},
        {"op": "add", "path": "/hw_arch", "value": "x86_64"},
        {"op": "remove", "path": "/os_distro"}])
    assert patched.status_code == 200, patched.text
    shown = images("GET", "/v2/images/%s" % image["id"], demo).json()
    assert (shown["name"], shown["tags"], shown["visibility"],
            shown["min_disk"], shown["hw_arch"]) == (
        "renamed", ["b", "c"], "private", 2, "x86_64")
    assert "os_distro" not in shown
    assert images("PUT", "/v2/images/%s/tags/d" % image["id"],
                  demo).status_code == 204
    assert images("DELETE", "/v2/images/%s/tags/b" % image["id"],
                  demo).status_code == 204
    assert images("GET", "/v2/images/%s" % image["id"],
                  demo).json()["tags"] == ["c", "d"]
    assert images("DELETE", "/v2/images/%s" % image["id"],
                  demo).status_code == 204
    _glance_fault(images("GET", "/v2/images/%s" % image["id"], demo), 404)


@pytest.mark.backends("db")
def test_list_filters_sort_and_pages(images):
    demo = images.cloud.demo()
    for name, tag, size in (("b", "x", 2), ("a", "y", 1), ("c", "x", 0)):
        images.create(demo, name=name, tags=[tag], min_ram=size,
                      disk_format="raw", container_format="bare")
    assert images.names(demo, "?tag=x&sort=name:asc") == ["b", "c"]
    assert images.names(demo, "?name=in:a,c&sort_key=name&sort_dir=desc") \
        == ["c", "a"]
    assert images.names(demo, "?status=active") == ["cirros"]
    assert images.names(demo, "?visibility=public") == ["cirros"]
    assert images.names(demo, "?sort=min_ram:desc,name:asc") == [
        "b", "a", "c", "cirros"]
    first = images("GET", "/v2/images?sort=name:asc&limit=2", demo).json()
    assert [i["name"] for i in first["images"]] == ["a", "b"]
    rest = images("GET", first["next"], demo).json()
    assert [i["name"] for i in rest["images"]] == ["c", "cirros"]
    message = _glance_fault(images("GET", "/v2/images?sort_key=nope",
                                   demo), 400)
    assert "nope" in message
    _glance_fault(images("GET", "/v2/images?limit=-1", demo), 400)
    _glance_fault(images("GET", "/v2/images?marker=%s" % ("0" * 32),
                         demo), 400)


@pytest.mark.backends("db")
def test_project_b_does_not_see_project_a_private_images(images):
    cloud = images.cloud
    admin, demo = cloud.admin(), cloud.demo()
    private = images.create(admin, name="a-private", visibility="private")
    shared = images.create(admin, name="a-shared")
    community = images.create(admin, name="a-community",
                              visibility="community")
    public = images.create(admin, name="a-public", visibility="public")
    # Sorted: on MariaDB (whole seconds) both may share a created_at.
    assert sorted(images.names(demo)) == ["a-public", "cirros"]
    assert "a-community" in images.names(demo, "?visibility=community")
    for hidden in (private, shared):
        _glance_fault(images("GET", "/v2/images/%s" % hidden["id"], demo),
                      404)
        _glance_fault(images("DELETE", "/v2/images/%s" % hidden["id"],
                             demo), 404)
    for seen in (community, public):
        assert images("GET", "/v2/images/%s" % seen["id"],
                      demo).status_code == 200
        _glance_fault(images.patch(demo, seen["id"], [
            {"op": "replace", "path": "/name", "value": "mine"}]), 403)
        _glance_fault(images("DELETE", "/v2/images/%s" % seen["id"],
                             demo), 403)
    # Publishing is for admins; community for the owner.
    _glance_fault(images("POST", "/v2/images", demo,
                         json={"name": "x", "visibility": "public"}), 403)
    assert len(images.names(admin)) == 5
    # The compute API's Glance-shaped view reads the same rules.
    seen = cloud.compute("GET", "/images", demo).json()["images"]
    assert sorted(i["name"] for i in seen) == ["a-community", "a-public",
                                               "cirros"]
    assert cloud.compute("GET", "/images/%s" % private["id"],
                         demo).status_code == 404


@pytest.mark.backends("db")
def test_streamed_upload_and_download(images, tmp_path):
    demo = images.cloud.demo()
    image = images.create(demo, name="data", disk_format="raw",
                          container_format="bare")
    data = os.urandom(1 << 20) * 6 + os.urandom(12345)
    path = tmp_path / "disk.img"
    path.write_bytes(data)
    url = "/v2/images/%s/file" % image["id"]
    assert images("GET", url, demo).status_code == 204  # no data yet
    _glance_fault(images("PUT", url, demo, data=b"x",
                         headers={"Content-Type": "text/plain"}), 415)
    with open(path, "rb") as handle:
        uploaded = images("PUT", url, demo, data=handle, headers={
            "Content-Type": "application/octet-stream"})
    assert uploaded.status_code == 204, uploaded.text
    shown = images("GET", "/v2/images/%s" % image["id"], demo).json()
    assert shown["status"] == "active"
    assert shown["size"] == len(data)
    assert shown["checksum"] == hashlib.md5(data).hexdigest()
    assert shown["os_hash_algo"] == "sha512"
    assert shown["os_hash_value"] == hashlib.sha512(data).hexdigest()
    _glance_fault(images("PUT", url, demo, data=b"again", headers={
        "Content-Type": "application/octet-stream"}), 409)
    download = images("GET", url, demo, stream=True)
    assert download.status_code == 200
    assert download.headers["Content-MD5"] == shown["checksum"]
    assert int(download.headers["Content-Length"]) == len(data)
    md5 = hashlib.md5()
    for chunk in download.iter_content(1 << 16):
        md5.update(chunk)
    assert md5.hexdigest() == shown["checksum"]
    # A chunked upload (no Content-Length) works the same.
    chunked = images.create(demo, name="chunked")
    uploaded = images("PUT", "/v2/images/%s/file" % chunked["id"], demo,
                      data=iter([data[:100000], data[100000:300000]]),
                      headers={"Content-Type": "application/octet-stream"})
    assert uploaded.status_code == 204, uploaded.text
    assert images("GET", "/v2/images/%s" % chunked["id"],
                  demo).json()["size"] == 300000
    store = images.cloud.conf.image.store_path
    assert sorted(os.listdir(store)) == sorted([image["id"], chunked["id"]])


def test_protected_image_cannot_be_deleted(images):
    demo = images.cloud.demo()
    image = images.create(demo, name="keep", protected=True)
    message = _glance_fault(images("DELETE", "/v2/images/%s" % image["id"],
                                   demo), 403)
    assert "protected" in message
    assert images.patch(demo, image["id"], [
        {"op": "replace", "path": "/protected", "value": False}
    ]).status_code == 200
    assert images("DELETE", "/v2/images/%s" % image["id"],
                  demo).status_code == 204


@pytest.mark.backends("db")
def test_bad_input_is_a_glance_fault(images):
    demo = images.cloud.demo()
    _glance_fault(images("POST", "/v2/images", demo, data=b"{nope",
                         headers={"Content-Type": "application/json"}), 400)
    _glance_fault(images("POST", "/v2/images", demo,
                         json={"status": "active"}), 403)
    _glance_fault(images("POST", "/v2/images", demo,
                         json={"disk_format": "floppy"}), 400)
    _glance_fault(images("POST", "/v2/images", demo,
                         json={"min_ram": -1}), 400)
    _glance_fault(images("POST", "/v2/images", demo,
                         json={"id": "not-a-uuid"}), 400)
    _glance_fault(images("POST", "/v2/images", demo,
                         json={"name": "x" * 70000}), 413)
    image = images.create(demo, name="x")
    _glance_fault(images("PATCH", "/v2/images/%s" % image["id"], demo,
                         json=[]), 415)
    _glance_fault(images.patch(demo, image["id"], [
        {"op": "replace", "path": "/status", "value": "active"}]), 403)
    _glance_fault(images.patch(demo, image["id"], [
        {"op": "remove", "path": "/nothing"}]), 409)
    _glance_fault(images.patch(demo, image["id"], [
        {"op": "add", "path": "/id", "value": image["id"]}]), 403)
    _glance_fault(images.patch(demo, image["id"], [
        {"op": "add", "path": "/hw_arch", "value": 5}]), 400)
    admin = images.cloud.admin()
    _glance_fault(images("POST", "/v2/images", admin,
                         json={"owner": 5}), 400)
    _glance_fault(images.patch(admin, image["id"], [
        {"op": "replace", "path": "/owner", "value": ["x"]}]), 400)
    _glance_fault(images.patch(demo, image["id"], [
        {"op": "move", "path": "/name"}]), 400)
    _glance_fault(images("POST", "/v2/images", demo,
                         json={"id": image["id"]}), 409)
    _glance_fault(images("GET", "/v2/nothing", demo), 404)
    _glance_fault(images("PUT", "/v2/images", demo), 405)
    _glance_fault(images("GET", "/v2/images", "bogus"), 401)


@pytest.fixture
def boot_cloud(identity_cloud, compute):  # noqa: F811
    db_flavors.ensure_defaults(identity_cloud.db)
    return identity_cloud


def test_boot_checks_the_image(boot_cloud):
    images = Images(boot_cloud)
    demo = boot_cloud.demo()

    def boot(image_id, flavor="1"):
        return boot_cloud.compute("POST", "/servers", demo, json={
            "server": {"name": "vm", "flavorRef": flavor,
                       "imageRef": image_id, "networks": "none"}})

    queued = images.create(demo, name="queued")
    refused = boot(queued["id"])
    assert refused.status_code == 400
    assert "is not active" in refused.json()["badRequest"]["message"]
    big = images.create(demo, name="big", min_ram=4096)
    images("PUT", "/v2/images/%s/file" % big["id"], demo, data=b"x" * 10,
           headers={"Content-Type": "application/octet-stream"})
    refused = boot(big["id"])
    assert refused.status_code == 400
    assert "memory is too small" in refused.json()["badRequest"]["message"]
    assert boot(big["id"], flavor="3").status_code == 202
    private = images.create(boot_cloud.admin(), name="p",
                            visibility="private")
    assert boot(private["id"]).status_code == 400


def test_openstacksdk_uploads_and_boots(boot_cloud, tmp_path, monkeypatch):
    path = bootstrap.clouds_path(boot_cloud.conf)
    bootstrap.write_clouds_yaml(
        boot_cloud.conf, path, "admin-secret", "demo-secret",
        ports={"osapi_compute": boot_cloud.server.port})
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", path)
    disk = tmp_path / "cirros2.img"
    disk.write_bytes(os.urandom(3 << 20))
    conn = openstack.connect(cloud="minova-demo")
    try:
        image = conn.image.create_image(
            "cirros2", filename=str(disk), disk_format="raw",
            container_format="bare")
        image = conn.image.get_image(image.id)
        assert image.status == "active"
        assert image.checksum == hashlib.md5(disk.read_bytes()).hexdigest()
        assert conn.image.find_image("cirros2").id == image.id
        server = conn.compute.create_server(
            name="sdk", image_id=image.id,
            flavor_id=conn.compute.find_flavor("m1.tiny").id,
            networks="none")
        conn.compute.wait_for_server(server, status="ACTIVE",
                                     interval=0.05, wait=30)
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, interval=0.05, wait=30)
        conn.image.delete_image(image)
        wait_for(lambda: conn.image.find_image("cirros2") is None,
                 what="image deleted")
    finally:
        conn.close()


def test_own_port_through_enabled_apis(conf, transport, db, conductor,
                                       launched):
    conf.set_override("enabled_apis", ["osapi_compute", "image"])
    image_api = start_api(conf, transport, db, launched, name="image")
    cloud = start_identity_cloud(conf, transport, db, launched)
    own = "http://127.0.0.1:%d" % image_api.port
    bootstrap.bootstrap(conf, db, "admin-secret", "demo-secret", ports={
        "osapi_compute": cloud.server.port, "image": image_api.port})
    token = cloud.demo()
    catalog = cloud.request("GET", "/v3/auth/catalog", token).json()
    urls = {e["type"]: e["endpoints"][0]["url"] for e in catalog["catalog"]}
    assert urls["image"] == own
    assert requests.get(own, timeout=30).status_code == 300
    listed = requests.get(own + "/v2/images", timeout=30,
                          headers={"X-Auth-Token": token})
    assert [i["id"] for i in listed.json()["images"]] == [CIRROS]
    data = os.urandom(200000)
    image = requests.post(own + "/v2/images", timeout=30, json={},
                          headers={"X-Auth-Token": token}).json()
    uploaded = requests.put(own + image["file"], data=data, timeout=30,
                            headers={"X-Auth-Token": token, "Content-Type":
                                     "application/octet-stream"})
    assert uploaded.status_code == 204, uploaded.text
    assert requests.get(own + image["file"], timeout=30, headers={
        "X-Auth-Token": token}).content == data


def test_interrupted_upload_leaves_the_image_queued(images):
    demo = images.cloud.demo()
    image = images.create(demo, name="cut")
    path = "/v2/images/%s" % image["id"]

    def status(wanted):
        return images("GET", path, demo).json()["status"] == wanted

    port = int(images.url.split(":")[2].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall((
            "PUT /image%s/file HTTP/1.1\r\nHost: x\r\n"
            "X-Auth-Token: %s\r\nContent-Type: application/octet-stream\r\n"
            "Content-Length: 10000000\r\n\r\n" % (path, demo)
        ).encode() + b"x" * 300000)
        # The upload is under way and waits for the rest of the body.
        wait_for(lambda: status("saving"), what="image saving")
    wait_for(lambda: status("queued"), what="image queued again")
    assert images("GET", path, demo).json()["size"] is None
    store = images.cloud.conf.image.store_path
    wait_for(lambda: not os.listdir(store), what="no file in the store")
    assert images("PUT", path + "/file", demo, data=b"y" * 1000, headers={
        "Content-Type": "application/octet-stream"}).status_code == 204

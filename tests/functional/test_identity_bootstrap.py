"""Bootstrap is idempotent; minova-all's first start writes a clouds.yaml
that openstacksdk uses as it is; minova-manage bootstrap and fernet."""

from __future__ import annotations

import os
import subprocess
import sys

import openstack
import pytest
import yaml

from minova.db import flavors as db_flavors
from minova.db import identity as db_identity
from minova.db import identity_state
from minova.identity import bootstrap
from minova.identity import catalog
from tests.fixtures import start_api

BIN = os.path.dirname(sys.executable)


def _counts(db) -> dict:
    return {kind: len(db_identity.find(db, kind))
            for kind in ("domain", "project", "user", "role")} | {
        "assignments": len(db_identity.assignments(db)),
        "implied": len(db_identity.implied_roles(db)),
        "endpoints": len(identity_state.endpoints(db))}


def test_bootstrap_twice_creates_once(conf, db):
    first = bootstrap.bootstrap(conf, db, "a", "d")
    assert "user admin" in first.created
    counts = _counts(db)
    assert counts == {"domain": 1, "project": 2, "user": 2, "role": 3,
                      "assignments": 2, "implied": 2,
                      "endpoints": 3 * len(catalog.APIS)}
    assert bootstrap.bootstrap(conf, db, "other", "other").created == []
    assert _counts(db) == counts
    # A changed public URL corrects the catalog, and only that.
    conf.set_override("public_endpoint", "http://cloud.example:80",
                      group="identity")
    again = bootstrap.bootstrap(conf, db, None, None)
    assert [c.split(" at ")[0] for c in again.created] == [
        "catalog %s" % api.type for api in catalog.APIS]
    urls = {e.url for e in identity_state.endpoints(db)}
    assert urls == {"http://cloud.example:80" + api.path
                    for api in catalog.APIS}
    assert "http://cloud.example:80/identity" in urls


def test_first_start_clouds_yaml_works_with_openstacksdk(
        conf, transport, db, conductor, launched, monkeypatch):
    conf.set_override("auth_strategy", "minova", group="api")
    db_flavors.ensure_defaults(db)  # as minova-all does
    server = start_api(conf, transport, db, launched)
    ports = {"osapi_compute": server.port}
    path = bootstrap.first_start(conf, db, ports)
    assert path == os.path.join(conf.state_path, "clouds.yaml")
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    with open(path) as handle:
        clouds = yaml.safe_load(handle)["clouds"]
    password = clouds["minova"]["auth"]["password"]
    # A restart keeps the passwords it wrote.
    bootstrap.first_start(conf, db, ports)
    with open(path) as handle:
        assert yaml.safe_load(handle)["clouds"]["minova"]["auth"][
            "password"] == password
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", path)
    for cloud in ("minova", "minova-demo"):
        connection = openstack.connect(cloud=cloud)
        try:
            names = [flavor.name for flavor in connection.compute.flavors()]
            assert "m1.tiny" in names
        finally:
            connection.close()
    admin = openstack.connect(cloud="minova")
    try:
        assert {p.name for p in admin.identity.projects()} == {"admin",
                                                               "demo"}
    finally:
        admin.close()


def test_fernet_rotation_keeps_tokens_valid(conf, db):
    from minova.identity import core

    bootstrap.bootstrap(conf, db, "a", "d")
    identity = core.Identity(conf, db)
    user = db_identity.find_one(db, "user", name="admin")
    project = db_identity.find_one(db, "project", name="admin")
    before, _token = identity.tokens.issue(user.id, ["password"], project.id)
    repository = bootstrap.key_repository(conf)
    assert repository.rotate() == 2
    identity.cache.invalidate()  # what the refresh interval does
    after, _token = identity.tokens.issue(user.id, ["password"], project.id)
    assert identity.validate(before).user_id == user.id
    assert identity.validate(after).user_id == user.id
    # The new primary sealed it: the old primary alone cannot open it.
    from cryptography import fernet

    with open(os.path.join(repository.path, "1"), "rb") as handle:
        old = fernet.Fernet(handle.read())
    padded = after + "=" * (-len(after) % 4)
    try:
        old.decrypt(padded.encode())
        raise AssertionError("decrypted with the old primary")
    except fernet.InvalidToken:
        pass


@pytest.mark.slow  # four process starts
def test_minova_manage_bootstrap(tmp_path):
    config = tmp_path / "minova.conf"
    config.write_text("[DEFAULT]\nstate_path = %s\n[database]\n"
                      "connection = sqlite:///%s/m.sqlite\n[identity]\n"
                      "password_hash_rounds = 4\n" % (tmp_path, tmp_path))
    command = [os.path.join(BIN, "minova-manage"), "--config-file",
               str(config), "bootstrap"]
    refused = subprocess.run(command, capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode == 1
    assert "--bootstrap-password" in refused.stderr
    clouds = tmp_path / "c.yaml"
    done = subprocess.run(
        command + ["--bootstrap-password", "pw", "--demo-password", "dpw",
                   "--bootstrap-region-id", "Elsewhere",
                   "--clouds-yaml", str(clouds)],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "user admin" in done.stdout
    assert yaml.safe_load(clouds.read_text())["clouds"]["minova"][
        "region_name"] == "Elsewhere"
    again = subprocess.run(command + ["--bootstrap-region-id", "Elsewhere"],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "everything was there already" in again.stdout
    rotated = subprocess.run(
        [os.path.join(BIN, "minova-manage"), "--config-file", str(config),
         "fernet", "rotate"], capture_output=True, text=True, timeout=120)
    assert rotated.returncode == 0, rotated.stderr
    assert sorted(os.listdir(tmp_path / "fernet-keys")) == ["0", "1", "2"]

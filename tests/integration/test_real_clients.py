"""Real clients against one real ``minova-all``, each with nothing but the
``clouds.yaml`` minova writes: the ``openstack`` CLI (admin and a member of
another project), an Ansible playbook of ``openstack.cloud`` modules, and a
gophercloud program (Debian's Go and gophercloud 0.12).

``tools/clients.sh`` installs Go, gophercloud and ``.venv-ansible`` (its
own venv: Ansible 12's ``openstack.cloud`` needs ``openstacksdk<4.15``); a
missing client skips its test with the reason, unless
``MINOVA_REQUIRE_BACKENDS=1``, which fails it instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import backends
from tests.integration.test_lifecycle import MinovaAll
from tests.utils import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OPENSTACK = os.path.join(os.path.dirname(sys.executable), "openstack")
ANSIBLE_VENV = Path(os.environ.get("MINOVA_ANSIBLE_VENV",
                                   ROOT / ".venv-ansible"))
GOCODE = "/usr/share/gocode"
GOPHERCLOUD = Path(GOCODE, "src/github.com/gophercloud/gophercloud")


class Cloud:
    """The running minova-all and the clouds.yaml it wrote."""

    def __init__(self, instance: MinovaAll, workdir: Path) -> None:
        self.instance = instance
        self.workdir = workdir
        self.clouds_yaml = instance.state / "clouds.yaml"
        self.clouds = yaml.safe_load(self.clouds_yaml.read_text())["clouds"]

    def env(self, clouds_yaml: Path | None = None) -> dict[str, str]:
        """The caller's environment without OS_*, plus the clouds.yaml."""
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("OS_")}
        env["OS_CLIENT_CONFIG_FILE"] = str(clouds_yaml or self.clouds_yaml)
        env["HOME"] = str(self.workdir)
        return env

    def log(self) -> str:
        assert self.instance.process is not None
        return self.instance.process.log()[-6000:]

    def run(self, argv: list[str], env: dict[str, str] | None = None,
            timeout: float = 180,
            **kwargs: Any) -> subprocess.CompletedProcess:
        return subprocess.run(argv, env=env or self.env(), text=True,
                              capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, check=False, **kwargs)


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    workdir = tmp_path_factory.mktemp("real-clients")
    instance = MinovaAll(workdir / "minova")
    try:
        instance.start()
        wait_for(lambda: (instance.state / "clouds.yaml").exists(),
                 timeout=30, interval=0.1, what="clouds.yaml")
        yield Cloud(instance, workdir)
    finally:
        instance.kill()


def _failed(cloud: Cloud, result: subprocess.CompletedProcess) -> str:
    return "%s exited %d\nstdout:\n%s\nstderr:\n%s\nminova-all log:\n%s" % (
        result.args, result.returncode, result.stdout[-6000:],
        result.stderr[-6000:], cloud.log())


# openstack CLI ---------------------------------------------------------------

@pytest.fixture
def osc() -> str:
    if shutil.which(OPENSTACK) is None:
        backends.unavailable("python-openstackclient is not installed "
                             "(the test extra)")
    return OPENSTACK


# Some thirty CLI runs of a few seconds each (its start-up dominates): about
# three minutes on two busy cores, more than the suite's default timeout.
@pytest.mark.timeout(900)
def test_openstack_cli_as_admin_and_as_a_member_of_another_project(
        osc, cloud, tmp_path):
    def openstack(*args: str, cloud_name: str = "minova",
                  clouds_yaml: Path | None = None, ok: bool = True) -> Any:
        result = cloud.run([osc, "--os-cloud", cloud_name, *args],
                           env=cloud.env(clouds_yaml))
        if not ok:
            return result
        assert result.returncode == 0, _failed(cloud, result)
        return json.loads(result.stdout) if "json" in args else result.stdout

    token = openstack("token", "issue", "-f", "json")
    assert token["id"] and token["project_id"]
    services = {entry["Type"]
                for entry in openstack("catalog", "list", "-f", "json")}
    assert {"identity", "compute", "image", "network"} <= services

    openstack("project", "create", "clients-p", "-f", "json")
    openstack("user", "create", "clients-u", "--password", "s3cret-pw",
              "--project", "clients-p", "-f", "json")
    openstack("role", "add", "--user", "clients-u", "--project", "clients-p",
              "member")
    # A clouds.yaml entry of our own for that user, next to minova's two.
    member = json.loads(json.dumps(cloud.clouds["minova"]))
    member["auth"].update(username="clients-u", password="s3cret-pw",
                          project_name="clients-p")
    member_yaml = tmp_path / "clouds.yaml"
    member_yaml.write_text(yaml.safe_dump(
        {"clouds": dict(cloud.clouds, member=member)}))
    member_token = openstack("token", "issue", "-f", "json",
                             cloud_name="member", clouds_yaml=member_yaml)
    assert member_token["project_id"] != token["project_id"]

    names = [image["Name"] for image in openstack("image", "list",
                                                  "-f", "json")]
    assert "cirros" in names
    cirros = openstack("image", "show", "cirros", "-f", "json")
    assert cirros["status"] == "active"
    payload = tmp_path / "img2.raw"
    payload.write_bytes(os.urandom(64 * 1024 + 7))
    img2 = openstack("image", "create", "--file", str(payload),
                     "--disk-format", "raw", "--container-format", "bare",
                     "--private", "img2", "-f", "json")
    shown = openstack("image", "show", img2["id"], "-f", "json")
    assert (shown["status"], shown["size"]) == ("active",
                                                payload.stat().st_size)

    networks = {net["Name"] for net in openstack("network", "list",
                                                 "-f", "json")}
    assert {"private", "public"} <= networks
    assert openstack("subnet", "list", "-f", "json")

    server = openstack("server", "create", "--image", "cirros", "--flavor",
                       "m1.tiny", "--network", "private", "--wait",
                       "-f", "json", "cli-vm")
    assert server["status"] == "ACTIVE"
    listed = openstack("server", "list", "-f", "json")
    assert [(s["ID"], s["Status"]) for s in listed
            if s["Name"] == "cli-vm"] == [(server["id"], "ACTIVE")]
    fip = openstack("floating", "ip", "create", "public", "-f", "json")
    address = fip["floating_ip_address"]
    openstack("server", "add", "floating", "ip", "cli-vm", address)
    wait_for(lambda: address in json.dumps(openstack(
        "server", "show", server["id"], "-f", "json")["addresses"]),
        timeout=30, interval=0.2, what="the floating IP on the server")

    # The member of the other project sees none of it.
    as_member = {"cloud_name": "member", "clouds_yaml": member_yaml}
    assert openstack("server", "list", "-f", "json", **as_member) == []
    hidden = openstack("server", "show", server["id"], ok=False, **as_member)
    assert hidden.returncode != 0, hidden.stdout
    member_images = {image["ID"] for image in openstack(
        "image", "list", "-f", "json", **as_member)}
    assert cirros["id"] in member_images
    assert img2["id"] not in member_images
    hidden = openstack("image", "show", img2["id"], ok=False, **as_member)
    assert hidden.returncode != 0, hidden.stdout

    openstack("server", "delete", "--wait", server["id"])
    assert [s for s in openstack("server", "list", "-f", "json")
            if s["ID"] == server["id"]] == []
    openstack("floating", "ip", "delete", address)


# Ansible -----------------------------------------------------------------

PLAYBOOK = """\
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{python}"
  tasks:
    - name: create a server with the module's defaults (wait, auto_ip)
      openstack.cloud.server:
        cloud: minova
        name: ansible-vm
        image: cirros
        flavor: m1.tiny
        network: private
        timeout: 120
      register: created
    - name: read it back
      openstack.cloud.server_info:
        cloud: minova
        name: ansible-vm
      register: info
    - name: it is ACTIVE with a floating IP
      ansible.builtin.assert:
        that:
          - created.changed
          - info.servers | length == 1
          - info.servers[0].status == "ACTIVE"
          - info.servers[0].addresses.private
            | selectattr("OS-EXT-IPS:type", "equalto", "floating")
            | list | length == 1
    - name: delete it
      openstack.cloud.server:
        cloud: minova
        name: ansible-vm
        state: absent
        delete_ips: true
        timeout: 120
    - name: read again
      openstack.cloud.server_info:
        cloud: minova
        name: ansible-vm
      register: gone
    - name: it is gone
      ansible.builtin.assert:
        that:
          - gone.servers | length == 0
"""


@pytest.fixture
def ansible_playbook() -> Path:
    binary = ANSIBLE_VENV / "bin" / "ansible-playbook"
    if not binary.exists():
        backends.unavailable("%s is missing; run tools/clients.sh" % binary)
    return binary


def test_ansible_creates_reads_and_deletes_a_server(ansible_playbook, cloud,
                                                    tmp_path):
    playbook = tmp_path / "server.yml"
    playbook.write_text(PLAYBOOK.format(
        python=ANSIBLE_VENV / "bin" / "python"))
    env = cloud.env()
    env.update(ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
               ANSIBLE_HOME=str(tmp_path / "ansible-home"),
               ANSIBLE_LOCALHOST_WARNING="False",
               ANSIBLE_NOCOLOR="1")
    result = cloud.run([str(ansible_playbook), "-i", "localhost,",
                        str(playbook)], env=env, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, _failed(cloud, result)
    assert "failed=0" in result.stdout, _failed(cloud, result)
    assert "ok=6" in result.stdout, _failed(cloud, result)


# gophercloud -----------------------------------------------------------------

@pytest.fixture
def gophercloud_program(tmp_path: Path) -> Path:
    go = shutil.which("go")
    if go is None or not GOPHERCLOUD.is_dir():
        backends.unavailable(
            "Go or gophercloud is missing (apt golang-go "
            "golang-github-gophercloud-gophercloud-dev; run tools/clients.sh)")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("OS_", "GO"))}
    env.update(GO111MODULE="off", GOFLAGS="",
               GOPATH="%s:%s" % (tmp_path / "gopath", GOCODE),
               GOCACHE=str(tmp_path / "gocache"), HOME=str(tmp_path))
    binary = tmp_path / "gophercloud-client"
    result = subprocess.run([go, "build", "-o", str(binary), "main.go"],
                            cwd=HERE / "gophercloud", env=env, text=True,
                            capture_output=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return binary


def test_gophercloud_creates_waits_for_active_and_deletes_a_server(
        gophercloud_program, cloud):
    # gophercloud reads OS_* variables, not clouds.yaml: hand it the
    # admin cloud's entry. Its 0.12 reads OS_DOMAIN_NAME for both domains.
    entry = cloud.clouds["minova"]
    auth = entry["auth"]
    env = cloud.env()
    del env["OS_CLIENT_CONFIG_FILE"]
    env.update(OS_AUTH_URL=auth["auth_url"], OS_USERNAME=auth["username"],
               OS_PASSWORD=auth["password"],
               OS_PROJECT_NAME=auth["project_name"],
               OS_DOMAIN_NAME=auth["user_domain_name"],
               OS_REGION_NAME=entry["region_name"])
    result = cloud.run([str(gophercloud_program)], env=env, timeout=240)
    assert result.returncode == 0, _failed(cloud, result)
    assert "ACTIVE" in result.stdout and "DELETED" in result.stdout

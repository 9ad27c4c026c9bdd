"""The real ``openstack`` CLI against an in-process minova, negotiating
microversions as high as it knows (part MV of issue 9): flavor
descriptions (2.55), compute services by uuid (2.53), hypervisors.

The CLI runs as a child process; the test process's green subprocess
lets the in-process API answer while it waits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.functional.test_api_servers import cloud  # noqa: F401

_CLI = os.path.join(os.path.dirname(sys.executable), "openstack")

pytestmark = pytest.mark.skipif(
    not os.path.exists(_CLI) and shutil.which("openstack") is None,
    reason="python-openstackclient is not installed (the test extra "
           "installs it)")


@pytest.fixture
def cli(cloud):  # noqa: F811
    endpoint = cloud.base_url + "/v2.1"
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith("OS_")}
    environ.update(OS_IDENTITY_API_VERSION="3",
                   OS_IDENTITY_ENDPOINT_OVERRIDE=endpoint)

    def run(*args: str, output: bool = True) -> object:
        command = [_CLI if os.path.exists(_CLI) else "openstack",
                   "--os-auth-type", "admin_token", "--os-endpoint",
                   endpoint, "--os-token", "admin:admin", *args]
        if output:
            command += ["-f", "json"]
        done = subprocess.run(command, env=environ, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return json.loads(done.stdout) if output else done.stdout
    return run


def test_flavor_create_with_a_description_and_list(cli, cloud):  # noqa: F811
    """(``flavor show`` and ``flavor set`` also need ``GET
    /flavors/{id}/os-extra_specs``: openstacksdk asks for it whenever the
    embedded extra_specs are empty; that route is part RES1's.)"""
    cli("flavor", "create", "--ram", "256", "--disk", "1", "--vcpus", "1",
        "--description", "for tests", "m1.nano")
    listed = {f["Name"]: f for f in cli("flavor", "list")}
    assert listed["m1.nano"]["RAM"] == 256
    flavors = cloud.get("/v2.1/flavors/detail",
                        version="2.55").json()["flavors"]
    assert {f["name"]: f["description"] for f in flavors}["m1.nano"] == \
        "for tests"


def test_compute_services_by_uuid(cli):
    services = cli("compute", "service", "list", "--service",
                   "minova-compute")
    [compute] = services
    assert len(compute["ID"]) == 36  # a uuid: the CLI asked for >= 2.53
    cli("compute", "service", "set", "--disable", "--disable-reason",
        "maintenance", compute["Host"], "minova-compute", output=False)
    [compute] = cli("compute", "service", "list", "--service",
                    "minova-compute", "--long")
    assert (compute["Status"], compute["Disabled Reason"]) == \
        ("disabled", "maintenance")
    cli("compute", "service", "set", "--enable", compute["Host"],
        "minova-compute", output=False)


def test_hypervisor_list_and_show(cli):
    [listed] = cli("hypervisor", "list")
    assert len(str(listed["ID"])) == 36
    shown = cli("hypervisor", "show", listed["Hypervisor Hostname"])
    assert shown["hypervisor_hostname"] == listed["Hypervisor Hostname"]
    assert shown["state"] == "up"

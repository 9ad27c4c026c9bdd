"""A fake cloud you can script (issue 10, part 5): server metadata, flavor
extra specs and ``[fake_driver]`` options make builds, stops, starts,
reboots and deletes slow or failing, as a tool tester would use them over
real HTTP."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.functional import test_api_servers as servers_test
from tests.functional.test_api_servers import action
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import show
from tests.functional.test_api_servers import wait_status
from tests.utils import wait_for

cloud = servers_test.cloud  # the fixture: API, scheduler, one compute

ADMIN = "admin:admin"


def _events(api, sid, name):
    """Results of the compute events ``name`` of the server, oldest
    first, once all of them have one."""
    def finished():
        listed = api.get("/v2.1/servers/%s/os-instance-actions" % sid,
                         token=ADMIN)
        assert listed.status_code == 200, listed.text
        results = []
        for act in reversed(listed.json()["instanceActions"]):
            shown = api.get("/v2.1/servers/%s/os-instance-actions/%s"
                            % (sid, act["request_id"]), token=ADMIN,
                            version="2.84").json()["instanceAction"]
            results += [(e["result"], e.get("details"))
                        for e in shown["events"] if e["event"] == name]
        return results if results and all(r for r, _ in results) else None
    return wait_for(finished, what="events %s of %s" % (name, sid))


def _fault(api, sid):
    return show(api, sid, token=ADMIN)["fault"]


def _settled(api, sid):
    """The server once no task runs on it."""
    def idle():
        server = show(api, sid, token=ADMIN)
        return server if server["OS-EXT-STS:task_state"] is None else None
    return wait_for(idle, what="server %s to settle" % sid)


def test_build_fails_with_the_message_asked_for(cloud):
    sid = boot(cloud, metadata={"minova:build_fail": "No valid disk"})["id"]
    server = wait_status(cloud, sid, "ERROR")
    assert server["fault"]["message"] == "No valid disk"
    assert _events(cloud, sid, "compute__do_build_and_run_instance") == [
        ("Error", "No valid disk")]


def test_build_takes_the_seconds_asked_for(cloud):
    sid = boot(cloud, metadata={"minova:build_delay": "0.5"})["id"]
    server = show(cloud, sid)
    assert (server["status"], server["OS-EXT-STS:task_state"]) in (
        ("BUILD", "scheduling"), ("BUILD", "spawning"))
    wait_for(lambda: show(cloud, sid)["OS-EXT-STS:task_state"]
             == "spawning", what="the spawn to start")
    wait_status(cloud, sid, "ACTIVE")


def test_flavor_extra_spec_fails_the_first_build_of_each_server(cloud):
    response = cloud.post("/v2.1/flavors/1/os-extra_specs", json={
        "extra_specs": {"minova:build_fail_times": "1"}})
    assert response.status_code == 200, response.text
    for sid in (boot(cloud, name="a")["id"], boot(cloud, name="b")["id"]):
        wait_status(cloud, sid, "ERROR")
        assert _fault(cloud, sid)["message"] == (
            "Scripted build failure (attempt 1 of the first 1 that fail)")


def test_rebuilds_count_as_build_attempts_of_the_server(cloud):
    sid = boot(cloud)["id"]
    wait_status(cloud, sid, "ACTIVE")
    # Attempt 1 was the build: attempt 2 (a rebuild) fails, 3 succeeds.
    response = cloud.put("/v2.1/servers/%s/metadata/minova:build_fail_times"
                         % sid, json={"meta": {
                             "minova:build_fail_times": "2"}})
    assert response.status_code == 200, response.text
    rebuild = {"rebuild": {"imageRef": servers_test.IMAGE}}
    assert action(cloud, sid, rebuild).status_code == 202
    server = wait_status(cloud, sid, "ERROR")
    assert server["fault"]["message"] == (
        "Scripted build failure (attempt 2 of the first 2 that fail)")
    assert action(cloud, sid, rebuild).status_code == 202
    wait_status(cloud, sid, "ACTIVE")
    assert [r for r, _ in _events(cloud, sid, "compute_rebuild_instance")] \
        == ["Error", "Success"]


@pytest.mark.backends("rpc")
def test_stop_fails_first_time_then_succeeds(cloud):
    sid = boot(cloud, metadata={"minova:stop_fail_times": "1",
                                "minova:stop_fail": "guest agent hung"})[
        "id"]
    wait_status(cloud, sid, "ACTIVE")
    assert action(cloud, sid, {"os-stop": None}).status_code == 202
    server = _settled(cloud, sid)
    # As Nova: the server stays as it was, the event says why.
    assert (server["status"], server["OS-EXT-STS:power_state"]) == (
        "ACTIVE", 1)
    assert _events(cloud, sid, "compute_stop_instance") == [
        ("Error", "guest agent hung")]
    assert action(cloud, sid, {"os-stop": None}).status_code == 202
    wait_status(cloud, sid, "SHUTOFF")
    assert [r for r, _ in _events(cloud, sid, "compute_stop_instance")] \
        == ["Error", "Success"]


def test_failed_reboot_is_error_like_nova(cloud):
    sid = boot(cloud, metadata={"minova:reboot_fail": "kernel panic"})["id"]
    wait_status(cloud, sid, "ACTIVE")
    assert action(cloud, sid, {"reboot": {"type": "HARD"}}).status_code \
        == 202
    server = wait_status(cloud, sid, "ERROR")
    assert server["fault"]["message"] == "kernel panic"
    assert _events(cloud, sid, "compute_reboot_instance") == [
        ("Error", "kernel panic")]


def test_failed_delete_is_error_and_can_be_deleted_again(cloud):
    sid = boot(cloud, metadata={"minova:delete_fail_times": "1"})["id"]
    wait_status(cloud, sid, "ACTIVE")
    assert cloud.delete("/v2.1/servers/%s" % sid).status_code == 204
    server = wait_status(cloud, sid, "ERROR")
    assert server["fault"]["message"].startswith("Scripted delete failure")
    assert cloud.delete("/v2.1/servers/%s" % sid).status_code == 204
    wait_for(lambda: cloud.get("/v2.1/servers/%s" % sid).status_code
             == 404, what="the second delete")


def test_global_option_and_server_metadata_wins(cloud, conf):
    conf.set_override("start_fail", "no power", group="fake_driver")
    failing = boot(cloud, name="a")["id"]
    exempt = boot(cloud, name="b", metadata={"minova:start_fail": ""})["id"]
    for sid in (failing, exempt):
        wait_status(cloud, sid, "ACTIVE")
        assert action(cloud, sid, {"os-stop": None}).status_code == 202
        wait_status(cloud, sid, "SHUTOFF")
        assert action(cloud, sid, {"os-start": None}).status_code == 202
    wait_status(cloud, exempt, "ACTIVE")
    assert _settled(cloud, failing)["status"] == "SHUTOFF"
    assert _events(cloud, failing, "compute_start_instance") == [
        ("Error", "no power")]


@pytest.mark.parametrize("value", ["soon", "-1", "1e9"])
def test_a_bad_value_fails_the_operation_and_says_which_key(cloud, value):
    sid = boot(cloud, metadata={"minova:build_delay": value})["id"]
    server = wait_status(cloud, sid, "ERROR")
    assert server["fault"]["message"].startswith(
        "Invalid server metadata minova:build_delay: '%s' is not a number "
        "of seconds" % value)


def test_nothing_scripted_by_default(cloud):
    sid = boot(cloud)["id"]
    wait_status(cloud, sid, "ACTIVE")
    for body, status in (({"os-stop": None}, "SHUTOFF"),
                         ({"os-start": None}, "ACTIVE"),
                         ({"reboot": {"type": "SOFT"}}, "ACTIVE")):
        assert action(cloud, sid, body).status_code == 202
        assert _settled(cloud, sid)["status"] == status
    assert cloud.delete("/v2.1/servers/%s" % sid).status_code == 204
    wait_for(lambda: cloud.get("/v2.1/servers/%s" % sid).status_code
             == 404, what="the delete")


def test_the_openstack_cli_examples_of_the_docs(cloud, tmp_path):
    """docs/api.md's CLI recipe: a delete that fails once, then works."""
    cli_test = pytest.importorskip("tests.functional.test_openstack_cli")
    if not os.path.exists(cli_test.OPENSTACK):
        pytest.skip("python-openstackclient is not installed")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("OS_")}
    env.update({"OS_AUTH_TYPE": "admin_token", "OS_TOKEN": "admin:admin",
                "OS_ENDPOINT": cloud.base_url + "/v2.1",
                "OS_IDENTITY_API_VERSION": "3",
                "OS_IDENTITY_ENDPOINT_OVERRIDE": cloud.base_url + "/v2.1",
                "HOME": str(tmp_path)})

    def cli(*args):
        result = subprocess.run([cli_test.OPENSTACK, *args], env=env,
                                capture_output=True, text=True,
                                timeout=120, check=False)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    cli("flavor", "set", "--property", "minova:build_delay=0.2", "m1.tiny")
    created = json.loads(cli(
        "server", "create", "--flavor", "m1.tiny", "--image",
        servers_test.IMAGE, "--nic", "none", "--property",
        "minova:delete_fail_times=1", "--wait", "-f", "json", "vm1"))
    assert created["status"] == "ACTIVE"
    cli("server", "delete", "vm1")
    server = wait_status(cloud, created["id"], "ERROR")
    assert server["fault"]["message"].startswith("Scripted delete failure")
    cli("server", "delete", "--wait", "vm1")
    assert cloud.get("/v2.1/servers/%s" % created["id"]).status_code == 404

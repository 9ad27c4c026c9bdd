"""pause/unpause, suspend/resume, lock/unlock and rebuild over real HTTP
(issue 9, RES2): each action's state machine, its 409s, the lock's rules
and the microversion gates of ``locked_reason``."""

from __future__ import annotations

import pytest

from minova.api.openstack import api_version
from tests.functional import test_api_servers as servers_test
from tests.functional.test_api_servers import ALICE
from tests.functional.test_api_servers import BOB
from tests.functional.test_api_servers import IMAGE
from tests.functional.test_api_servers import action
from tests.functional.test_api_servers import boot
from tests.functional.test_api_servers import show
from tests.functional.test_api_servers import wait_status
from tests.functional.test_api_services import _fault

cloud = servers_test.cloud  # the fixture: API, scheduler, one compute


@pytest.fixture(autouse=True)
def _versions_up_to_2_84(monkeypatch):
    # The MV part of issue 9 raises the maximum; here only the gates of
    # this part are exercised.
    monkeypatch.setattr(api_version, "MAX_VERSION", "2.84")


@pytest.fixture
def server(cloud):
    sid = boot(cloud, token=ALICE)["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    return sid


def _accepted(response):
    assert response.status_code == 202, response.text


@pytest.mark.parametrize("there, back, status", [
    ("pause", "unpause", "PAUSED"),
    ("suspend", "resume", "SUSPENDED"),
])
def test_pause_and_suspend_go_there_and_back(cloud, server, there, back,
                                             status):
    _accepted(action(cloud, server, {there: None}, token=ALICE))
    shown = wait_status(cloud, server, status, token=ALICE)
    power = {"PAUSED": 3, "SUSPENDED": 7}[status]
    assert shown["OS-EXT-STS:vm_state"] == status.lower()
    assert shown["OS-EXT-STS:power_state"] == power
    # Not again, and nothing else a paused/suspended server refuses.
    _fault(action(cloud, server, {there: None}, token=ALICE),
           "conflictingRequest", 409)
    _fault(action(cloud, server, {"os-stop": None}, token=ALICE),
           "conflictingRequest", 409)
    _fault(action(cloud, server, {"reboot": {"type": "SOFT"}},
                  token=ALICE), "conflictingRequest", 409)
    _accepted(action(cloud, server, {back: None}, token=ALICE))
    shown = wait_status(cloud, server, "ACTIVE", token=ALICE)
    assert shown["OS-EXT-STS:power_state"] == 1


@pytest.mark.parametrize("name", ["unpause", "resume"])
def test_unpause_and_resume_of_an_active_server_are_409(cloud, server,
                                                        name):
    message = _fault(action(cloud, server, {name: None}, token=ALICE),
                     "conflictingRequest", 409)
    assert "vm_state active" in message


def test_a_stopped_server_cannot_be_paused_or_suspended(cloud, server):
    _accepted(action(cloud, server, {"os-stop": None}, token=ALICE))
    wait_status(cloud, server, "SHUTOFF", token=ALICE)
    for name in ("pause", "suspend"):
        _fault(action(cloud, server, {name: None}, token=ALICE),
               "conflictingRequest", 409)


def test_an_action_in_flight_makes_another_409(cloud, server, monkeypatch):
    """While the compute pauses, the task is set: a second action is a
    409 (the compare-and-swap of the task state)."""
    from eventlet import event

    from minova.virt import fake

    # The pause holds until the second action was answered: no timing.
    release = event.Event()

    def held_pause(self, context, instance):
        release.wait()
        self.instances[instance.uuid] = 3
    monkeypatch.setattr(fake.FakeDriver, "pause", held_pause)
    _accepted(action(cloud, server, {"pause": None}, token=ALICE))
    try:
        _fault(action(cloud, server, {"suspend": None}, token=ALICE),
               "conflictingRequest", 409)
    finally:
        release.send()
    wait_status(cloud, server, "PAUSED", token=ALICE)


def test_lock_blocks_the_owner_not_an_admin(cloud, server):
    assert show(cloud, server, token=ALICE, version="2.9")["locked"] is False
    _accepted(action(cloud, server, {"lock": None}, token=ALICE))
    assert show(cloud, server, token=ALICE, version="2.9")["locked"] is True
    assert "locked" not in show(cloud, server, token=ALICE, version="2.8")
    for body in ({"pause": None}, {"suspend": None}, {"os-stop": None},
                 {"reboot": {"type": "HARD"}},
                 {"rebuild": {"imageRef": IMAGE}}):
        message = _fault(action(cloud, server, body, token=ALICE),
                         "conflictingRequest", 409)
        assert "is locked" in message
    _fault(cloud.delete("/v2.1/servers/%s" % server, token=ALICE),
           "conflictingRequest", 409)
    # Locking again is a no-op for the owner.
    _accepted(action(cloud, server, {"lock": None}, token=ALICE))
    # An admin is not held back by the lock.
    _accepted(action(cloud, server, {"pause": None}))
    wait_status(cloud, server, "PAUSED", token=ALICE)
    _accepted(action(cloud, server, {"unlock": None}, token=ALICE))
    assert show(cloud, server, token=ALICE, version="2.9")["locked"] is False
    _accepted(action(cloud, server, {"unpause": None}, token=ALICE))
    wait_status(cloud, server, "ACTIVE", token=ALICE)


def test_the_owner_cannot_unlock_an_admins_lock(cloud, server):
    _accepted(action(cloud, server, {"lock": None}))
    _fault(action(cloud, server, {"unlock": None}, token=ALICE),
           "forbidden", 403)
    assert show(cloud, server, token=ALICE, version="2.9")["locked"] is True
    _accepted(action(cloud, server, {"unlock": None}))
    assert show(cloud, server, token=ALICE, version="2.9")["locked"] is False


def test_another_project_cannot_lock(cloud, server):
    _fault(action(cloud, server, {"lock": None}, token=BOB),
           "itemNotFound", 404)


def test_locked_reason_from_2_73(cloud, server):
    body = {"lock": {"locked_reason": "maintenance"}}
    # Before 2.73 the lock's body is not looked at (as Nova).
    assert cloud.post("/v2.1/servers/%s/action" % server, json=body,
                      token=ALICE, version="2.72").status_code == 202
    shown = show(cloud, server, token=ALICE, version="2.73")
    assert (shown["locked"], shown["locked_reason"]) == (True, None)
    _accepted(action(cloud, server, {"unlock": None}, token=ALICE))
    assert cloud.post("/v2.1/servers/%s/action" % server, json=body,
                      token=ALICE, version="2.73").status_code == 202
    shown = show(cloud, server, token=ALICE, version="2.73")
    assert (shown["locked"], shown["locked_reason"]) == (True,
                                                         "maintenance")
    assert "locked_reason" not in show(cloud, server, token=ALICE,
                                       version="2.72")
    _accepted(action(cloud, server, {"unlock": None}, token=ALICE))
    shown = show(cloud, server, token=ALICE, version="2.73")
    assert (shown["locked"], shown["locked_reason"]) == (False, None)
    _fault(cloud.post("/v2.1/servers/%s/action" % server,
                      json={"lock": {"locked_reason": ""}}, token=ALICE,
                      version="2.73"), "badRequest", 400)


def test_rebuild_changes_image_name_and_metadata(cloud, server):
    other = "a4a4f6d1-2a68-4b0f-9a52-2bcb0d1a0c4e"
    response = action(cloud, server, {"rebuild": {
        "imageRef": IMAGE, "name": "renamed", "metadata": {"k": "v"}}},
        token=ALICE)
    _accepted(response)
    view = response.json()["server"]
    assert (view["id"], view["name"], view["metadata"]) == (
        server, "renamed", {"k": "v"})
    assert view["status"] == "REBUILD"
    shown = wait_status(cloud, server, "ACTIVE", token=ALICE)
    assert shown["name"] == "renamed"
    assert shown["image"]["id"] == IMAGE
    message = _fault(action(cloud, server, {"rebuild": {"imageRef": other}},
                            token=ALICE), "badRequest", 400)
    assert "image" in message.lower()


def test_rebuild_of_a_stopped_server_leaves_it_stopped(cloud, server):
    _accepted(action(cloud, server, {"os-stop": None}, token=ALICE))
    wait_status(cloud, server, "SHUTOFF", token=ALICE)
    _accepted(action(cloud, server, {"rebuild": {"imageRef": IMAGE}},
                     token=ALICE))
    shown = wait_status(cloud, server, "SHUTOFF", token=ALICE)
    assert shown["OS-EXT-STS:task_state"] is None
    assert shown["OS-EXT-STS:power_state"] == 4


def test_rebuild_is_409_when_paused_and_400_for_bad_bodies(cloud, server):
    _accepted(action(cloud, server, {"pause": None}, token=ALICE))
    wait_status(cloud, server, "PAUSED", token=ALICE)
    _fault(action(cloud, server, {"rebuild": {"imageRef": IMAGE}},
                  token=ALICE), "conflictingRequest", 409)
    for body in ({"rebuild": {}}, {"rebuild": {"imageRef": IMAGE,
                                               "adminPass": "x"}},
                 {"rebuild": None}):
        _fault(action(cloud, server, body, token=ALICE), "badRequest", 400)


def test_rebuild_that_fails_is_error_with_a_fault(cloud, monkeypatch):
    sid = boot(cloud, token=ALICE)["id"]
    wait_status(cloud, sid, "ACTIVE", token=ALICE)
    from minova.virt import fake

    def broken(self, context, instance, image_ref,
               preserve_ephemeral=False):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(fake.FakeDriver, "rebuild", broken)
    _accepted(action(cloud, sid, {"rebuild": {"imageRef": IMAGE}},
                     token=ALICE))
    shown = wait_status(cloud, sid, "ERROR", token=ALICE)
    assert "disk on fire" in shown["fault"]["message"]
    monkeypatch.undo()
    monkeypatch.setattr(api_version, "MAX_VERSION", "2.84")
    # ERROR may be rebuilt: the way back.
    _accepted(action(cloud, sid, {"rebuild": {"imageRef": IMAGE}},
                     token=ALICE))
    wait_status(cloud, sid, "ACTIVE", token=ALICE)


@pytest.mark.parametrize("name", ["pause", "unpause", "suspend", "resume",
                                  "lock", "unlock", "rebuild"])
def test_actions_on_unknown_servers_are_404(cloud, name):
    body = {name: {"imageRef": IMAGE} if name == "rebuild" else None}
    _fault(action(cloud, "00000000-0000-0000-0000-000000000000", body),
           "itemNotFound", 404)


def test_locked_filter_from_2_73(cloud, server):
    other = boot(cloud, name="other", token=ALICE)["id"]
    _accepted(action(cloud, server, {"lock": None}, token=ALICE))

    def listed(query, version="2.73"):
        response = cloud.get("/v2.1/servers%s" % query, token=ALICE,
                             version=version)
        assert response.status_code == 200, response.text
        return {s["id"] for s in response.json()["servers"]}
    assert listed("?locked=true") == {server}
    assert listed("?locked=False") == {other}
    # Before 2.73 it is an unknown filter, ignored.
    assert listed("?locked=true", version="2.72") == {server, other}
    _fault(cloud.get("/v2.1/servers?locked=maybe", token=ALICE,
                     version="2.73"), "badRequest", 400)

"""The conductor calls a compute makes per boot (conductor RPC 1.5: an
instance save carries the action events around it), and the same events
recorded through the old calls for a conductor capped below 1.5. The
first and third tests run on every database backend (the save and its
events share one transaction of Core statements)."""

from __future__ import annotations

import collections
from typing import Any

import pytest
import sqlalchemy as sa

from minova import exception
from minova.compute import vm_states
from minova.db import instance_actions as db_actions
from minova.objects import instance as instance_obj
from minova.objects import instance_action as action_obj
from tests.compute_fixtures import start_compute
from tests.compute_fixtures import wait_for_state
from tests.utils import wait_for

_COUNTED = ("object_action", "action_event_start", "action_event_finish",
            "instance_save_with_events")
_BUILD = "compute__do_build_and_run_instance"


@pytest.fixture
def calls(conductor: Any,
          monkeypatch: pytest.MonkeyPatch) -> collections.Counter:
    """The conductor methods the compute calls for its instances, by name
    (the RPC server looks each endpoint method up by name when a message
    arrives)."""
    counted: collections.Counter = collections.Counter()
    manager = conductor.manager
    for name in _COUNTED:
        method = getattr(manager, name)

        def counting(*args: Any, _name: str = name, _method: Any = method,
                     **kwargs: Any) -> Any:
            # The compute's resource reports save its node meanwhile.
            objinst = kwargs.get("objinst")
            if objinst is None or objinst.obj_name() == "Instance":
                counted[_name] += 1
            return _method(*args, **kwargs)
        monkeypatch.setattr(manager, name, counting)
    return counted


def _boot_and_wait(compute_api: Any, user_context: Any, admin_context: Any,
                   flavor: Any) -> Any:
    [inst] = compute_api.create(user_context, flavor, "cirros", "rt")
    wait_for_state(user_context, inst.uuid, vm_states.ACTIVE)
    return _build_event(admin_context, user_context, inst.uuid)


def _build_event(admin_context: Any, user_context: Any,
                 uuid: str) -> Any:
    """The build's event of the request, once it has finished."""
    def finished() -> Any:
        action = action_obj.InstanceAction.get_by_request_id(
            admin_context, uuid, user_context.request_id)
        events = action_obj.InstanceActionEventList.get_by_action(
            admin_context, action.id)
        done = [e for e in events if e.event == _BUILD and e.finish_time]
        return done or None
    [event] = wait_for(finished, what="the build event finished")
    return event


def _assert_recorded(event: Any) -> None:
    assert event.result == "Success"
    assert event.host == "compute1"
    assert event.finish_time >= event.start_time
    assert event.traceback is None


@pytest.mark.backends("db")
def test_a_boot_costs_the_compute_two_conductor_calls(
        conf, transport, scheduler, launched, calls, compute_api,
        user_context, admin_context, tiny_flavor):
    start_compute(conf, transport, launched)
    calls.clear()  # the compute's start-up
    event = _boot_and_wait(compute_api, user_context, admin_context,
                           tiny_flavor)
    assert dict(calls) == {"instance_save_with_events": 2}
    _assert_recorded(event)


def test_a_conductor_capped_at_1_4_gets_the_old_calls(
        conf, transport, scheduler, launched, calls, compute_api,
        user_context, admin_context, tiny_flavor):
    conf.set_override("conductor", "1.4", group="upgrade_levels")
    start_compute(conf, transport, launched)
    calls.clear()
    event = _boot_and_wait(compute_api, user_context, admin_context,
                           tiny_flavor)
    assert dict(calls) == {"action_event_start": 1, "object_action": 2,
                           "action_event_finish": 1}
    _assert_recorded(event)


@pytest.mark.backends("db")
def test_a_save_that_loses_a_race_still_records_its_event(
        conf, transport, scheduler, launched, calls, compute_api,
        user_context, admin_context, tiny_flavor, monkeypatch):
    """The SPAWNING save fails (the server was deleted meanwhile): the
    start it carried is written, and the compute finishes the event."""
    compute = start_compute(conf, transport, launched)
    build = compute.manager.build_and_run_instance

    def delete_first(context: Any, instance: Any, *args: Any,
                     **kwargs: Any) -> Any:
        # Another request (its own request id, so its own action).
        compute_api.delete(admin_context, instance_obj.Instance.get_by_uuid(
            admin_context, instance.uuid))
        return build(context, instance, *args, **kwargs)
    monkeypatch.setattr(compute.manager, "build_and_run_instance",
                        delete_first)
    [inst] = compute_api.create(user_context, tiny_flavor, "cirros", "gone")

    event = _build_event(admin_context, user_context, inst.uuid)
    assert event.result == "Success"
    # Only a started event has its host (a finish alone writes none).
    assert event.host == "compute1"
    assert calls["instance_save_with_events"] == 1
    assert calls["action_event_finish"] == 1
    assert calls["action_event_start"] == 0
    with pytest.raises(exception.InstanceNotFound):
        instance_obj.Instance.get_by_uuid(admin_context, inst.uuid)


def test_an_event_write_that_fails_rolls_back_and_is_done_again(
        conf, transport, scheduler, launched, calls, compute_api,
        user_context, admin_context, tiny_flavor, monkeypatch):
    """The save and its events share one transaction: when the event's
    end fails with a database error (not a missing action), the save is
    rolled back with it, then done again with each write on its own. The
    server still goes ACTIVE and the event is recorded once."""
    start_compute(conf, transport, launched)
    finish = db_actions.event_finish
    failures = []

    def fail_once(*args: Any, **kwargs: Any) -> Any:
        if not failures:
            failures.append(1)
            raise sa.exc.OperationalError("UPDATE", {}, Exception("gone"))
        return finish(*args, **kwargs)
    monkeypatch.setattr(db_actions, "event_finish", fail_once)
    [inst] = compute_api.create(user_context, tiny_flavor, "cirros", "rt")
    wait_for_state(user_context, inst.uuid, vm_states.ACTIVE)
    _assert_recorded(_build_event(admin_context, user_context, inst.uuid))
    assert failures == [1]
    action = action_obj.InstanceAction.get_by_request_id(
        admin_context, inst.uuid, user_context.request_id)
    events = action_obj.InstanceActionEventList.get_by_action(
        admin_context, action.id)
    assert [e.event for e in events].count(_BUILD) == 1


def test_a_save_sends_back_only_what_it_changed(
        conf, transport, scheduler, launched, conductor, compute_api,
        user_context, admin_context, tiny_flavor, monkeypatch):
    """The compute's copy of the instance gets the fields its saves
    changed, not the flavor and metadata it already holds."""
    start_compute(conf, transport, launched)
    replies: list = []
    save = conductor.manager.instance_save_with_events

    def recording(*args: Any, **kwargs: Any) -> Any:
        reply = save(*args, **kwargs)
        replies.append(reply)
        return reply
    monkeypatch.setattr(conductor.manager, "instance_save_with_events",
                        recording)
    _boot_and_wait(compute_api, user_context, admin_context, tiny_flavor)
    assert len(replies) == 2
    for reply in replies:
        assert "updated_at" in reply
        assert not {"flavor", "metadata"} & set(reply)

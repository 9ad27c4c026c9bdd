"""Stopping a service drains the work in flight: it waits for it (saying
what it waits for), and what it abandons at graceful_shutdown_timeout
ends visibly (a build in ERROR with a fault), never in BUILD."""

from __future__ import annotations

import logging
import time

import eventlet
import pytest
from oslo_service import service as os_service

from minova import inflight
from minova.compute import vm_states
from minova.objects import instance as instance_obj
from minova.objects import instance_action as action_obj
from tests import fixtures
from tests.compute_fixtures import start_compute
from tests.compute_fixtures import wait_for_state
from tests.utils import wait_for


@pytest.fixture
def shutdown_timeout(conf):
    """oslo.service's graceful_shutdown_timeout, which the launcher
    registers in a real process."""
    for group, opts in os_service.list_opts():
        conf.register_opts(opts, group=group)

    def set_timeout(seconds: int) -> None:
        conf.set_override("graceful_shutdown_timeout", seconds)
    return set_timeout


def _stop(server, launched) -> float:
    launched.remove(server)
    started = time.monotonic()
    server.stop()
    server.wait()
    return time.monotonic() - started


def _builds_in_flight(server, count):
    return wait_for(
        lambda: len(server.manager.inflight.entries("build")) == count,
        what="%d builds in flight" % count)


def test_stop_waits_for_builds_and_names_them(conf, transport, scheduler,
                                              compute_api, user_context,
                                              tiny_flavor, launched,
                                              shutdown_timeout, caplog):
    shutdown_timeout(60)
    conf.set_override("spawn_delay", 2, group="fake_driver")
    compute = start_compute(conf, transport, launched)
    instances = compute_api.create(user_context, tiny_flavor, "cirros",
                                   "slow", min_count=3, max_count=3)
    _builds_in_flight(compute, 3)
    caplog.set_level(logging.INFO, logger="minova.inflight")
    took = _stop(compute, launched)
    assert took < 30
    for inst in instances:
        assert instance_obj.Instance.get_by_uuid(
            user_context, inst.uuid).vm_state == vm_states.ACTIVE
    waiting = [r.getMessage() for r in caplog.records
               if "waiting for work in flight" in r.getMessage()]
    assert waiting
    for inst in instances:
        assert inst.uuid in waiting[0]
    assert "build_and_run_instance" in waiting[0]
    assert not [r for r in caplog.records if "abandoned" in r.getMessage()]


def test_builds_abandoned_at_the_timeout_end_in_error(
        conf, transport, scheduler, compute_api, user_context,
        admin_context, tiny_flavor, launched, shutdown_timeout, caplog):
    shutdown_timeout(4)  # a drain of 2 s (less a margin, minova.service)
    conf.set_override("spawn_delay", 60, group="fake_driver")
    compute = start_compute(conf, transport, launched)
    instances = compute_api.create(user_context, tiny_flavor, "cirros",
                                   "stuck", min_count=3, max_count=3)
    _builds_in_flight(compute, 3)
    took = _stop(compute, launched)
    assert took < 10
    abandoned = [r.getMessage() for r in caplog.records
                 if "abandoned after" in r.getMessage()]
    assert len(abandoned) == 1
    for inst in instances:
        assert inst.uuid in abandoned[0]
        failed = wait_for_state(user_context, inst.uuid, vm_states.ERROR)
        assert failed.task_state is None and failed.host is None
        assert "stopped during the build" in failed.fault.message

    def build_event_finished(uuid):
        [action] = action_obj.InstanceActionList.get_by_instance_uuid(
            admin_context, uuid)
        events = action_obj.InstanceActionEventList.get_by_action(
            admin_context, action.id)
        return [e for e in events if e.finish_time is not None]
    # The build's action event says why it ended, too.
    for inst in instances:
        [event] = wait_for(lambda u=inst.uuid: build_event_finished(u),
                           what="the build's event finished")
        assert event.result == "Error"
        assert "stopped during the build" in event.details
    # The handlers were ended, not left to finish later.
    wait_for(lambda: not compute.manager.inflight.entries(),
             what="the abandoned handlers to end")
    assert compute.manager.driver.instances == {}


def test_api_stop_waits_for_a_request_in_flight(conf, transport, db,
                                                conductor, launched,
                                                shutdown_timeout, caplog):
    shutdown_timeout(60)
    server = fixtures.start_api(conf, transport, db, launched)
    tracker = server.inflight
    # A request held in the app: the tracker entry the wrapper makes.
    token = tracker.start("api", "GET /v2.1/servers/{server_id}")
    caplog.set_level(logging.INFO, logger="minova.inflight")
    eventlet.spawn_after(1.5, tracker.finish, token)
    took = _stop(server, launched)
    assert 1 <= took < 30
    assert any("GET /v2.1/servers/{server_id}" in r.getMessage()
               for r in caplog.records)


def test_describe_lists_oldest_first_by_kind():
    tracker = inflight.Tracker()
    tracker.start("build", "uuid-1")
    tracker.start("rpc", "build_and_run_instance")
    text = tracker.describe()
    assert text.startswith("rpc: build_and_run_instance (")
    assert "; build: uuid-1 (" in text

"""The service framework, with real services over the test transport."""

from __future__ import annotations

import datetime
import logging
import sys
import time

import eventlet
import pytest
from oslo_utils import timeutils

from minova import baserpc
from minova import conductor as conductor_pkg
from minova import context as minova_context
from minova import exception
from minova import service
from minova import servicegroup
from minova.db import services as db_services
from minova.objects import service as service_obj
from tests.utils import wait_for

# Every test here runs on the in-process transport and on RabbitMQ.
pytestmark = pytest.mark.backends("rpc")


def test_create_defaults_come_from_binary_and_conf(conf, transport, db,
                                                   monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/usr/bin/minova-conductor"])
    conf.set_override("report_interval", 7)
    conf.set_override("periodic_fuzzy_delay", 3)
    server = service.Service.create(conf, transport, db=db)
    assert server.host == "test-host"
    assert server.binary == "minova-conductor"
    assert server.topic == "conductor"
    assert server.manager_class_name == conf.conductor.manager
    assert server.manager.service_name == "conductor"
    assert server.report_interval == 7
    assert server.periodic_fuzzy_delay == 3
    assert server.periodic_enable is True


def test_unknown_manager_is_a_clear_error(conf, transport, db):
    with pytest.raises(exception.ManagerImportError) as info:
        service.Service.create(conf, transport, binary="minova-conductor",
                               manager="minova.nowhere.Manager", db=db)
    assert "minova.nowhere.Manager" in str(info.value)
    assert "minova-conductor" in str(info.value)


def test_binary_without_manager_option_is_a_clear_error(conf, transport, db):
    with pytest.raises(exception.ManagerImportError) as info:
        service.Service.create(conf, transport, binary="minova-unknown",
                               db=db)
    assert "[unknown] manager" in str(info.value)


def test_ping_round_trips_through_base_rpc(conf, transport, conductor):
    api = baserpc.BaseAPI(conf, transport, topic="conductor")
    ctxt = minova_context.get_admin_context()
    assert api.ping(ctxt, {"x": 1}, timeout=5) == {
        "service": "conductor", "arg": {"x": 1}}
    assert api.get_backdoor_port(ctxt, "test-host") is None


def test_start_registers_the_service_row(conductor, admin_context):
    row = service_obj.Service.get_by_host_and_binary(
        admin_context, "test-host", "minova-conductor")
    assert row.id == conductor.service_ref.id
    assert row.topic == "conductor"


def test_heartbeats_raise_report_count(conf, transport, db, launched,
                                       admin_context):
    server = service.Service.create(
        conf, transport, binary="minova-conductor", topic="conductor",
        manager=conf.conductor.manager, db=db, report_interval=1,
        periodic_enable=False)
    server.start()
    launched.append(server)
    wait_for(lambda: service_obj.Service.get_by_id(
        admin_context, server.service_ref.id).report_count >= 2,
        timeout=10, what="two heartbeats")


def test_service_without_db_waits_for_the_conductor(conf, transport, db,
                                                    launched, caplog):
    """A service that may not use the DB blocks until a conductor answers
    and warns on each timed-out ping."""
    caplog.set_level(logging.INFO, logger="minova.conductor.api")
    api = conductor_pkg.API(conf, transport, use_local=False)
    ctxt = minova_context.get_admin_context()
    waiter = eventlet.spawn(api.wait_until_ready, ctxt, early_timeout=0.2,
                            early_attempts=100)
    wait_for(lambda: "Timed out waiting for minova-conductor" in caplog.text,
             what="the waiting warning")
    assert not waiter.dead
    server = service.Service.create(conf, transport,
                                    binary="minova-conductor",
                                    topic="conductor",
                                    manager=conf.conductor.manager, db=db,
                                    periodic_enable=False)
    server.start()
    launched.append(server)
    waiter.wait()
    assert "Successfully established connection to minova-conductor" \
        in caplog.text


def test_service_without_db_registers_through_the_conductor(
        conf, transport, conductor, launched, admin_context):
    server = service.Service.create(
        conf, transport, host="remote-host", binary="minova-conductor",
        topic="other", manager=conf.conductor.manager, db_allowed=False,
        periodic_enable=False)
    assert server.db is None
    server.start()
    launched.append(server)
    row = service_obj.Service.get_by_host_and_binary(
        admin_context, "remote-host", "minova-conductor")
    assert row.id == server.service_ref.id


def test_is_up_follows_heartbeat_age_and_forced_down(conf, admin_context):
    group = servicegroup.API(conf)
    conf.set_override("service_down_time", 60)
    svc = service_obj.Service(admin_context, host="h", binary="minova-x",
                              topic="x")
    svc.create()
    assert group.is_up(svc)
    svc.updated_at = timeutils.utcnow() - datetime.timedelta(seconds=61)
    assert not group.is_up(svc)
    svc.updated_at = timeutils.utcnow()
    svc.forced_down = True
    assert not group.is_up(svc)


def test_stopped_service_goes_down(conf, transport, db, launched,
                                   admin_context):
    conf.set_override("service_down_time", 1)
    group = servicegroup.API(conf)
    server = service.Service.create(
        conf, transport, binary="minova-conductor", topic="conductor",
        manager=conf.conductor.manager, db=db, report_interval=1,
        periodic_enable=False)
    server.start()
    launched.append(server)

    def up() -> bool:
        return group.is_up(service_obj.Service.get_by_id(
            admin_context, server.service_ref.id))

    assert up()
    server.stop()
    wait_for(lambda: not up(), timeout=10, what="service reported down")


class _RacingConductor:
    """Says 'no row' once although a sibling has just created it."""

    def __init__(self, real):
        self.real = real
        self.misses = 1

    def service_get_by_host_and_binary(self, ctxt, host, binary):
        if self.misses:
            self.misses -= 1
            raise exception.HostBinaryNotFound(host=host, binary=binary)
        return self.real.service_get_by_host_and_binary(ctxt, host, binary)

    def service_create(self, ctxt, values):
        return self.real.service_create(ctxt, values)


def test_losing_the_create_race_reuses_the_winners_row(conf, transport, db,
                                                       admin_context):
    first = service.Service.create(conf, transport,
                                   binary="minova-conductor",
                                   topic="conductor", db=db,
                                   periodic_enable=False)
    first._register()
    second = service.Service.create(conf, transport,
                                    binary="minova-conductor",
                                    topic="conductor", db=db,
                                    periodic_enable=False)
    second.conductor_api = _RacingConductor(second.conductor_api)
    second._register()
    assert second.service_ref.id == first.service_ref.id
    rows = db_services.get_all(db, host="test-host",
                               binary="minova-conductor")
    assert len(rows) == 1


def test_concurrent_starts_end_with_one_row(conf, transport, db, launched):
    servers = [service.Service.create(conf, transport,
                                      binary="minova-conductor",
                                      topic="conductor", db=db,
                                      periodic_enable=False)
               for _ in range(4)]
    for server in servers:
        launched.append(server)
    threads = [eventlet.spawn(server.start) for server in servers]
    for thread in threads:
        thread.wait()
    assert len({server.service_ref.id for server in servers}) == 1
    assert len(db_services.get_all(db, binary="minova-conductor")) == 1


def test_serve_twice_raises(conf, transport, db, launched):
    server = service.Service.create(conf, transport,
                                    binary="minova-conductor",
                                    topic="conductor", db=db,
                                    periodic_enable=False)
    service.serve(conf, server)
    wait_for(lambda: server.rpcserver is not None, what="launched start")
    with pytest.raises(RuntimeError, match="only be called once"):
        service.serve(conf, server)


def test_stop_lets_in_flight_calls_finish(conf, transport, db, launched):
    """A call being handled when stop() begins still gets its answer."""
    started = eventlet.event.Event()
    release = eventlet.event.Event()

    class SlowEndpoint:
        target = service.messaging.Target(namespace="slow", version="1.0")

        def slow(self, context):
            started.send()
            release.wait()
            return "done"

    server = service.Service.create(conf, transport,
                                    binary="minova-conductor",
                                    topic="slowtopic", db=db,
                                    manager=conf.conductor.manager,
                                    periodic_enable=False)
    server.manager.additional_endpoints.append(SlowEndpoint())
    server.start()
    client = service.rpc.get_client(
        conf, transport, service.messaging.Target(
            topic="slowtopic", namespace="slow", version="1.0"), "baseapi")
    call = eventlet.spawn(client.prepare(timeout=10).call,
                          minova_context.get_admin_context(), "slow")
    started.wait()
    stopper = eventlet.spawn(server.stop)
    eventlet.sleep(0)
    release.send()
    stopper.wait()
    assert call.wait() == "done"


def test_restarted_service_is_up_at_once(conf, transport, db, launched,
                                         admin_context):
    """A restart after a stop longer than service_down_time: up as soon
    as start returns, not one report_interval later."""
    conf.set_override("service_down_time", 5)
    group = servicegroup.API(conf)
    first = service.Service.create(
        conf, transport, binary="minova-conductor", topic="conductor",
        manager=conf.conductor.manager, db=db, report_interval=60,
        periodic_enable=False)
    first.start()
    first.stop()
    first.wait()
    # As if it had been stopped for longer than service_down_time.
    row = service_obj.Service.get_by_id(admin_context, first.service_ref.id)
    row.updated_at = timeutils.utcnow() - datetime.timedelta(seconds=10)
    row.save()
    assert not group.is_up(service_obj.Service.get_by_id(admin_context,
                                                         row.id))
    second = service.Service.create(
        conf, transport, binary="minova-conductor", topic="conductor",
        manager=conf.conductor.manager, db=db, report_interval=60,
        periodic_enable=False)
    second.start()
    launched.append(second)
    assert group.is_up(service_obj.Service.get_by_id(admin_context,
                                                     row.id))


def test_stop_abandons_a_heartbeat_the_conductor_never_answers(
        conf, transport, conductor, launched):
    """The conductor gone, a heartbeat waits for rpc_response_timeout;
    stopping the service does not wait for it."""
    conf.set_override("rpc_response_timeout", 30)
    server = service.Service.create(
        conf, transport, host="remote-host", binary="minova-compute",
        topic="compute", manager=conf.compute.manager, db_allowed=False,
        report_interval=1)
    server.start()
    conductor.stop()
    conductor.wait()
    in_flight = eventlet.event.Event()
    # The reports after the first are casts (service_report).
    real = server.conductor_api.service_report

    def heartbeat(*args, **kwargs):
        in_flight.send()
        return real(*args, **kwargs)

    server.conductor_api.service_report = heartbeat
    in_flight.wait()
    started = time.monotonic()
    server.stop()
    server.wait()
    assert time.monotonic() - started < 5

"""The scheduler's in-memory host state: claims under racing requests,
and the computes' reports that replace what it read."""

from __future__ import annotations

import collections
import uuid

import eventlet
import pytest

from minova import exception
from minova.objects import compute_node as node_obj
from minova.objects import service as service_obj
from minova.scheduler import rpcapi as scheduler_rpcapi
from tests.compute_fixtures import start_scheduler
from tests.utils import wait_for

HOSTS = 5
PER_HOST = 4  # 2048 MB each, 512 MB instances, ram_allocation_ratio 1
TINY = {"memory_mb": 512, "vcpus": 1, "root_gb": 1, "ephemeral_gb": 0,
        "swap": 0}


def _figures(running=0):
    return {"vcpus": 64, "memory_mb": 2048, "local_gb": 100,
            "vcpus_used": running, "memory_mb_used": 512 * running,
            "local_gb_used": running, "free_ram_mb": 2048 - 512 * running,
            "free_disk_gb": 100 - running, "running_vms": running,
            "cpu_allocation_ratio": 16.0, "ram_allocation_ratio": 1.0,
            "disk_allocation_ratio": 1.0}


@pytest.fixture
def hosts(admin_context):
    names = ["node%d" % n for n in range(HOSTS)]
    for name in names:
        service_obj.Service(admin_context, host=name,
                            binary="minova-compute", topic="compute",
                            report_count=0).create()
        node_obj.ComputeNode(admin_context, uuid=str(uuid.uuid4()),
                             host=name, hypervisor_hostname=name,
                             hypervisor_type="fake", hypervisor_version=1,
                             host_ip="192.0.2.1", **_figures()).create()
    return names


@pytest.fixture
def scheduler(conf, transport, db, conductor, launched, hosts):
    return start_scheduler(conf, transport, db, launched)


@pytest.fixture
def client(conf, transport):
    return scheduler_rpcapi.SchedulerAPI(conf, transport)


def _select(client, context):
    spec = {"flavor": dict(TINY), "num_instances": 1}
    instance = str(uuid.uuid4())
    try:
        return client.select_destinations(context, spec, [instance])[0]
    except exception.NoValidHost:
        return None


def test_fifty_racing_requests_for_the_last_slots(scheduler, client,
                                                  admin_context, hosts):
    """Room for 20; 50 requests at once: 20 placed, none overcommitted."""
    pool = eventlet.GreenPool(50)
    results = list(pool.imap(lambda _: _select(client, admin_context),
                             range(50)))
    placed = [r for r in results if r is not None]
    assert len(placed) == HOSTS * PER_HOST
    per_host = collections.Counter(r["host"] for r in placed)
    assert per_host == {host: PER_HOST for host in hosts}


@pytest.mark.backends("db")
def test_requests_during_the_first_read_wait_for_its_hosts(
        scheduler, client, admin_context, hosts):
    """A scheduler just started (or just reset) reads its hosts at the
    first request; the requests that come while that read waits on the
    database get those hosts too, not a NoValidHost (on a database whose
    driver yields to other green threads: MariaDB, PostgreSQL)."""
    pool = eventlet.GreenPool(10)
    results = list(pool.imap(lambda _: _select(client, admin_context),
                             range(10)))
    assert None not in results


def test_reports_replace_the_figures_and_end_the_claims(
        scheduler, client, admin_context, hosts):
    first = _select(client, admin_context)
    manager = scheduler.manager.host_manager
    assert first["instance_uuid"] in manager.pending
    # The compute reports the instance: its figures count it, the claim
    # ends, and the room left is the same.
    client.update_instance_info(admin_context, first["host"],
                                [first["instance_uuid"]], [],
                                node=dict(_figures(running=1),
                                          hypervisor_hostname=first["host"]))

    def reported():
        return first["instance_uuid"] not in manager.pending
    _wait(reported)
    placed = [_select(client, admin_context) for _ in range(HOSTS * PER_HOST)]
    assert placed.count(None) == 1
    per_host = collections.Counter(r["host"] for r in placed if r)
    assert per_host[first["host"]] == PER_HOST - 1


def test_a_released_placement_frees_its_room(scheduler, client,
                                             admin_context, hosts):
    placed = [_select(client, admin_context) for _ in range(HOSTS * PER_HOST)]
    assert None not in placed
    assert _select(client, admin_context) is None
    gone = placed[0]
    # The compute gave the build up (released) and its row counts nothing.
    client.update_instance_info(admin_context, gone["host"], [],
                                [gone["instance_uuid"]])
    _wait(lambda: gone["instance_uuid"]
          not in scheduler.manager.host_manager.pending)
    again = _select(client, admin_context)
    assert again is not None and again["host"] == gone["host"]


def test_a_disabled_host_is_noticed_without_a_resync(
        conf, scheduler, client, admin_context, hosts):
    conf.set_override("host_state_refresh", 0, group="scheduler")
    assert _select(client, admin_context) is not None
    for name in hosts[1:]:
        service = service_obj.Service.get_by_host_and_binary(
            admin_context, name, "minova-compute")
        service.disabled = True
        service.save()
    chosen = {_select(client, admin_context)["host"] for _ in range(3)}
    assert chosen == {hosts[0]}


def _wait(predicate):
    wait_for(predicate, timeout=10, what="the scheduler to take the report")

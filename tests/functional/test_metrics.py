"""Prometheus metrics: what /metrics shows after real work, who may read
it, and what it costs nothing to turn off."""

from __future__ import annotations

import pytest
import webob
from prometheus_client import parser

from minova import metrics
from minova.compute import vm_states
from tests import fixtures
from tests.compute_fixtures import wait_for_state
from tests.utils import wait_for


@pytest.fixture
def metrics_on(conf):
    metrics.setup(conf)
    yield metrics.get()
    metrics.teardown()


def _samples(text: str) -> list:
    return [sample for family in parser.text_string_to_metric_families(text)
            for sample in family.samples]


def _value(samples: list, metric: str, **labels: str) -> float:
    return sum(s.value for s in samples if s.name == metric
               and all(s.labels.get(k) == v for k, v in labels.items()))


def test_api_serves_what_the_services_did(metrics_on, conf, transport, db,
                                          conductor, compute, compute_api,
                                          user_context, tiny_flavor,
                                          launched):
    server = fixtures.start_api(conf, transport, db, launched)
    api = fixtures.APIClient("http://127.0.0.1:%d" % server.port)
    [inst] = compute_api.create(user_context, tiny_flavor, "cirros", "m1")
    wait_for_state(user_context, inst.uuid, vm_states.ACTIVE)
    assert api.get("/v2.1/flavors").status_code == 200
    assert api.get("/v2.1/flavors/nope").status_code == 404
    assert api.get("/v2.1/servers/%s/metadata" % inst.uuid,
                   token="alice:demo").status_code == 200

    response = api.get("/metrics", token=False)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    samples = _samples(response.text)
    # By route template, never by the id in the path.
    assert _value(samples, "minova_api_requests_total", api="osapi_compute",
                  route="/v2.1/flavors", method="GET", status="200") == 1
    assert _value(samples, "minova_api_requests_total",
                  route="/v2.1/flavors/{flavor_id}", status="404") == 1
    assert _value(samples, "minova_api_requests_total",
                  route="/v2.1/servers/{server_id}/metadata",
                  status="200") == 1
    assert not [s for s in samples if inst.uuid in str(s.labels)]
    assert _value(samples, "minova_api_request_duration_seconds_count",
                  route="/v2.1/flavors") == 1
    # The boot's casts and calls, sent and handled, and its outcome.
    assert _value(samples, "minova_rpc_sent_total", topic="compute",
                  method="build_and_run_instance", kind="cast",
                  outcome="ok") == 1
    assert _value(samples, "minova_rpc_handled_total", topic="compute",
                  method="build_and_run_instance", outcome="ok") == 1
    assert _value(samples, "minova_rpc_handled_duration_seconds_count",
                  topic="conductor") >= 1
    assert _value(samples, "minova_boots_total", outcome="active") == 1
    # The compute looked for its own row before creating it: a domain
    # error for the caller, not a failure of the conductor.
    assert _value(samples, "minova_rpc_handled_total", topic="conductor",
                  method="service_get_by_host_and_binary",
                  outcome="fault") == 1
    assert _value(samples, "minova_rpc_handled_total",
                  outcome="error") == 0
    assert _value(samples, "minova_rpc_handlers_in_flight",
                  topic="compute") == 0
    assert _value(samples, "minova_executor_pool_size", pool="wsgi",
                  name="osapi_compute") == conf.wsgi.default_pool_size
    assert _value(samples, "minova_executor_pool_size", pool="rpc",
                  name="compute") > 0
    assert _value(samples, "minova_db_pool_checkouts_total") > 0
    ages = [s for s in samples
            if s.name == "minova_service_heartbeat_age_seconds"
            and s.labels["binary"] == "minova-compute"]
    assert ages and 0 <= ages[0].value < 60


def test_boot_that_fails_is_counted_as_error(metrics_on, compute,
                                             compute_api, user_context,
                                             tiny_flavor):
    [inst] = compute_api.create(user_context, tiny_flavor, "cirros", "bad",
                                metadata={"fake_spawn_error": "no disk"})
    wait_for_state(user_context, inst.uuid, vm_states.ERROR)
    registry = metrics.get().registry
    wait_for(lambda: registry.get_sample_value(
        "minova_boots_total", {"outcome": "error"}) == 1,
        what="the failed boot counted")
    assert registry.get_sample_value("minova_boots_total",
                                     {"outcome": "active"}) is None


def _scrape(server, remote_addr: str, token: str | None = None):
    request = webob.Request.blank("/metrics", remote_addr=remote_addr)
    if token:
        request.headers["X-Auth-Token"] = token
    return request.get_response(server.app)


def test_metrics_are_for_loopback_clients_by_default(metrics_on, conf,
                                                     transport, db,
                                                     conductor, launched):
    server = fixtures.start_api(conf, transport, db, launched)
    assert _scrape(server, "127.0.0.1").status_int == 200
    assert _scrape(server, "::1").status_int == 200
    refused = _scrape(server, "192.0.2.7", token="admin:admin")
    assert refused.status_int == 403
    assert b"[metrics] access" in refused.body


def test_admin_access_lets_administrators_in(metrics_on, conf, transport,
                                             db, conductor, launched):
    conf.set_override("access", "admin", group="metrics")
    server = fixtures.start_api(conf, transport, db, launched)
    assert _scrape(server, "192.0.2.7", token="admin:admin").status_int \
        == 200
    assert _scrape(server, "192.0.2.7", token="alice:demo").status_int \
        == 403
    assert _scrape(server, "192.0.2.7").status_int in (401, 403)
    assert _scrape(server, "127.0.0.1").status_int == 200


def test_metrics_off_serves_404_and_counts_nothing(conf, api):
    assert api.get("/v2.1/flavors").status_code == 200
    assert api.get("/metrics", token=False).status_code == 404
    assert metrics.get() is metrics.OFF

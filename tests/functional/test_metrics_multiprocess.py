"""/metrics of a multi-worker minova-api: whichever worker answers, it
reports every worker's requests (prometheus_client's multiprocess mode)."""

from __future__ import annotations

import os
import signal

import pytest
import requests
from prometheus_client import multiprocess
from prometheus_client import parser

from tests.functional.test_multiprocess import _answers
from tests.functional.test_multiprocess import config_file  # noqa: F401
from tests.functional.test_multiprocess import two_worker_api
from tests.utils import children
from tests.utils import wait_for

POOL_SIZE = 1000  # [wsgi] default_pool_size's default


def _scrape(base: str) -> dict:
    # A new connection each time: any worker may answer.
    text = requests.get(base + "/metrics", timeout=10,
                        headers={"Connection": "close"}).text
    values: dict = {}
    for family in parser.text_string_to_metric_families(text):
        for sample in family.samples:
            key = (sample.name,
                   tuple(sorted(sample.labels.items())))
            values[key] = sample.value
    return values


def _flavor_requests(values: dict) -> float:
    return sum(value for (name, labels), value in values.items()
               if name == "minova_api_requests_total"
               and ("route", "/v2.1/flavors") in labels)


def _served(path: str) -> float:
    """API requests counted in one worker's own file."""
    return sum(sample.value
               for family in multiprocess.MultiProcessCollector.merge(
                   [path], accumulate=False)
               for sample in family.samples
               if sample.name == "minova_api_requests_total")


def _pool_size(values: dict) -> float:
    return sum(value for (name, labels), value in values.items()
               if name == "minova_executor_pool_size")


@pytest.mark.slow
def test_every_worker_reports_all_workers(config_file):  # noqa: F811
    path, port = config_file
    tmp = os.path.dirname(path)
    base = "http://127.0.0.1:%d" % port
    with two_worker_api(path, base) as (process, workers):
        for _ in range(20):
            response = requests.get(base + "/v2.1/flavors", timeout=10,
                                    headers={"X-Auth-Token": "admin",
                                             "Connection": "close"})
            assert response.status_code == 200
        # Ten scrapes, on new connections, reach both workers; each
        # counts the twenty requests, wherever they were served.
        for _ in range(10):
            values = _scrape(base)
            assert _flavor_requests(values) == 20
            assert _pool_size(values) == 2 * POOL_SIZE
        directory = os.path.join(tmp, "metrics", "minova-api")
        # Each worker's own file counts the API requests it answered; the
        # kernel need not spread thirty connections over both, so more
        # are sent until both have answered some.
        def both_served() -> bool:
            requests.get(base + "/", timeout=10,
                         headers={"Connection": "close"})
            files = [os.path.join(directory, "counter_%d.db" % pid)
                     for pid in workers]
            return all(os.path.exists(f) and _served(f) for f in files)
        wait_for(both_served, timeout=30, what="both workers to answer")

        # A worker killed and respawned: its requests still count, its
        # live gauges (its pool) no longer do.
        os.kill(workers[0], signal.SIGKILL)
        def respawned() -> list | None:
            # One reading per try: three could see the killed worker
            # reaped and the new one not yet started between them.
            now = children(process.pid)
            return now if len(now) == 2 and workers[0] not in now else None

        now = wait_for(respawned, timeout=30,
                       what="the worker to be respawned")
        [new] = set(now) - set(workers)
        # Until the new worker has written its own pool gauge, the dead
        # one's left in would add up to the same total.
        wait_for(lambda: any(name.startswith("gauge_live")
                             and name.endswith("_%d.db" % new)
                             for name in os.listdir(directory)),
                 timeout=30, what="the new worker's gauges")
        wait_for(lambda: _answers(base + "/"), timeout=30,
                 what="the workers to answer")

        def settled():
            values = _scrape(base)
            return (_pool_size(values) == 2 * POOL_SIZE
                    and _flavor_requests(values) == 20)
        wait_for(settled, timeout=30,
                 what="the dead worker's pool to drop out")

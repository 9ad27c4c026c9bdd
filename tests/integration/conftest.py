"""Fixtures of the multi-process integration tests.

Each test gets a RabbitMQ vhost and a database of its own (so that
closing the vhost's connections or a crashed process disturbs nobody
else) and a ``Deployment`` whose processes are all killed at the end,
whatever happened. A failing test's report carries every process's log.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import backends
from tests.integration import harness


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    deploy = getattr(item, "funcargs", {}).get("deployment")
    if report.when == "call" and report.failed and deploy is not None:
        report.sections.append(("minova process logs",
                                deploy.dump_logs()))


@pytest.fixture
def vhost_url() -> Iterator[str]:
    with backends.rabbit_vhost() as url:
        yield url


@pytest.fixture
def db_backend(request: Any) -> str:
    """MariaDB unless a test asks for another with indirect parametrize."""
    return getattr(request, "param", "mariadb")


@pytest.fixture
def deployment(tmp_path: Any, vhost_url: str,
               db_backend: str) -> Iterator[harness.Deployment]:
    with backends.database(db_backend, str(tmp_path)) as db_url:
        deploy = harness.Deployment(tmp_path, vhost_url, db_url)
        try:
            deploy.sync_db()
            yield deploy
        finally:
            deploy.stop_all()

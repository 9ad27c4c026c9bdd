"""Fixtures for the boot path: scheduler, computes and the compute API.

Every service runs in the test process over the test transport; a compute
is started as in production, without database access.
"""

from __future__ import annotations

from typing import Any

import pytest
from oslo_config import cfg

from minova import context as minova_context
from minova import service
from minova.compute import api as compute_api_mod
from minova.db import flavors as db_flavors
from minova.objects import flavor as flavor_obj
from minova.objects import instance as instance_obj
from tests import fixtures
from tests.utils import wait_for


def _instance(ctxt: Any, uuid: str, **kwargs: Any) -> Any:
    return instance_obj.Instance.get_by_uuid(ctxt, uuid, **kwargs)


def wait_for_state(ctxt: Any, uuid: str, vm_state: str,
                   task_state: str | None = None,
                   timeout: float = 10) -> Any:
    """The instance once it is in ``vm_state``/``task_state``."""
    def reached():
        inst = _instance(ctxt, uuid, expected_attrs=["fault"])
        if inst.vm_state == vm_state and inst.task_state == task_state:
            return inst
        return None
    return wait_for(reached, timeout=timeout,
                    what="instance %s %s/%s" % (uuid, vm_state, task_state))


def start_scheduler(conf: cfg.ConfigOpts, transport: Any, db: Any,
                    launched: list) -> service.Service:
    return fixtures.start_service(conf, transport, db, launched,
                                  "scheduler")


def start_compute(conf: cfg.ConfigOpts, transport: Any, launched: list,
                  host: str = "compute1") -> service.Service:
    """A minova-compute on ``host`` with no database (``db_allowed``
    False): everything it reads or writes goes through the conductor."""
    server = service.Service.create(conf, transport, host=host,
                                    binary="minova-compute",
                                    topic=conf.compute.topic,
                                    manager=conf.compute.manager,
                                    db_allowed=False, periodic_enable=False)
    server.start()
    launched.append(server)
    return server


@pytest.fixture
def scheduler(conf: cfg.ConfigOpts, transport: Any, db: Any,
              conductor: service.Service,
              launched: list) -> service.Service:
    return start_scheduler(conf, transport, db, launched)


@pytest.fixture
def compute(conf: cfg.ConfigOpts, transport: Any,
            scheduler: service.Service, launched: list) -> service.Service:
    return start_compute(conf, transport, launched)


@pytest.fixture
def compute_api(conf: cfg.ConfigOpts, transport: Any,
                conductor: service.Service) -> compute_api_mod.API:
    return compute_api_mod.API(conf, transport)


@pytest.fixture
def user_context(db: Any) -> minova_context.RequestContext:
    """A non-admin user of project 'demo', as the API would build it."""
    return minova_context.RequestContext(user_id="alice",
                                         project_id="demo",
                                         roles=["member"], db=db)


@pytest.fixture
def tiny_flavor(db: Any, admin_context: Any) -> flavor_obj.Flavor:
    db_flavors.ensure_defaults(db)
    return flavor_obj.Flavor.get_by_flavor_id(admin_context, "1")

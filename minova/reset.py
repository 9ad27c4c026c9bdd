"""Reset: the whole cloud back to its freshly bootstrapped state, between
two test runs of a tool (``minova-manage reset``, ``POST /minova/reset``).

1. The database (``minova.db.reset``): every row a user made goes, in
   one transaction: servers and all that hangs on them, flavors, images
   (and their files), key pairs, quotas, networks, server groups, and
   the identity objects bootstrap did not make. Bootstrap's identity
   objects stay with their ids and passwords, so clouds.yaml and the
   tokens already issued to the admin and demo users keep working.
2. Bootstrap again: the default flavors, the missing identity objects
   and the bootstrap STEPS (the configured images, the private and
   public networks).
3. The running services forget what they hold in memory: each compute
   that is up destroys its instances on its hypervisor and drops its
   resource claims, then each scheduler its host states and pending
   claims. Calls to each ``topic.host``, not a fanout cast: a request
   sent after the reset returns lands behind it on the same queue. A
   scheduler with ``[scheduler] workers`` above 1 has one such queue
   for its workers, so one worker is reset; the others drop their
   pending claims after ``pending_claim_timeout`` and read the hosts
   again within ``host_state_resync``.
   Identity caches see the bumped counter (at once in this process,
   within ``[identity] cache_refresh_interval`` in others).

What runs meanwhile is not stopped: a build in flight finds its server
gone and cleans up after itself, as after any delete.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any

import eventlet
import oslo_messaging as messaging
from oslo_config import cfg

from minova import context as minova_context
from minova import servicegroup
from minova.compute import rpcapi as compute_rpcapi
from minova.db import api as db_api
from minova.db import flavors as db_flavors
from minova.db import reset as db_reset
from minova.identity import bootstrap
from minova.image import store as image_store
from minova.objects import service as service_obj
from minova.scheduler import rpcapi as scheduler_rpcapi

LOG = logging.getLogger(__name__)

# Seconds a compute or scheduler has to answer; one that does not is
# reported, and catches up on its own (a compute forgets instances the
# database does not have when it starts).
SERVICE_TIMEOUT = 30


@dataclasses.dataclass
class Result:
    rows_deleted: int = 0
    created: list[str] = dataclasses.field(default_factory=list)
    services_reset: list[str] = dataclasses.field(default_factory=list)
    services_missed: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0
    # Where the time went: database, bootstrap, services.
    phases: dict[str, float] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def _bootstrapped(conf: cfg.ConfigOpts) -> db_reset.Bootstrapped:
    return db_reset.Bootstrapped(
        domain_id=bootstrap.DEFAULT_DOMAIN, roles=bootstrap.ROLES,
        grants=((conf.identity.bootstrap_username,
                 conf.identity.bootstrap_project_name, "admin"),
                (bootstrap.DEMO, bootstrap.DEMO, "member")))


def _passwords(conf: cfg.ConfigOpts) -> tuple[str | None, str | None]:
    """For bootstrap users a test deleted: the configured passwords, else
    those of the clouds.yaml minova-all wrote."""
    known = bootstrap.read_passwords(bootstrap.clouds_path(conf))
    return (conf.identity.bootstrap_password or known.get(bootstrap.CLOUD),
            conf.identity.demo_password or known.get(bootstrap.DEMO_CLOUD))


def reset_database(conf: cfg.ConfigOpts, db: db_api.Database,
                   result: Result) -> None:
    started = time.monotonic()
    wiped = db_reset.wipe(db, _bootstrapped(conf))
    result.phases["database"] = round(time.monotonic() - started, 3)
    result.rows_deleted = wiped.rows
    store = image_store.Store(conf.image.store_path)
    for image_id in wiped.image_ids:
        store.delete(image_id)
    db_flavors.ensure_defaults(db)
    admin_password, demo_password = _passwords(conf)
    try:
        done = bootstrap.bootstrap(conf, db, admin_password, demo_password,
                                   with_catalog=False)
    except ValueError as exc:
        # A bootstrap user was deleted and no password is known: the rest
        # of the cloud is reset all the same.
        LOG.warning("Reset could not bootstrap again: %s. Set [identity] "
                    "bootstrap_password and demo_password, or run "
                    "minova-manage bootstrap.", exc)
        return
    result.created = done.created
    result.phases["bootstrap"] = round(
        time.monotonic() - started - result.phases["database"], 3)


def reset_services(conf: cfg.ConfigOpts, transport: messaging.Transport,
                   db: db_api.Database, result: Result,
                   timeout: float = SERVICE_TIMEOUT) -> None:
    context = minova_context.get_admin_context(db=db)
    group = servicegroup.API(conf)
    services = [svc for svc in service_obj.ServiceList.get_all(context)
                if group.is_up(svc)]
    computes = compute_rpcapi.ComputeAPI(conf, transport)
    schedulers = scheduler_rpcapi.SchedulerAPI(conf, transport)
    # Computes first: their rows say "empty" before the schedulers read
    # them again. Each kind at once, so that one host gone quiet costs
    # one timeout, not one per host.
    for binary, call in (("minova-compute", computes.reset_host),
                         ("minova-scheduler", schedulers.reset_host_state)):
        hosts = [svc.host for svc in services if svc.binary == binary]
        pool = eventlet.GreenPool(max(len(hosts), 1))
        answers = pool.imap(lambda host, call=call: _call(
            call, context, host, timeout), hosts)
        for host, error in zip(hosts, answers, strict=True):
            name = "%s on %s" % (binary, host)
            if error is None:
                result.services_reset.append(name)
                continue
            LOG.warning("Reset: %s did not answer (%s); it keeps what it "
                        "held in memory until it restarts.", name, error)
            result.services_missed.append(name)


def _call(call: Any, context: Any, host: str,
          timeout: float) -> Exception | None:
    try:
        call(context, host, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - reported, others go on
        return exc
    return None


def reset(conf: cfg.ConfigOpts, transport: messaging.Transport | None,
          db: db_api.Database, identity: Any = None,
          service_timeout: float = SERVICE_TIMEOUT) -> Result:
    """The whole reset; ``transport`` None skips the services (a cloud
    that is not running); ``identity``: this process's
    ``minova.identity.core.Identity``, whose cache sees it at once."""
    started = time.monotonic()
    result = Result()
    reset_database(conf, db, result)
    if identity is not None:
        identity.cache.invalidate()
    if transport is not None:
        services_started = time.monotonic()
        reset_services(conf, transport, db, result, service_timeout)
        result.phases["services"] = round(
            time.monotonic() - services_started, 3)
    result.seconds = round(time.monotonic() - started, 3)
    LOG.warning("The cloud was reset in %.3f s: %d rows deleted; "
                "recreated: %s; services reset: %s%s.", result.seconds,
                result.rows_deleted, ", ".join(result.created) or "nothing",
                ", ".join(result.services_reset) or "none",
                "; NOT reset: " + ", ".join(result.services_missed)
                if result.services_missed else "")
    return result

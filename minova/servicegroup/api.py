"""The servicegroup API with its one driver, the database.

A service joins by starting a heartbeat (through the conductor, so that
services without DB access can report too); anyone may then ask whether a
service is up: its last heartbeat is younger than ``service_down_time`` and
an operator has not forced it down.
"""

from __future__ import annotations

import logging
from typing import Any

import eventlet
from oslo_config import cfg
from oslo_utils import timeutils

from minova import context as minova_context
from minova import metrics

LOG = logging.getLogger(__name__)


class API:
    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf
        self._driver = DbDriver(conf)

    def join(self, service: Any) -> None:
        """Start ``service``'s heartbeat every ``service.report_interval``."""
        self._driver.join(service)

    def is_up(self, service_ref: Any) -> bool:
        return self._driver.is_up(service_ref)


class DbDriver:
    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf

    def join(self, service: Any) -> None:
        """Report now, then every ``report_interval`` in a green thread of
        ``service.tg``, which the service kills at stop.

        Not an oslo.service timer: stopping one waits for the report in
        progress, up to rpc_response_timeout when the conductor or the
        broker is gone, and a stop is to be prompt.
        """
        LOG.debug("%s on %s joins the servicegroup, reporting every %s s",
                  service.binary, service.host, service.report_interval)
        self._report_state(service)
        if service.report_interval:
            service.tg.add_thread(self._report_forever, service)

    def _report_forever(self, service: Any) -> None:
        # Every few reports waits for the conductor's answer, so that a
        # service notices (and says) when no conductor takes its reports:
        # about twice per service_down_time.
        every = max(1, self.conf.service_down_time
                    // max(1, service.report_interval) // 2)
        reports = 0
        while True:
            eventlet.sleep(service.report_interval)
            reports += 1
            self._report_state(service, cast=True,
                               wait=reports % every == 0)

    def _report_state(self, service: Any, cast: bool = False,
                      wait: bool = True) -> None:
        """One heartbeat; never raises, so the timer keeps going.

        The first (``cast=False``) is a ``service_heartbeat`` call, so the
        service is up when its start returns and learns its row. The next
        ones are ``service_report``s, which the conductor writes in
        batches (``minova.conductor.heartbeats``): casts, but a call when
        ``wait`` (the conductor answers once it has queued the report,
        before the write). Casts expire in the broker after
        ``rpc_response_timeout``, as a call does: a late one is no staler
        than a heartbeat call was. Only an answer says the conductor is
        back.
        """
        ctxt = minova_context.get_admin_context(db=service.db)
        LOG.debug("Reporting the state of %s on %s", service.binary,
                  service.host)
        answered = True
        try:
            if cast and service.conductor_api.service_report(
                    ctxt, service.service_ref.id, ttl=self._ttl(service),
                    wait=wait):
                answered = wait
            else:
                service.service_ref = (
                    service.conductor_api.service_heartbeat(
                        ctxt, service.service_ref.id))
        except Exception as exc:
            if not service.model_disconnected:
                service.model_disconnected = True
                LOG.warning("Lost connection to the conductor while "
                            "reporting the state of %s on %s: %s. Retrying "
                            "every %s s; check that minova-conductor, the "
                            "message broker and the database are up.",
                            service.binary, service.host, exc,
                            service.report_interval)
            return
        # What the service itself knows of its heartbeat: a report that
        # is a cast never comes back with the row (service_ref), so this,
        # not the row's updated_at, is its age (the health checks').
        service.last_reported = timeutils.utcnow()
        metrics.get().heartbeat_written(service.binary, service.host)
        if answered and service.model_disconnected:
            service.model_disconnected = False
            LOG.info("Recovered the connection to the conductor; %s on %s "
                     "reports its state again.", service.binary,
                     service.host)

    def _ttl(self, service: Any) -> float:
        return getattr(self.conf, "rpc_response_timeout",
                       service.report_interval)

    def is_up(self, service_ref: Any) -> bool:
        if service_ref.forced_down:
            return False
        last_heartbeat = (service_ref.updated_at
                          or service_ref.created_at)
        if last_heartbeat is None:
            return False
        elapsed = timeutils.delta_seconds(
            timeutils.normalize_time(last_heartbeat), timeutils.utcnow())
        return abs(elapsed) <= self.conf.service_down_time

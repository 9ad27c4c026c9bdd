"""minova's backends for oslo.middleware's healthcheck app.

Each is a ``HealthcheckBaseExtension`` registered under the entry point
namespace ``oslo.middleware.healthcheck`` (setup.cfg), so it is named in
``[healthcheck] backends`` like oslo.middleware's own ``disable_by_file``.
The app is built by ``minova.health.app`` with the service it speaks for
(a ``Subject``) in its conf dict, which oslo.middleware hands to every
backend it loads: paste-built or not, a backend finds its database,
transport and service there.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import eventlet
import sqlalchemy as sa
from oslo_config import cfg
from oslo_middleware.healthcheck import pluginbase
from oslo_utils import timeutils

from minova import baserpc
from minova import context as minova_context
from minova.health import broker

SUBJECT = "minova.health.subject"


@dataclasses.dataclass
class Subject:
    """What the checks look at: a service and the ways it reaches the
    others. ``service`` is a ``minova.service`` Service or WSGIService
    (its ``binary``, ``host``, ``topic`` and ``service_ref``)."""

    conf: cfg.ConfigOpts
    transport: Any
    db: Any
    service: Any


class Failed(Exception):
    """A check's verdict that something is wrong: ``reason`` for
    everyone, ``details`` for admins."""

    def __init__(self, reason: str, details: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


class MinovaCheck(pluginbase.HealthcheckBaseExtension):
    """One check, bounded by ``[health] ping_timeout``; ``check`` returns
    the details of a success or raises ``Failed``."""

    what = "check"

    def __init__(self, oslo_conf: cfg.ConfigOpts, conf: dict) -> None:
        super().__init__(oslo_conf, conf)
        self.subject: Subject | None = conf.get(SUBJECT)

    def healthcheck(self, server_port: int) -> pluginbase.HealthcheckResult:
        if self.subject is None:
            return pluginbase.HealthcheckResult(
                False, "%s: not built by minova.health.app" % self.what)
        timeout = self.subject.conf.health.ping_timeout
        started = time.monotonic()
        try:
            with eventlet.Timeout(timeout, Failed(
                    "%s: no answer within %ss" % (self.what, timeout))):
                details = self.check(self.subject)
        except Failed as exc:
            return pluginbase.HealthcheckResult(False, exc.reason,
                                                exc.details or exc.reason)
        except Exception as exc:
            return pluginbase.HealthcheckResult(
                False, "%s failed" % self.what,
                "%s: %s" % (type(exc).__name__, exc))
        return pluginbase.HealthcheckResult(
            True, "OK", "%s: %s (%.0f ms)" % (
                self.what, details, (time.monotonic() - started) * 1000))

    def check(self, subject: Subject) -> str:
        raise NotImplementedError


class DatabaseCheck(MinovaCheck):
    """The database answers one cheap query."""

    what = "database"

    def check(self, subject: Subject) -> str:
        if subject.db is None:
            raise Failed("database: this service has no database access")
        try:
            with subject.db.reader() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError as exc:
            raise Failed("database unreachable",
                         str(getattr(exc, "orig", None) or exc)) from exc
        return "SELECT 1 answered"


class BrokerCheck(MinovaCheck):
    """The message broker accepts a connection."""

    what = "broker"

    def check(self, subject: Subject) -> str:
        address = broker.where(subject.conf)
        try:
            broker.probe(subject.conf,
                         timeout=subject.conf.health.ping_timeout)
        except Exception as exc:
            raise Failed("broker unreachable",
                         "%s: %s" % (address, exc)) from exc
        return "%s reachable" % address


class _PingCheck(MinovaCheck):
    """A service answers ``BaseAPI.ping`` over the broker."""

    def _topic(self, subject: Subject) -> str:
        raise NotImplementedError

    def _server(self, subject: Subject) -> str | None:
        return None

    def check(self, subject: Subject) -> str:
        topic = self._topic(subject)
        server = self._server(subject)
        queue = "%s.%s" % (topic, server) if server else topic
        api = baserpc.BaseAPI(subject.conf, subject.transport, topic)
        try:
            api.ping(minova_context.get_admin_context(), "health",
                     timeout=subject.conf.health.ping_timeout,
                     server=server)
        except Exception as exc:
            raise Failed("%s did not answer a ping" % self.what,
                         "queue %s: %s: %s" % (queue, type(exc).__name__,
                                               exc)) from exc
        return "queue %s answered" % queue


class ConductorCheck(_PingCheck):
    what = "conductor"

    def _topic(self, subject: Subject) -> str:
        return subject.conf.conductor.topic


class SchedulerCheck(_PingCheck):
    what = "scheduler"

    def _topic(self, subject: Subject) -> str:
        return subject.conf.scheduler.topic


class SelfPingCheck(_PingCheck):
    """This service's own RPC consumer: a ping to ``topic.host``."""

    what = "own RPC consumer"

    def _topic(self, subject: Subject) -> str:
        topic = subject.service.topic
        if not topic:
            raise Failed("own RPC consumer: this service has no RPC topic")
        return topic

    def _server(self, subject: Subject) -> str | None:
        return subject.service.host


class ConsumerAliveCheck(SelfPingCheck):
    """Liveness: healthy unless this service's own consumer is deaf while
    the broker is reachable. A broker outage is no reason to restart the
    service (oslo.messaging reconnects by itself); a deaf consumer with
    the broker up is (when the watchdog did not heal it)."""

    what = "own RPC consumer"

    def check(self, subject: Subject) -> str:
        try:
            return super().check(subject)
        except Failed:
            if broker.reachable(subject.conf,
                                timeout=subject.conf.health.ping_timeout):
                raise
            return "no answer, but the broker is unreachable"


class HeartbeatCheck(MinovaCheck):
    """This service's last heartbeat is younger than service_down_time."""

    what = "heartbeat"

    def check(self, subject: Subject) -> str:
        service = subject.service
        # The service's own record of its last report taken: after the
        # first, reports are casts that never bring the row back.
        last = getattr(service, "last_reported", None)
        if not last:
            raise Failed("heartbeat: not registered in the services table "
                         "yet")
        if getattr(service, "model_disconnected", False):
            raise Failed("heartbeat not taken",
                         "no conductor answers the heartbeats of %s on %s"
                         % (service.binary, service.host))
        age = timeutils.delta_seconds(last, timeutils.utcnow())
        limit = subject.conf.service_down_time
        if age > limit:
            raise Failed("heartbeat too old",
                         "the last heartbeat of %s on %s is %.0f s old "
                         "(service_down_time %s s)" % (
                             subject.service.binary, subject.service.host,
                             age, limit))
        return "%.1f s old" % age

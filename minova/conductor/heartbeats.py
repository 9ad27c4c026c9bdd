"""Heartbeats gathered by the conductor and written in batches.

A service reports every ``report_interval`` seconds. Written one by one,
each report is an RPC call answered with the service's row, a session, an
UPDATE and a SELECT: about 12 ms of the conductor's CPU, so 1,000
services at the default 10 s interval would take more than a core
(docs/performance.md, "Scale"). Reports are casts instead (nobody waits
for them), and the conductor writes all the ids it received in one
``[conductor] heartbeat_flush_interval`` with one UPDATE.

``is_up`` stays right: a report is written at most one flush interval
after it arrived, which ``service_down_time`` (60 s) dwarfs, and a
service that stops reporting ages out as before. A report waits in the
broker at most ``rpc_response_timeout`` (a conductor that was down), as
long as a heartbeat call did before, so it is never staler than one.
"""

from __future__ import annotations

import logging
from typing import Any

import eventlet
from oslo_config import cfg

from minova.db import services as db_services

LOG = logging.getLogger(__name__)


class HeartbeatBatch:
    """Service ids reported since the last write; one writer at a time.

    The first report after a quiet spell is written at once (a small
    cloud, or a conductor just restarted, sees its services up without
    delay); what arrives while a write or its pause runs is written
    together one ``heartbeat_flush_interval`` later.
    """

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf
        self._pending: set[int] = set()
        self._writer: Any = None

    def add(self, db: Any, service_id: int) -> None:
        self._pending.add(service_id)
        if self._writer is None:
            self._writer = eventlet.spawn(self._write_while_pending, db)

    def _write_while_pending(self, db: Any) -> None:
        try:
            while self._pending:
                ids, self._pending = self._pending, set()
                self._write(db, ids)
                eventlet.sleep(self.conf.conductor.heartbeat_flush_interval)
        finally:
            # No yield between the loop's last check and here: an id
            # added meanwhile would have found this writer running.
            self._writer = None

    @staticmethod
    def _write(db: Any, ids: set[int]) -> None:
        try:
            written = db_services.heartbeat_many(db, list(ids))
        except Exception as exc:
            # The next reports come within report_interval; a service is
            # only marked down after service_down_time without one.
            LOG.warning("Could not write %d service heartbeats: %s; check "
                        "the database.", len(ids), exc)
            return
        if written < len(ids):
            LOG.debug("%d of %d heartbeats were for services deleted "
                      "meanwhile", len(ids) - written, len(ids))

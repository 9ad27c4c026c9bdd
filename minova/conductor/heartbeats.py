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
service that stops reporting ages out as before. A report that waited
in the broker longer than the sender's ``report_interval`` (a conductor
that was down) has expired there and says nothing stale.
"""

from __future__ import annotations

import logging
from typing import Any

import eventlet
from oslo_config import cfg

from minova.db import services as db_services

LOG = logging.getLogger(__name__)


class HeartbeatBatch:
    """Service ids reported since the last write; one writer at a time."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf
        self._pending: set[int] = set()
        self._flusher: Any = None

    def add(self, db: Any, service_id: int) -> None:
        self._pending.add(service_id)
        if self._flusher is None:
            self._flusher = eventlet.spawn_after(
                self.conf.conductor.heartbeat_flush_interval,
                self._flush, db)

    def _flush(self, db: Any) -> None:
        ids, self._pending = self._pending, set()
        try:
            written = db_services.heartbeat_many(db, list(ids))
        except Exception as exc:
            # The next reports come within report_interval; a service is
            # only marked down after service_down_time without one.
            LOG.warning("Could not write %d service heartbeats: %s; check "
                        "the database.", len(ids), exc)
            written = 0
        finally:
            self._flusher = None
            if self._pending:
                self._flusher = eventlet.spawn_after(
                    self.conf.conductor.heartbeat_flush_interval,
                    self._flush, db)
        if written < len(ids):
            LOG.debug("%d of %d heartbeats were for services deleted "
                      "meanwhile", len(ids) - written, len(ids))

"""``minova-manage service health``: every service of the services table
pinged over RPC, side by side, in a table."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import eventlet
from oslo_config import cfg

from minova import baserpc
from minova import context as minova_context
from minova import servicegroup
from minova.objects import service as service_obj


@dataclasses.dataclass
class Row:
    service: Any
    up: bool
    answered: bool | None  # None: no RPC queue to ping (an API)
    round_trip: float | None
    error: str = ""

    @property
    def should_answer(self) -> bool:
        """An RPC service that its heartbeat says is up, and that nobody
        forced down, is expected to answer."""
        return (self.answered is not None and self.up
                and not self.service.forced_down)

    @property
    def failed(self) -> bool:
        return self.should_answer and not self.answered


def _ping(conf: cfg.ConfigOpts, transport: Any, svc: Any,
          timeout: float) -> tuple[bool, float | None, str]:
    api = baserpc.BaseAPI(conf, transport, svc.topic)
    started = time.monotonic()
    try:
        api.ping(minova_context.get_admin_context(), "manage",
                 timeout=timeout, server=svc.host)
    except Exception as exc:
        return False, None, "%s: %s" % (type(exc).__name__, exc)
    return True, time.monotonic() - started, ""


def check_all(conf: cfg.ConfigOpts, transport: Any, db: Any) -> list[Row]:
    ctxt = minova_context.get_admin_context(db=db)
    group = servicegroup.API(conf)
    services = list(service_obj.ServiceList.get_all(ctxt))
    timeout = conf.health.ping_timeout
    pings = {svc.id: eventlet.spawn(_ping, conf, transport, svc, timeout)
             for svc in services if svc.topic}
    rows = []
    for svc in services:
        up = group.is_up(svc)
        if svc.id not in pings:
            rows.append(Row(svc, up, None, None))
            continue
        answered, round_trip, error = pings[svc.id].wait()
        rows.append(Row(svc, up, answered, round_trip, error))
    return rows


def table(rows: list[Row]) -> list[tuple[str, ...]]:
    lines = [("Id", "Binary", "Host", "State", "Ping", "Round trip",
              "Problem")]
    for row in rows:
        svc = row.service
        if row.answered is None:
            ping = "-"
        else:
            ping = "answered" if row.answered else "NO ANSWER"
        trip = ("%.1f ms" % (row.round_trip * 1000)
                if row.round_trip is not None else "-")
        problem = ""
        if row.failed:
            problem = "up per heartbeat but deaf: %s" % row.error
        elif row.answered and not row.up:
            problem = "answers, but its heartbeat is stale"
        lines.append((str(svc.id), svc.binary, svc.host,
                      "up" if row.up else "down", ping, trip, problem))
    return lines

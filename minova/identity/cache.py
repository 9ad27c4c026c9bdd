"""The in-process copy of what token validation needs from the database.

A token is validated by decrypting it and looking it up here: revocation
events, each user's roles on each project (implied roles expanded),
application credentials, and the catalog. The copy is refreshed from the
database at most every ``[identity] cache_refresh_interval`` seconds, and
then only the change counter (``identity_generation``, one row) is read
unless it moved; every change that matters bumps it in the change's own
transaction. So API processes sharing a database (workers, several
``minova-api``) agree within that interval, and the hot path does no
database read in between.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import math
import time
from collections.abc import Callable
from typing import Any

from eventlet import semaphore
from oslo_utils import timeutils

from minova.db import api as db_api
from minova.db import identity_state

LOG = logging.getLogger(__name__)


def _ts(value: datetime.datetime) -> float:
    return value.replace(tzinfo=datetime.timezone.utc).timestamp()


@dataclasses.dataclass(frozen=True)
class AppCred:
    user_id: str
    project_id: str
    roles: frozenset[str]
    expires_at: float | None


@dataclasses.dataclass(frozen=True)
class Snapshot:
    generation: int
    role_ids: dict[str, str]                        # name -> id
    # (user, project) -> role names, implied roles included
    roles: dict[tuple[str, str], frozenset[str]]
    # audit id / user / project -> issued_before, in microseconds
    by_audit: dict[str, int]
    by_user: dict[str, int]
    by_project: dict[str, int]
    app_creds: dict[str, AppCred]
    catalog: list[dict]

    def revoked(self, user_id: str, project_id: str | None,
                audit_ids: list[str], issued_at: float) -> bool:
        # In whole microseconds, as the events are stored (rounded up).
        issued = math.floor(issued_at * 1_000_000)
        if issued <= self.by_user.get(user_id, -1):
            return True
        if project_id and issued <= self.by_project.get(project_id, -1):
            return True
        return any(issued <= self.by_audit.get(audit_id, -1)
                   for audit_id in audit_ids)


def _implications(rows: list, names: dict[str, str]) -> dict[str, set[str]]:
    implied: dict[str, set[str]] = {}
    for prior, target in rows:
        if prior in names and target in names:
            implied.setdefault(names[prior], set()).add(names[target])
    return implied


def expand_roles(names: set[str],
                 implied: dict[str, set[str]]) -> frozenset[str]:
    """The roles plus every role they imply, transitively."""
    result, todo = set(names), list(names)
    while todo:
        for target in implied.get(todo.pop(), ()):
            if target not in result:
                result.add(target)
                todo.append(target)
    return frozenset(result)


def _latest(events: list, index: int) -> dict[str, int]:
    latest: dict[str, int] = {}
    for event in events:
        key = event[index]
        if key and not any(event[i] for i in range(3) if i != index):
            latest[key] = max(latest.get(key, -1), event[3])
    return latest


def _catalog(services: list, endpoints: list) -> list[dict]:
    catalog = []
    for service in services:
        catalog.append({
            "id": service.id, "type": service.type, "name": service.name,
            "endpoints": [{"id": e.id, "interface": e.interface,
                           "region": e.region_id, "region_id": e.region_id,
                           "url": e.url}
                          for e in endpoints if e.service_id == service.id],
        })
    return catalog


def build(raw: dict[str, Any]) -> Snapshot:
    names = {role_id: name for role_id, name in raw["roles"]}
    implied = _implications(raw["implied"], names)
    granted: dict[tuple[str, str], set[str]] = {}
    for user_id, project_id, role_id in raw["assignments"]:
        if role_id in names:
            granted.setdefault((user_id, project_id), set()).add(
                names[role_id])
    events = raw["events"]
    return Snapshot(
        generation=raw["generation"],
        role_ids={name: role_id for role_id, name in names.items()},
        roles={key: expand_roles(value, implied)
               for key, value in granted.items()},
        by_audit=_latest(events, 0), by_user=_latest(events, 1),
        by_project=_latest(events, 2),
        app_creds={row.id: AppCred(
            row.user_id, row.project_id,
            expand_roles(set(row.roles or ()), implied),
            _ts(row.expires_at) if row.expires_at else None)
            for row in raw["app_creds"]},
        catalog=_catalog(raw["services"], raw["endpoints"]))


class IdentityCache:
    """The current ``Snapshot``, checked against the database's counter
    at most every ``interval`` seconds."""

    def __init__(self, db: db_api.Database, interval: float,
                 token_expiration: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.interval = interval
        self.token_expiration = token_expiration
        self._clock = clock
        self._snapshot: Snapshot | None = None
        self._checked = 0.0
        self._lock = semaphore.Semaphore()
        self.listeners: list[Callable[[], None]] = []

    def get(self) -> Snapshot:
        snapshot = self._snapshot
        if snapshot is not None and \
                self._clock() - self._checked < self.interval:
            return snapshot
        if snapshot is not None and not self._lock.acquire(blocking=False):
            return snapshot  # another green thread is refreshing it
        if snapshot is None:
            self._lock.acquire()
        try:
            return self._refresh()
        finally:
            self._lock.release()

    def events_horizon(self) -> int:
        """Seconds a revocation event may matter: a token's lifetime, and
        a day of slack for clocks and long requests."""
        return self.token_expiration + 86400

    def invalidate(self) -> None:
        """Check the counter on the next ``get`` (after a change made in
        this process, which then sees it at once)."""
        self._checked = -float("inf")

    def _refresh(self) -> Snapshot:
        snapshot = self._snapshot
        if snapshot is not None and \
                self._clock() - self._checked < self.interval:
            return snapshot  # refreshed while we waited for the lock
        for listener in self.listeners:
            listener()
        if snapshot is None or \
                identity_state.generation(self.db) != snapshot.generation:
            # An event only matters while tokens issued before it may
            # still be unexpired.
            since = timeutils.utcnow() - datetime.timedelta(
                seconds=self.events_horizon())
            snapshot = build(identity_state.load_snapshot(self.db, since))
            LOG.debug("Identity cache reloaded at generation %d.",
                      snapshot.generation)
            self._snapshot = snapshot
        self._checked = self._clock()
        return snapshot

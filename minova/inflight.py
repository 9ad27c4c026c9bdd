"""What a service is doing right now: the one record of work in flight.

A ``Tracker`` holds one entry per RPC handler (kind ``rpc``, keyed by
``topic.method``), API request (kind ``api``, keyed by route template)
and instance build (kind ``build``, keyed by instance uuid), each with
its start time. The RPC server's dispatcher (``minova.rpc``), the API's
request wrapper (``minova.service.WSGIService``) and the compute manager's
builds add and remove entries; the drain at stop (``drain``) reads them to
say what it waits for and what it abandoned, and the metrics count from
the same places (``minova.metrics``).

Entries live in a dict keyed by a counter: under eventlet every green
thread shares one OS thread, and adding or removing a dict item is atomic
under the GIL anyway, so no lock is needed.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import logging
import time
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import eventlet

LOG = logging.getLogger(__name__)

KINDS = ("rpc", "api", "build")


class Entry:
    __slots__ = ("kind", "key", "started", "payload")

    def __init__(self, kind: str, key: str, payload: Any) -> None:
        self.kind = kind
        self.key = key
        self.started = time.monotonic()
        self.payload = payload

    def age(self, now: float | None = None) -> float:
        return (now or time.monotonic()) - self.started


class Tracker:
    """The work in flight in one service."""

    def __init__(self) -> None:
        self._entries: dict[int, Entry] = {}
        self._ids = itertools.count()

    def start(self, kind: str, key: str, payload: Any = None) -> int:
        token = next(self._ids)
        self._entries[token] = Entry(kind, key, payload)
        return token

    def finish(self, token: int) -> None:
        self._entries.pop(token, None)

    @contextlib.contextmanager
    def track(self, kind: str, key: str,
              payload: Any = None) -> Iterator[Entry]:
        token = self.start(kind, key, payload)
        try:
            yield self._entries[token]
        finally:
            self.finish(token)

    def entries(self, kind: str | None = None) -> list[Entry]:
        return [entry for entry in list(self._entries.values())
                if kind is None or entry.kind == kind]

    def __len__(self) -> int:
        return len(self._entries)

    def describe(self) -> str:
        """One line: every entry by kind, key and age, oldest first."""
        now = time.monotonic()
        by_kind: dict[str, list[str]] = collections.defaultdict(list)
        for entry in sorted(self.entries(), key=lambda e: e.started):
            by_kind[entry.kind].append("%s (%.0f s)" % (entry.key,
                                                        entry.age(now)))
        return "; ".join("%s: %s" % (kind, ", ".join(by_kind[kind]))
                         for kind in KINDS if by_kind.get(kind))


def drain(tracker: Tracker, name: str, timeout: float,
          log_interval: float = 5.0,
          abandon: Callable[[list[Entry]], None] | None = None) -> bool:
    """Wait until ``tracker`` is empty or ``timeout`` seconds passed.

    Logs what is still in flight every ``log_interval`` seconds, and at the
    end what it abandoned; ``abandon`` is then called with the entries left
    (the compute manager fails the builds among them). True when all work
    ended in time.
    """
    deadline = time.monotonic() + max(timeout, 0)
    next_log = time.monotonic()
    while len(tracker):
        now = time.monotonic()
        if now >= deadline:
            left = tracker.entries()
            LOG.warning("%s stopped with work still in flight, abandoned "
                        "after %.0f s: %s. Builds abandoned are set to "
                        "ERROR; raise graceful_shutdown_timeout to wait "
                        "longer.", name, timeout, tracker.describe())
            if abandon is not None:
                abandon(left)
            return False
        if now >= next_log:
            LOG.info("%s stopping, waiting for work in flight: %s", name,
                     tracker.describe())
            next_log = now + log_interval
        eventlet.sleep(min(0.05, max(deadline - now, 0)))
    return True

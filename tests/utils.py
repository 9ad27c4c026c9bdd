"""Helpers for tests: waiting with a deadline instead of sleeping."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from typing import Any

import eventlet


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0,
             interval: float = 0.02, what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something truthy; return it.

    Fails the test with ``what`` if ``timeout`` seconds pass first.
    ``eventlet.sleep`` lets the services in this process run meanwhile.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %ss waiting for %s"
                                 % (timeout, what))
        eventlet.sleep(interval)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """Pids whose parent is ``pid``, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as stat:
                # "pid (comm) state ppid ...": comm may hold spaces.
                fields = stat.read().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)

"""Helpers for tests: waiting with a deadline instead of sleeping."""

from __future__ import annotations

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

"""The WSGI servers' access log: one line per request, written cheaply.

eventlet.wsgi formats each request's line itself (``[wsgi]
wsgi_log_format``) and hands it to ``AccessLog.info``. Through
``logger.info`` and oslo.log's ContextFormatter a line cost about 35 us
on a quiet machine, more than serving ``GET /`` (docs/performance.md):
the formatter rebuilds the request context's dict twice and reads
several options per record. Here the line gets a fixed prefix with the
request id::

    2026-11-21 01:40:16.398 8412 INFO minova.osapi_compute.wsgi.server
    [req-80c34ed1-...] 127.0.0.1 "GET / HTTP/1.1" status: 200 len: ...

and is written to the same handlers oslo.log set up (log file or
stderr), under their locks. Handlers that format differently (JSON,
syslog, journald, rotating files) get the record the usual way. The
logger's level still applies: ``default_log_levels =
minova.osapi_compute.wsgi.server=WARN`` silences it.
"""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from typing import Any

from oslo_context import context as oslo_context
from oslo_log import formatters

_FORMAT = ("%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s "
           "[%(request_id)s] %(message)s")
# Handlers whose emit is "format, write to the stream, flush".
_PLAIN_HANDLERS = (logging.StreamHandler, logging.FileHandler,
                   logging.handlers.WatchedFileHandler)


class AccessLog:
    """What eventlet.wsgi logs to (its ``log`` argument)."""

    def __init__(self, logger: logging.Logger,
                 datefmt: str | None = None) -> None:
        self.logger = logger
        self._formatter = logging.Formatter(_FORMAT, datefmt)

    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._log(logging.INFO, msg, args)

    def debug(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._log(logging.DEBUG, msg, args)

    def error(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._log(logging.ERROR, msg, args)

    def _log(self, level: int, msg: str, args: tuple) -> None:
        logger = self.logger
        if not logger.isEnabledFor(level):
            return
        # No stack walk for the caller: it is always eventlet.wsgi.
        record = logger.makeRecord(logger.name, level, "(unknown file)", 0,
                                   msg, args or None, None)
        if logger.disabled or not logger.filter(record):
            return
        context = oslo_context.get_current()
        record.request_id = getattr(context, "request_id", None) or "-"
        line = None
        for handler in _handlers(logger):
            if record.levelno < handler.level:
                continue
            if not _plain(handler):
                handler.handle(record)
            elif handler.filter(record):
                if line is None:
                    line = self._formatter.format(record)
                _write(handler, line, record)


def _handlers(logger: logging.Logger) -> Iterator[logging.Handler]:
    """The handlers ``logger.handle`` would call, in the same order."""
    current: Any = logger
    while current:
        yield from current.handlers
        if not current.propagate:
            return
        current = current.parent


def _plain(handler: logging.Handler) -> bool:
    return (type(handler) in _PLAIN_HANDLERS
            and isinstance(handler.formatter, formatters.ContextFormatter)
            and getattr(handler, "stream", None) is not None)


def _write(handler: Any, line: str, record: logging.LogRecord) -> None:
    handler.acquire()
    try:
        if isinstance(handler, logging.handlers.WatchedFileHandler):
            handler.reopenIfNeeded()  # logrotate moved the file
        handler.stream.write(line + handler.terminator)
        handler.flush()
    except Exception:
        handler.handleError(record)
    finally:
        handler.release()

"""The WSGI servers' access log: one line per request, on oslo.log's
handlers, with the request id."""

from __future__ import annotations

import io
import json
import logging

import pytest
import requests
from oslo_log import formatters

from minova import access_log
from minova import context as minova_context
from minova import wsgi

LINE = '127.0.0.1 "GET / HTTP/1.1" status: 200 len: 2 time: 0.0001000'


@pytest.fixture
def logger():
    """A logger of its own with a handler formatting as oslo.log does."""
    logger = logging.getLogger("minova.test.wsgi.server")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatters.ContextFormatter())
    logger.addHandler(handler)
    logger.stream = stream
    try:
        yield logger
    finally:
        logger.removeHandler(handler)
        for extra in list(logger.handlers):
            logger.removeHandler(extra)
        logger.setLevel(logging.NOTSET)
        logger.propagate = True


def test_one_line_with_the_request_id(conf, logger):
    log = access_log.AccessLog(logger, "%Y-%m-%d %H:%M:%S")
    ctxt = minova_context.RequestContext(user_id="u", project_id="p")
    log.info(LINE)
    [line] = logger.stream.getvalue().splitlines()
    assert line.endswith(
        " INFO minova.test.wsgi.server [%s] %s" % (ctxt.request_id, LINE))


def test_without_a_context_the_id_is_a_dash(conf, logger, monkeypatch):
    monkeypatch.setattr(access_log.oslo_context, "get_current",
                        lambda: None)
    access_log.AccessLog(logger).info(LINE)
    assert logger.stream.getvalue().endswith(" [-] %s\n" % LINE)


def test_the_logger_level_applies(conf, logger):
    logger.setLevel(logging.WARNING)
    access_log.AccessLog(logger).info(LINE)
    assert logger.stream.getvalue() == ""


def test_other_formatters_format_the_record_themselves(conf, logger):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatters.JSONFormatter())
    logger.addHandler(handler)
    access_log.AccessLog(logger).info(LINE)
    assert json.loads(stream.getvalue())["message"] == LINE
    assert len(logger.stream.getvalue().splitlines()) == 1


def test_the_server_logs_each_request_once(conf, logger):
    def app(environ, start_response):
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    # Server "test" logs to minova.test.wsgi.server, the fixture's logger.
    server = wsgi.Server(conf, "test", app, host="127.0.0.1", port=0)
    server.start()
    try:
        with requests.Session() as session:
            for _ in range(3):
                url = "http://127.0.0.1:%d/x" % server.port
                assert session.get(url, timeout=10).text == "ok"
    finally:
        server.stop()
        server.wait()
    lines = [line for line in logger.stream.getvalue().splitlines()
             if '"GET /x HTTP/1.1" status: 200' in line]
    assert len(lines) == 3

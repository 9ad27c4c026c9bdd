"""Is the message broker reachable? One connection, made and dropped.

Written here because oslo.messaging has no public "can I connect" call
(its drivers retry inside every send); kombu, its own RabbitMQ client,
makes the one connection.
"""

from __future__ import annotations

import kombu
import oslo_messaging as messaging
from oslo_config import cfg

# The transports kombu can probe; the others (inproc://, fake://: no
# broker process) are taken as reachable.
_RABBIT = ("rabbit", "kombu+rabbit")


def probe(conf: cfg.ConfigOpts, timeout: float = 5,
          url: str | None = None) -> None:
    """Connect once to the broker of ``url`` (``[DEFAULT] transport_url``);
    raise what the connection raised, else return."""
    parsed = messaging.TransportURL.parse(conf, url or conf.transport_url)
    if parsed.transport not in _RABBIT or not parsed.hosts:
        return
    host = parsed.hosts[0]
    connection = kombu.Connection(
        hostname=host.hostname, port=host.port or 5672,
        userid=host.username, password=host.password,
        virtual_host=parsed.virtual_host or "/", connect_timeout=timeout)
    try:
        connection.ensure_connection(max_retries=1, interval_start=0,
                                      timeout=timeout)
    finally:
        connection.release()


def where(conf: cfg.ConfigOpts, url: str | None = None) -> str:
    """The broker's address, without credentials, for messages."""
    parsed = messaging.TransportURL.parse(conf, url or conf.transport_url)
    if not parsed.hosts:
        return "%s://" % parsed.transport
    host = parsed.hosts[0]
    return "%s://%s:%s" % (parsed.transport, host.hostname,
                           host.port or 5672)


def reachable(conf: cfg.ConfigOpts, timeout: float = 5) -> bool:
    try:
        probe(conf, timeout)
    except Exception:
        return False
    return True

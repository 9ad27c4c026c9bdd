"""The RPC API every minova service answers, in namespace ``baseapi``."""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_serialization import jsonutils

from minova import rpc

_NAMESPACE = "baseapi"


class BaseAPI:
    """Client side of the base RPC API.

    API version history:

    * 1.0 - Initial version: ``ping``.
    * 1.1 - Add ``get_backdoor_port``.
    """

    VERSION = "1.1"

    def __init__(self, conf: cfg.ConfigOpts, transport: messaging.Transport,
                 topic: str) -> None:
        target = messaging.Target(topic=topic, namespace=_NAMESPACE,
                                  version="1.0")
        self.client = rpc.get_client(conf, transport, target, "baseapi")

    def ping(self, context: Any, arg: Any, timeout: float | None = None,
             server: str | None = None) -> dict:
        """Round-trip ``arg`` through any server of the topic, or through
        ``server``'s own queue (``topic.server``)."""
        cctxt = self.client.prepare(timeout=timeout, server=server)
        return cctxt.call(context, "ping", arg=jsonutils.to_primitive(arg))

    def get_backdoor_port(self, context: Any, host: str) -> int | None:
        cctxt = self.client.prepare(server=host, version="1.1")
        return cctxt.call(context, "get_backdoor_port")


class BaseRPCAPI:
    """Server side of the base RPC API, added to every service's endpoints."""

    target = messaging.Target(namespace=_NAMESPACE, version="1.1")

    def __init__(self, service_name: str,
                 backdoor_port: int | None = None) -> None:
        self.service_name = service_name
        self.backdoor_port = backdoor_port

    def ping(self, context: Any, arg: Any) -> dict:
        return {"service": self.service_name, "arg": arg}

    def get_backdoor_port(self, context: Any) -> int | None:
        return self.backdoor_port

"""Client side of the scheduler RPC API."""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg

from minova import rpc
from minova.objects import base as objects_base


class SchedulerAPI:
    """Client side of the scheduler RPC API (topic ``[scheduler] topic``),
    capped by ``[upgrade_levels] scheduler``.

    API version history:

    * 1.0 - Initial version: select_destinations (call),
      update_instance_info (fanout cast).
    * 1.1 - reset_host_state (call, to one scheduler).
    """

    VERSION = "1.1"

    def __init__(self, conf: cfg.ConfigOpts,
                 transport: messaging.Transport) -> None:
        target = messaging.Target(topic=conf.scheduler.topic,
                                  version="1.0")
        self.client = rpc.get_client(
            conf, transport, target, "scheduler",
            serializer=objects_base.MinovaObjectSerializer())

    def select_destinations(self, ctxt: Any, request_spec: dict,
                            instance_uuids: list[str]) -> list[dict]:
        """One ``{"host", "nodename", "availability_zone"}`` per instance
        uuid, in order; ``NoValidHost`` if they do not all fit."""
        return self.client.call(ctxt, "select_destinations",
                                request_spec=request_spec,
                                instance_uuids=instance_uuids)

    def update_instance_info(self, ctxt: Any, host_name: str,
                             instance_uuids: list[str],
                             released: list[str] | None = None) -> None:
        """Tell every scheduler which instances ``host_name`` holds now
        (its compute_nodes row already counts them) and which placements
        it gave up (``released``)."""
        cctxt = self.client.prepare(fanout=True)
        cctxt.cast(ctxt, "update_instance_info", host_name=host_name,
                   instance_uuids=instance_uuids, released=released or [])

    def reset_host_state(self, ctxt: Any, host: str,
                         timeout: float | None = None) -> None:
        """Have the scheduler on ``host`` forget its host states and
        pending claims (``minova.reset``); returns once done."""
        self.client.prepare(server=host, version="1.1",
                            timeout=timeout).call(ctxt, "reset_host_state")

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
    * 1.2 - update_instance_info takes ``node``, the compute node's
      figures, which the scheduler keeps in memory.
    """

    VERSION = "1.2"

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
                             released: list[str] | None = None,
                             node: dict | None = None) -> None:
        """Tell every scheduler which instances ``host_name`` holds now
        (its compute_nodes row already counts them), which placements
        it gave up (``released``) and its node's figures (``node``, the
        row's columns and ``hypervisor_hostname``; left out below 1.2)."""
        kwargs = {"host_name": host_name, "instance_uuids": instance_uuids,
                  "released": released or []}
        version = "1.0"
        if node is not None and self.client.can_send_version("1.2"):
            version = "1.2"
            kwargs["node"] = node
        cctxt = self.client.prepare(fanout=True, version=version)
        cctxt.cast(ctxt, "update_instance_info", **kwargs)

    def reset_host_state(self, ctxt: Any, host: str,
                         timeout: float | None = None) -> None:
        """Have the scheduler on ``host`` forget its host states and
        pending claims (``minova.reset``); returns once done."""
        self.client.prepare(server=host, version="1.1",
                            timeout=timeout).call(ctxt, "reset_host_state")

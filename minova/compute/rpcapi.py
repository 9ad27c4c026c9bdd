"""Client side of the compute RPC API."""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg

from minova import rpc
from minova.objects import base as objects_base


class ComputeAPI:
    """Casts to one compute host: ``Target(topic=[compute] topic,
    server=host)``. The version is capped by ``[upgrade_levels] compute``.

    API version history:

    * 1.0 - Initial version: build_and_run_instance, terminate_instance,
      start_instance, stop_instance, reboot_instance.
    """

    VERSION = "1.0"

    def __init__(self, conf: cfg.ConfigOpts,
                 transport: messaging.Transport) -> None:
        target = messaging.Target(topic=conf.compute.topic, version="1.0")
        self.client = rpc.get_client(
            conf, transport, target, "compute",
            serializer=objects_base.MinovaObjectSerializer())

    def _host(self, host: str) -> Any:
        return self.client.prepare(server=host, version="1.0")

    def build_and_run_instance(self, ctxt: Any, instance: Any, host: str,
                               node: str, request_spec: dict,
                               filter_properties: dict | None = None,
                               requested_networks: Any = None) -> None:
        self._host(host).cast(ctxt, "build_and_run_instance",
                              instance=instance, node=node,
                              request_spec=request_spec,
                              filter_properties=filter_properties or {},
                              requested_networks=requested_networks)

    def terminate_instance(self, ctxt: Any, instance: Any) -> None:
        self._host(instance.host).cast(ctxt, "terminate_instance",
                                       instance=instance)

    def start_instance(self, ctxt: Any, instance: Any) -> None:
        self._host(instance.host).cast(ctxt, "start_instance",
                                       instance=instance)

    def stop_instance(self, ctxt: Any, instance: Any) -> None:
        self._host(instance.host).cast(ctxt, "stop_instance",
                                       instance=instance)

    def reboot_instance(self, ctxt: Any, instance: Any,
                        reboot_type: str) -> None:
        self._host(instance.host).cast(ctxt, "reboot_instance",
                                       instance=instance,
                                       reboot_type=reboot_type)

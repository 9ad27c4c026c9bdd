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
    * 1.1 - pause_instance, unpause_instance, suspend_instance,
      resume_instance, rebuild_instance.
    * 1.2 - prep_resize, resize_instance, finish_resize, confirm_resize,
      revert_resize, finish_revert_resize.
    * 1.3 - reset_host (call).
    """

    VERSION = "1.3"

    def __init__(self, conf: cfg.ConfigOpts,
                 transport: messaging.Transport) -> None:
        target = messaging.Target(topic=conf.compute.topic, version="1.0")
        self.client = rpc.get_client(
            conf, transport, target, "compute",
            serializer=objects_base.MinovaObjectSerializer())

    def _host(self, host: str, version: str = "1.0") -> Any:
        return self.client.prepare(server=host, version=version)

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

    # -- 1.1 -----------------------------------------------------------

    def _cast_1_1(self, ctxt: Any, method: str, instance: Any,
                  **kwargs: Any) -> None:
        self._host(instance.host, "1.1").cast(ctxt, method,
                                              instance=instance, **kwargs)

    def pause_instance(self, ctxt: Any, instance: Any) -> None:
        self._cast_1_1(ctxt, "pause_instance", instance)

    def unpause_instance(self, ctxt: Any, instance: Any) -> None:
        self._cast_1_1(ctxt, "unpause_instance", instance)

    def suspend_instance(self, ctxt: Any, instance: Any) -> None:
        self._cast_1_1(ctxt, "suspend_instance", instance)

    def resume_instance(self, ctxt: Any, instance: Any) -> None:
        self._cast_1_1(ctxt, "resume_instance", instance)

    def rebuild_instance(self, ctxt: Any, instance: Any, image_ref: str,
                         preserve_ephemeral: bool = False) -> None:
        self._cast_1_1(ctxt, "rebuild_instance", instance,
                       image_ref=image_ref,
                       preserve_ephemeral=preserve_ephemeral)

    # -- 1.2: resize, each step on the host that does it ----------------

    def _resize_step(self, ctxt: Any, method: str, host: str,
                     instance: Any, migration: Any) -> None:
        self._host(host, "1.2").cast(ctxt, method, instance=instance,
                                     migration=migration)

    def prep_resize(self, ctxt: Any, instance: Any, migration: Any) -> None:
        self._resize_step(ctxt, "prep_resize", migration.dest_compute,
                          instance, migration)

    def resize_instance(self, ctxt: Any, instance: Any,
                        migration: Any) -> None:
        self._resize_step(ctxt, "resize_instance", migration.source_compute,
                          instance, migration)

    def finish_resize(self, ctxt: Any, instance: Any,
                      migration: Any) -> None:
        self._resize_step(ctxt, "finish_resize", migration.dest_compute,
                          instance, migration)

    def confirm_resize(self, ctxt: Any, instance: Any,
                       migration: Any) -> None:
        self._resize_step(ctxt, "confirm_resize", migration.source_compute,
                          instance, migration)

    def revert_resize(self, ctxt: Any, instance: Any,
                      migration: Any) -> None:
        self._resize_step(ctxt, "revert_resize", migration.dest_compute,
                          instance, migration)

    def finish_revert_resize(self, ctxt: Any, instance: Any,
                             migration: Any) -> None:
        self._resize_step(ctxt, "finish_revert_resize",
                          migration.source_compute, instance, migration)

    def reset_host(self, ctxt: Any, host: str,
                   timeout: float | None = None) -> None:
        """Destroy every instance of the host's hypervisor and drop its
        claims (``minova.reset``); returns once done."""
        self.client.prepare(server=host, version="1.3",
                            timeout=timeout).call(ctxt, "reset_host")

"""The scheduler: filters and weighers over the compute hosts."""

from __future__ import annotations

import logging
import random
import threading
from typing import Any

import oslo_messaging as messaging

from minova import exception
from minova import manager
from minova.scheduler import filters as filters_mod
from minova.scheduler import host_manager as host_manager_mod
from minova.scheduler import weights as weights_mod

LOG = logging.getLogger(__name__)


class SchedulerManager(manager.Manager):
    """Server side of ``minova.scheduler.rpcapi.SchedulerAPI``."""

    # 1.1: reset_host_state; 1.2: update_instance_info takes node
    # (minova.scheduler.rpcapi)
    target = messaging.Target(version="1.2")
    service_name = "scheduler"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.host_manager = host_manager_mod.HostManager(self.conf)
        opts = self.conf.filter_scheduler
        self.filters = filters_mod.load_filters(opts.enabled_filters)
        self.weighers = weights_mod.load_weighers(self.conf,
                                                  opts.weight_classes)
        # Filtering, weighing and claiming must not interleave between
        # two requests, or both could take the last room on a host.
        self._lock = threading.Lock()
        # One database read at a time, applied before the next request
        # looks: requests that arrive during a read (the first one, the
        # one after a reset) wait for its hosts instead of finding none.
        self._reading = threading.Lock()

    @messaging.expected_exceptions(exception.NoValidHost)
    def select_destinations(self, context: Any, request_spec: dict,
                            instance_uuids: list[str] | None = None,
                            ) -> list[dict]:
        """A host for each instance; all of them or ``NoValidHost``."""
        uuids = list(instance_uuids or request_spec.get("instance_uuids")
                     or [None] * request_spec.get("num_instances", 1))
        with self._reading:
            due = self.host_manager.read(context)
            with self._lock:
                self.host_manager.refresh(*due)
        with self._lock:
            states = self.host_manager.host_states()
            chosen = self._place(states, request_spec, uuids)
        LOG.debug("Selected %s for %s", [c["host"] for c in chosen], uuids)
        return chosen

    def _place(self, states: list, request_spec: dict,
               uuids: list) -> list[dict]:
        resources = host_manager_mod.requested_resources(request_spec)
        chosen: list[dict] = []
        claimed: list[str] = []
        for uuid in uuids:
            try:
                state = self._best_host(states, request_spec)
            except exception.NoValidHost:
                # All or nothing: give back what this request took.
                self.host_manager.unclaim(claimed)
                raise
            claimed.append(uuid or "anonymous-%d-%d" % (id(chosen),
                                                        len(chosen)))
            self.host_manager.claim(claimed[-1], state, resources)
            if request_spec.get("group"):
                # The next instance of this request counts this one.
                request_spec["group"].setdefault("hosts", []).append(
                    state.host)
            chosen.append({"instance_uuid": uuid, "host": state.host,
                           "nodename": state.nodename,
                           "availability_zone": state.availability_zone})
        return chosen

    def _best_host(self, states: list, request_spec: dict) -> Any:
        # A resize leaves out the server's own host unless
        # allow_resize_to_same_host.
        ignored = set(request_spec.get("ignore_hosts") or ())
        hosts = [state for state in states if state.host not in ignored]
        for host_filter in self.filters:
            hosts = host_filter.filter_all(hosts, request_spec)
            if not hosts:
                raise exception.NoValidHost(
                    reason="There are not enough hosts available "
                           "(%s: %d of %d hosts left)."
                           % (type(host_filter).__name__, len(hosts),
                              len(states)))
        if not hosts:
            raise exception.NoValidHost(
                reason="There are not enough hosts available (no compute "
                       "host has reported yet).")
        ranked = weights_mod.weigh_hosts(self.weighers, hosts, request_spec)
        subset = ranked[:self.conf.filter_scheduler.host_subset_size]
        return random.choice(subset)[1]

    def update_instance_info(self, context: Any, host_name: str,
                             instance_uuids: list[str],
                             released: list[str] | None = None,
                             node: dict | None = None) -> None:
        """Fanout from a compute whose instances changed; with its
        compute node's figures from 1.2."""
        with self._lock:
            self.host_manager.update_instance_info(host_name,
                                                   instance_uuids,
                                                   released or [], node)

    def reset_host_state(self, context: Any) -> None:
        """The cloud was reset (minova.reset): read the hosts' rows again
        and forget the placements they did not count yet."""
        with self._lock:
            self.host_manager.reset()
        LOG.info("Scheduler state reset")

"""minova-compute: runs instances on its hypervisor through a virt driver.

The compute may not use the database: instance objects it receives save
themselves through the conductor (their context's ``indirection_api``),
and lookups are explicit conductor calls. Actions on one instance are
serialized by a lock on its uuid, so a delete waits for a build in flight.

States follow Nova: a build goes BUILDING/scheduling -> BUILDING/spawning
-> ACTIVE (power RUNNING); stop ACTIVE/powering-off -> STOPPED (SHUTDOWN);
start STOPPED/powering-on -> ACTIVE; reboot ACTIVE/rebooting[_hard] ->
ACTIVE; pause ACTIVE/pausing -> PAUSED and back (unpausing); suspend
ACTIVE/suspending -> SUSPENDED and back (resuming); rebuild
ACTIVE|STOPPED|ERROR/rebuilding -> rebuild_spawning -> ACTIVE (STOPPED if it
was); delete */deleting -> DELETED. A failed build or rebuild is ERROR with a
fault (a failed build also loses its host); a failed stop, start, reboot,
pause, unpause, suspend or resume leaves a fault and clears the task (a
reboot that left the guest down is ERROR too); a failed delete is ERROR
with a fault, still on its host, to be deleted again.

Each action's step here is an event of the request's instance action
(``compute_<method>``, "Success" or "Error" with the traceback), written
through the conductor.
"""

from __future__ import annotations

import logging
import time
import traceback
from typing import Any

import eventlet
import greenlet
import oslo_messaging as messaging
from oslo_concurrency import lockutils
from oslo_service import periodic_task
from oslo_utils import timeutils

from minova import conductor
from minova import context as minova_context
from minova import exception
from minova import manager
from minova import metrics
from minova.compute import actions_manager
from minova.compute import power_state
from minova.compute import resize_manager
from minova.compute import resource_tracker
from minova.compute import rpcapi as compute_rpcapi
from minova.compute import task_states
from minova.compute import vm_states
from minova.conductor import rpcapi as conductor_rpcapi
from minova.objects import instance as instance_obj
from minova.objects import instance_action as action_obj
from minova.scheduler import rpcapi as scheduler_rpcapi
from minova.virt import driver as virt_driver

LOG = logging.getLogger(__name__)

_message = exception.describe

# Instance changes the save may lose to a concurrent API action or delete.
_RACES = (exception.InstanceNotFound, exception.UnexpectedTaskStateError)


class ComputeManager(actions_manager.ActionsMixin, resize_manager.ResizeMixin,
                     manager.Manager):
    """Server side of ``minova.compute.rpcapi.ComputeAPI``."""

    # 1.1: pause/unpause, suspend/resume, rebuild; 1.2: resize; 1.3:
    # reset_host (minova.compute.rpcapi)
    target = messaging.Target(version="1.3")
    service_name = "compute"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.driver = virt_driver.load_compute_driver(self.conf, self.host)
        # With a database (``[conductor] use_local``) the conductor's work
        # runs here; without, every read and write is a conductor call.
        self.conductor_api = conductor.API(self.conf, self.transport,
                                           use_local=self.db is not None)
        self._indirection = (None if self.db is not None
                             else conductor_rpcapi.ConductorAPI(
                                 self.conf, self.transport))
        self.scheduler_client = scheduler_rpcapi.SchedulerAPI(
            self.conf, self.transport)
        self.compute_rpcapi = compute_rpcapi.ComputeAPI(self.conf,
                                                        self.transport)
        self.rt = resource_tracker.ResourceTracker(
            self.conf, self.host, self.driver, self.conductor_api)
        self._released: list[str] = []
        self._reporter: Any = None
        self._last_full_update = 0.0

    def _event(self, context: Any, instance: Any, name: str,
               carried: bool = False) -> _Event:
        return _Event(self.conductor_api, context, instance, name,
                      self.host, carried)

    def _context(self) -> minova_context.RequestContext:
        return minova_context.get_admin_context(
            db=self.db, indirection_api=self._indirection)

    # -- start and stop ----------------------------------------------------

    def init_host(self) -> None:
        """Start the driver and make it agree with the database."""
        self.driver.init_host(self.host)
        ctxt = self._context()
        instances = list(self.conductor_api.instance_get_all_by_host(
            ctxt, self.host))
        known = {inst.uuid for inst in instances}
        for uuid in self.driver.list_instances():
            if uuid not in known:
                LOG.info("Destroying instance %s: the hypervisor has it "
                         "but it was deleted meanwhile", uuid)
                self.driver.destroy(ctxt, _Stub(uuid))
        for instance in instances:
            try:
                self._init_instance(ctxt, instance)
            except Exception:
                LOG.exception("Could not recover instance %s at start",
                              instance.uuid)
        # Builds failed above left this host (host None): they use
        # nothing here any more.
        self.rt.sync_instances([inst for inst in instances
                                if inst.host == self.host],
                               self._migrations(ctxt))
        self.rt.update(ctxt)
        self._last_full_update = time.monotonic()
        LOG.info("Compute %s has %d instance(s)", self.host, len(instances))

    def post_start_hook(self) -> None:
        self._report_soon()

    def cleanup_host(self) -> None:
        # Killed, not awaited: a report in flight to a conductor that is
        # gone would hold the stop up to rpc_response_timeout.
        if self._reporter is not None:
            self._reporter.kill()
            self._reporter = None

    def _init_instance(self, ctxt: Any, instance: Any) -> None:
        """Finish or undo what a restart interrupted (as Nova's
        ``_init_instance``), and bring back what a fake hypervisor lost."""
        if instance.task_state == task_states.DELETING:
            self._delete(ctxt, instance)
            return
        if instance.vm_state == vm_states.BUILDING:
            self._build_failed(ctxt, instance, exception.InstanceSpawnFailed(
                instance_uuid=instance.uuid,
                reason="the compute service restarted during the build"))
            return
        on_hypervisor = instance.uuid in self.driver.list_instances()
        if (not on_hypervisor
                and instance.vm_state in (vm_states.ACTIVE,
                                          vm_states.STOPPED)):
            # resume_guests_state_on_host_boot, as Nova calls it.
            self.driver.spawn(ctxt, instance,
                              requested_networks=("none" if not
                                                  instance.network_info
                                                  else "auto"))
            if instance.vm_state == vm_states.STOPPED:
                self.driver.power_off(ctxt, instance)
        if instance.task_state is not None or not on_hypervisor:
            instance.task_state = None
            instance.power_state = self._power_state(instance)
            instance.save()

    def _power_state(self, instance: Any) -> int:
        try:
            return self.driver.get_info(instance).state
        except exception.InstanceNotFound:
            return power_state.NOSTATE

    # -- building ----------------------------------------------------------

    def build_and_run_instance(self, context: Any, instance: Any, node: str,
                               request_spec: dict,
                               filter_properties: dict | None = None,
                               requested_networks: Any = None) -> None:
        with self.inflight.track("build", instance.uuid,
                                 (context, instance, None)) as entry:
            with lockutils.lock(instance.uuid), \
                    self._event(context, instance,
                                "compute__do_build_and_run_instance",
                                carried=True) as event:
                entry.payload = (context, instance, event)
                outcome = self._build(context, instance, node,
                                      filter_properties or {},
                                      requested_networks, event)
            metrics.get().boot(outcome)
        self._report_soon()

    def _build(self, context: Any, instance: Any, node: str,
               filter_properties: dict, requested_networks: Any,
               event: _Event) -> str:
        """The build; returns its outcome for the metrics."""
        self.rt.claim(instance)
        instance.host = self.host
        instance.node = node
        zone = filter_properties.get("availability_zone")
        if zone:
            instance.availability_zone = zone
        instance.task_state = task_states.SPAWNING
        try:
            event.save(instance, [task_states.SCHEDULING])
        except _RACES as exc:
            LOG.info("Not building instance %s: %s", instance.uuid,
                     exc.format_message())
            self._release(instance.uuid)
            return "superseded"
        try:
            network_info = self.driver.spawn(
                context, instance, requested_networks=requested_networks)
        except Exception as exc:
            LOG.error("Instance %s failed to spawn: %s", instance.uuid,
                      _message(exc))
            event.fail(exc)
            self._build_failed(context, instance, exc)
            return "error"
        instance.update({
            "vm_state": vm_states.ACTIVE, "task_state": None,
            "power_state": self._power_state(instance),
            "launched_at": timeutils.utcnow(),
            "network_info": network_info,
        })
        try:
            event.save(instance, [task_states.SPAWNING], finish=True)
        except _RACES as exc:
            # Deleted while spawning: the delete (queued behind our lock,
            # or done in the API if it saw no host) cleans up.
            LOG.info("Instance %s changed while spawning: %s",
                     instance.uuid, exc.format_message())
            if isinstance(exc, exception.InstanceNotFound):
                self.driver.destroy(context, instance)
                self._release(instance.uuid)
            return "superseded"
        LOG.info("Instance %s is active on %s", instance.uuid, self.host)
        return "active"

    def abandon(self, entries: list) -> None:
        """The stop's drain ran out of time: the builds still in flight
        end in ERROR with a fault saying so, not in BUILD (the process
        exits under them). Their own save, should they finish after all,
        then fails its task state check. All at once: each is a few
        conductor calls, and the margin before the process ends is short.
        """
        builds = [entry for entry in entries if entry.kind == "build"]
        pool = eventlet.GreenPool(max(1, len(builds)))
        for _ in pool.imap(self._abandon_build, builds):
            pass

    def _abandon_build(self, entry: Any) -> None:
        context, instance, event = entry.payload
        LOG.warning("Abandoning the build of instance %s (%.0f s in "
                    "flight): set to ERROR", instance.uuid, entry.age())
        reason = exception.BuildAbandoned(host=self.host,
                                          instance_uuid=instance.uuid)
        if event is not None:
            # What its action event records when the handler is ended
            # (minova.service.Service._abandon).
            event.fail(reason)
        try:
            self._build_failed(context, instance, reason)
        except Exception:
            LOG.exception("Could not set abandoned instance %s to ERROR",
                          instance.uuid)
        metrics.get().boot("abandoned")

    def _build_failed(self, context: Any, instance: Any,
                      exc: Exception) -> None:
        """ERROR, no task, no host (it holds nothing here), and a fault.

        The fault is written first, so that whoever sees ERROR sees why.
        """
        self.driver.destroy(context, instance)
        self._release(instance.uuid)
        self._add_fault(context, instance, exc)
        expected = instance.task_state
        instance.update({"vm_state": vm_states.ERROR, "task_state": None,
                         "power_state": power_state.NOSTATE, "host": None,
                         "node": None})
        try:
            instance.save(expected_task_state=[expected])
        except _RACES as race:
            LOG.info("Not marking instance %s as failed: %s",
                     instance.uuid, race.format_message())

    def _add_fault(self, context: Any, instance: Any,
                   exc: Exception) -> None:
        fault = instance_obj.InstanceFault(
            context, instance_uuid=instance.uuid,
            code=getattr(exc, "code", 500), message=_message(exc),
            details="".join(traceback.format_exception(exc)),
            host=self.host)
        try:
            fault.create()
        except Exception:
            LOG.exception("Could not record the fault of instance %s",
                          instance.uuid)

    def _release(self, instance_uuid: str) -> None:
        self.rt.release(instance_uuid)
        self._released.append(instance_uuid)

    # -- other actions -----------------------------------------------------

    def terminate_instance(self, context: Any, instance: Any) -> None:
        with lockutils.lock(instance.uuid), \
                self._event(context, instance,
                            "compute_terminate_instance") as event:
            self._delete(context, instance, event)
        self._report_soon()

    def _delete(self, context: Any, instance: Any,
                event: _Event | None = None) -> None:
        try:
            self.driver.destroy(context, instance)
        except Exception as exc:
            self._delete_failed(context, instance, exc, event)
            return
        self._release(instance.uuid)
        instance.update({"vm_state": vm_states.DELETED, "task_state": None,
                         "power_state": power_state.NOSTATE,
                         "terminated_at": timeutils.utcnow()})
        try:
            instance.save()
            instance.destroy()
        except exception.InstanceNotFound:
            pass  # deleted by someone else meanwhile: the end we wanted
        LOG.info("Instance %s deleted from %s", instance.uuid, self.host)

    def _delete_failed(self, context: Any, instance: Any, exc: Exception,
                       event: _Event | None) -> None:
        """As Nova: a delete that failed leaves the server in ERROR, on
        its host, with a fault; deleting it again tries again."""
        LOG.error("Could not delete instance %s: %s", instance.uuid,
                  _message(exc))
        if event is not None:
            event.fail(exc)
        self._add_fault(context, instance, exc)
        instance.update({"vm_state": vm_states.ERROR, "task_state": None,
                         "power_state": self._power_state(instance)})
        self._save_quietly(instance, task_states.DELETING)

    @staticmethod
    def _save_quietly(instance: Any, expected_task: str) -> bool:
        try:
            instance.save(expected_task_state=[expected_task])
        except _RACES as race:
            LOG.info("Instance %s moved on meanwhile: %s", instance.uuid,
                     race.format_message())
            return False
        return True

    def reset_host(self, context: Any) -> None:
        """The cloud was reset (minova.reset): the database has no
        instance any more, so neither does this host."""
        ctxt = self._context()
        for uuid in self.driver.list_instances():
            self.driver.destroy(ctxt, _Stub(uuid))
        self.rt.sync_instances([], [])
        self._released = []
        self.rt.update(ctxt)
        LOG.info("Compute %s reset: no instances", self.host)

    # -- reporting ---------------------------------------------------------

    def _report_soon(self) -> None:
        """Write the compute_nodes row and tell the schedulers, once for
        a burst of changes."""
        if self._reporter is None:
            self._reporter = eventlet.spawn_after(
                self.conf.compute.resource_report_coalesce, self._report)

    def _report(self) -> None:
        self._reporter = None
        released, self._released = self._released, []
        ctxt = self._context()
        try:
            self.rt.update(ctxt)
            # Figures and instances of the same moment (no I/O between).
            node = dict(self.rt.figures(),
                        hypervisor_hostname=self.rt.nodename)
            self.scheduler_client.update_instance_info(
                ctxt, self.host, list(self.rt.claims), released, node=node)
        except Exception as exc:
            LOG.warning("Could not report the resources of %s: %s; the "
                        "periodic update retries. Check that the conductor "
                        "runs.", self.host, _message(exc))
            self._released.extend(released)

    @periodic_task.periodic_task(spacing=1, run_immediately=True)
    def update_available_resource(self, context: Any) -> None:
        """Re-read this host's instances and report every
        ``[compute] update_resources_interval`` seconds."""
        interval = (self.conf.compute.update_resources_interval
                    or periodic_task.DEFAULT_INTERVAL)
        if time.monotonic() - self._last_full_update < interval:
            return
        self._last_full_update = time.monotonic()
        ctxt = self._context()
        instances = self.conductor_api.instance_get_all_by_host(ctxt,
                                                                self.host)
        self.rt.sync_instances(list(instances), self._migrations(ctxt))
        self._report()

    def _migrations(self, ctxt: Any) -> list:
        return list(self.conductor_api.migrations_in_progress_by_host(
            ctxt, self.host))


class _Event:
    """One step of the request's instance action, as a ``with`` block:
    "Error" (with the traceback) if the block raised or ``fail`` was
    called, else "Success". Not being able to record it never stops the
    action itself.

    ``carried`` (the build), with a conductor that takes them (RPC 1.5):
    the start waits for the step's first ``save``, which comes before the
    driver is called, and a successful end rides on a ``save(...,
    finish=True)``: one conductor call each instead of three. What they
    did not carry (the block ended before a save, a save failed) is
    written at the end of the block, as before. Other steps start their
    event at once: its start time, and the fake driver's count of
    attempts (minova.virt.fake_script), are from before the driver call.
    """

    def __init__(self, conductor_api: Any, context: Any, instance: Any,
                 name: str, host: str, carried: bool = False) -> None:
        self.conductor_api = conductor_api
        self.context = context
        self.instance_uuid = instance.uuid
        self.name = name
        self.host = host
        self.error: BaseException | None = None
        self._carried = carried
        self._start_pending = False
        self._finished = False

    def fail(self, exc: BaseException) -> None:
        self.error = exc

    def save(self, instance: Any, expected_task_state: list,
             finish: bool = False) -> None:
        """``instance.save(expected_task_state=...)``, carrying the pending
        start and, with ``finish`` and no failure so far, the "Success"
        end of this event."""
        finish = finish and self.error is None
        if not (self._start_pending or finish) or not \
                self.conductor_api.can_save_with_events():
            instance.save(expected_task_state=expected_task_state)
            return
        start = ({"event": self.name, "host": self.host}
                 if self._start_pending else None)
        # Sent: the conductor writes the start even if the save fails.
        self._start_pending = False
        self.conductor_api.instance_save_with_events(
            self.context, instance, expected_task_state, start=start,
            finish=({"event": self.name, "result": action_obj.SUCCESS}
                    if finish else None))
        self._finished = finish

    def __enter__(self) -> _Event:
        if self._carried and self.conductor_api.can_save_with_events():
            self._start_pending = True
        else:
            self._start()
        return self

    def _start(self) -> None:
        self._quietly(self.conductor_api.action_event_start,
                      self.context, self.instance_uuid, self.name,
                      self.host)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._start_pending:
            self._start_pending = False
            self._start()
        # Ended from outside (an abandoned build, GreenletExit): the
        # reason given to fail() says why, the exit does not.
        error = (self.error if self.error is not None
                 and isinstance(exc, greenlet.GreenletExit) else
                 exc or self.error)
        if self._finished and error is None:
            return
        if error is None:
            self._quietly(self.conductor_api.action_event_finish,
                          self.context, self.instance_uuid, self.name,
                          action_obj.SUCCESS)
            return
        self._quietly(self.conductor_api.action_event_finish,
                      self.context, self.instance_uuid, self.name,
                      action_obj.ERROR,
                      traceback="".join(traceback.format_exception(error)),
                      details=_message(error))

    def _quietly(self, method: Any, *args: Any, **kwargs: Any) -> None:
        try:
            method(*args, **kwargs)
        except exception.InstanceActionNotFound:
            # A request from before actions were recorded: nothing to add
            # the event to.
            LOG.debug("No action of request %s on instance %s for event "
                      "%s", self.context.request_id, self.instance_uuid,
                      self.name)
        except Exception as exc:  # noqa: BLE001 - the action goes on
            LOG.warning("Could not record event %s of instance %s: %s",
                        self.name, self.instance_uuid, _message(exc))


class _Stub:
    """Just enough of an instance for ``driver.destroy``."""

    def __init__(self, uuid: str) -> None:
        self.uuid = uuid

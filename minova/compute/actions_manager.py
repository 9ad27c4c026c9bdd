"""minova-compute's side of the server actions, mixed into its
ComputeManager: stop, start, reboot, pause, unpause, suspend, resume and
rebuild (the states each goes through are in ``minova.compute.manager``'s
docstring). Each runs under the instance's lock, as an event of the
request's instance action.
"""

from __future__ import annotations

import logging
from typing import Any

from oslo_concurrency import lockutils
from oslo_utils import timeutils

from minova import exception
from minova.compute import power_state
from minova.compute import task_states
from minova.compute import vm_states

LOG = logging.getLogger(__name__)

_message = exception.describe


class ActionsMixin:
    """Needs the manager's driver and its helpers (_event, _add_fault,
    _power_state, _save_quietly)."""

    driver: Any

    def stop_instance(self, context: Any, instance: Any) -> None:
        self._power_action(context, instance, "stop",
                           task_states.POWERING_OFF, vm_states.STOPPED,
                           self.driver.power_off)

    def start_instance(self, context: Any, instance: Any) -> None:
        self._power_action(context, instance, "start",
                           task_states.POWERING_ON, vm_states.ACTIVE,
                           self.driver.power_on)

    def reboot_instance(self, context: Any, instance: Any,
                        reboot_type: str) -> None:
        expected = (task_states.REBOOTING_HARD if reboot_type == "HARD"
                    else task_states.REBOOTING)
        self._power_action(
            context, instance, "reboot", expected, vm_states.ACTIVE,
            lambda ctxt, inst: self.driver.reboot(ctxt, inst, reboot_type))

    def _power_action(self, context: Any, instance: Any, action: str,
                      expected_task: str, final_vm_state: str,
                      operation: Any) -> None:
        """Run ``operation``; then ``final_vm_state`` with no task. If it
        fails, the task is cleared and a fault says why."""
        with lockutils.lock(instance.uuid), \
                self._event(context, instance,
                            "compute_%s_instance" % action) as event:
            try:
                operation(context, instance)
            except Exception as exc:
                LOG.error("Could not %s instance %s: %s", action,
                          instance.uuid, _message(exc))
                event.fail(exc)
                self._add_fault(context, instance, exc)
                instance.task_state = None
                instance.power_state = self._power_state(instance)
                if (action == "reboot"
                        and instance.power_state != power_state.RUNNING):
                    # As Nova: a reboot that left the guest down is ERROR.
                    instance.vm_state = vm_states.ERROR
                self._save_quietly(instance, expected_task)
                return
            instance.update({"vm_state": final_vm_state, "task_state": None,
                             "power_state": self._power_state(instance)})
            if self._save_quietly(instance, expected_task):
                LOG.info("Instance %s: %s done", instance.uuid, action)

    def pause_instance(self, context: Any, instance: Any) -> None:
        self._power_action(context, instance, "pause", task_states.PAUSING,
                           vm_states.PAUSED, self.driver.pause)

    def unpause_instance(self, context: Any, instance: Any) -> None:
        self._power_action(context, instance, "unpause",
                           task_states.UNPAUSING, vm_states.ACTIVE,
                           self.driver.unpause)

    def suspend_instance(self, context: Any, instance: Any) -> None:
        self._power_action(context, instance, "suspend",
                           task_states.SUSPENDING, vm_states.SUSPENDED,
                           self.driver.suspend)

    def resume_instance(self, context: Any, instance: Any) -> None:
        self._power_action(context, instance, "resume",
                           task_states.RESUMING, vm_states.ACTIVE,
                           self.driver.resume)

    def rebuild_instance(self, context: Any, instance: Any, image_ref: str,
                         preserve_ephemeral: bool = False) -> None:
        with lockutils.lock(instance.uuid), \
                self._event(context, instance,
                            "compute_rebuild_instance") as event:
            self._rebuild(context, instance, image_ref, preserve_ephemeral,
                          event)

    def _rebuild(self, context: Any, instance: Any, image_ref: str,
                 preserve_ephemeral: bool, event: Any) -> None:
        was_stopped = instance.vm_state == vm_states.STOPPED
        instance.task_state = task_states.REBUILD_SPAWNING
        if not self._save_quietly(instance, task_states.REBUILDING):
            return
        try:
            self.driver.rebuild(context, instance, image_ref,
                                preserve_ephemeral=preserve_ephemeral)
            if was_stopped:
                self.driver.power_off(context, instance)
        except Exception as exc:
            LOG.error("Could not rebuild instance %s: %s", instance.uuid,
                      _message(exc))
            event.fail(exc)
            self._add_fault(context, instance, exc)
            instance.update({"vm_state": vm_states.ERROR, "task_state": None,
                             "power_state": self._power_state(instance)})
            self._save_quietly(instance, task_states.REBUILD_SPAWNING)
            return
        instance.update({
            "vm_state": vm_states.STOPPED if was_stopped
            else vm_states.ACTIVE,
            "task_state": None, "power_state": self._power_state(instance),
            "launched_at": timeutils.utcnow()})
        if self._save_quietly(instance, task_states.REBUILD_SPAWNING):
            LOG.info("Instance %s rebuilt from image %s", instance.uuid,
                     image_ref)

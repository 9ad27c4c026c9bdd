"""minova-compute's side of a resize, mixed into its ComputeManager.

prep_resize (destination: claim the new flavor) -> resize_instance
(source: hand the disk over) -> finish_resize (destination: run it with the
new flavor, VERIFY_RESIZE); then confirm_resize (source: release the old
flavor) or revert_resize (destination: release the new one) ->
finish_revert_resize (source: run it as it was). Each step is a cast to the
host that does it (``minova.compute.rpcapi``, 1.2) and an event of the
request's instance action; the claims are described in
``minova.compute.resource_tracker``.
"""

from __future__ import annotations

import logging
from typing import Any

from oslo_concurrency import lockutils

from minova import exception
from minova.compute import resource_tracker
from minova.compute import task_states
from minova.compute import vm_states

LOG = logging.getLogger(__name__)

_message = exception.describe


class ResizeMixin:
    """Needs the manager's driver, rt, compute_rpcapi and its helpers
    (_event, _release, _save_quietly, _add_fault, _power_state,
    _report_soon)."""

    driver: Any
    rt: Any
    compute_rpcapi: Any

    def prep_resize(self, context: Any, instance: Any,
                    migration: Any) -> None:
        with lockutils.lock(instance.uuid), \
                self._event(context, instance, "compute_prep_resize"):
            key = resource_tracker.new_claim(instance.uuid)
            self.rt.claim_flavor(key, migration.new_flavor)
            instance.task_state = task_states.RESIZE_MIGRATING
            if not self._save_quietly(instance, task_states.RESIZE_PREP):
                self._release(key)
                self._resize_error(migration)
                return
        self._report_soon()
        self.compute_rpcapi.resize_instance(context, instance, migration)

    def resize_instance(self, context: Any, instance: Any,
                        migration: Any) -> None:
        with lockutils.lock(instance.uuid), \
                self._event(context, instance,
                            "compute_resize_instance") as event:
            try:
                self.driver.migrate_disk_and_power_off(context, instance)
            except Exception as exc:
                event.fail(exc)
                self._resize_failed(context, instance, migration, exc,
                                    task_states.RESIZE_MIGRATING)
                return
            self.rt.rename(instance.uuid,
                           resource_tracker.old_claim(instance.uuid))
            instance.task_state = task_states.RESIZE_MIGRATED
            if not self._save_quietly(instance,
                                      task_states.RESIZE_MIGRATING):
                return
        self.compute_rpcapi.finish_resize(context, instance, migration)

    def finish_resize(self, context: Any, instance: Any,
                      migration: Any) -> None:
        with lockutils.lock(instance.uuid), \
                self._event(context, instance,
                            "compute_finish_resize") as event:
            power_on = migration.old_vm_state != vm_states.STOPPED
            try:
                self.driver.finish_migration(context, instance, power_on)
            except Exception as exc:
                event.fail(exc)
                self._resize_failed(context, instance, migration, exc,
                                    task_states.RESIZE_MIGRATED)
                return
            self.rt.rename(resource_tracker.new_claim(instance.uuid),
                           instance.uuid)
            self._set_flavor(instance, migration.new_flavor,
                             migration.new_instance_type_id)
            instance.update({"host": self.host,
                             "node": migration.dest_node,
                             "vm_state": vm_states.RESIZED,
                             "task_state": None,
                             "power_state": self._power_state(instance)})
            if not self._save_quietly(instance,
                                      task_states.RESIZE_MIGRATED):
                return
            migration.status = "finished"
            migration.save()
        LOG.info("Instance %s resized onto %s; waiting for confirm or "
                 "revert", instance.uuid, self.host)
        self._report_soon()

    def confirm_resize(self, context: Any, instance: Any,
                       migration: Any) -> None:
        with lockutils.lock(instance.uuid), \
                self._event(context, instance, "compute_confirm_resize"):
            if migration.dest_compute != self.host:
                self.driver.confirm_migration(context, instance)
            self._release(resource_tracker.old_claim(instance.uuid))
            instance.update({
                "vm_state": (vm_states.STOPPED
                             if migration.old_vm_state == vm_states.STOPPED
                             else vm_states.ACTIVE),
                "task_state": None})
            if self._save_quietly(instance, task_states.RESIZE_CONFIRMING):
                migration.status = "confirmed"
                migration.save()
        self._report_soon()

    def revert_resize(self, context: Any, instance: Any,
                      migration: Any) -> None:
        with lockutils.lock(instance.uuid), \
                self._event(context, instance, "compute_revert_resize"):
            if migration.source_compute != self.host:
                self.driver.destroy(context, instance)
            self._release(instance.uuid)
        self._report_soon()
        self.compute_rpcapi.finish_revert_resize(context, instance,
                                                 migration)

    def finish_revert_resize(self, context: Any, instance: Any,
                             migration: Any) -> None:
        with lockutils.lock(instance.uuid), \
                self._event(context, instance,
                            "compute_finish_revert_resize"):
            power_on = migration.old_vm_state != vm_states.STOPPED
            self.driver.finish_revert_migration(context, instance, power_on)
            self.rt.rename(resource_tracker.old_claim(instance.uuid),
                           instance.uuid)
            self._set_flavor(instance, migration.old_flavor,
                             migration.old_instance_type_id)
            instance.update({"host": self.host,
                             "node": migration.source_node,
                             "vm_state": migration.old_vm_state,
                             "task_state": None,
                             "power_state": self._power_state(instance)})
            if self._save_quietly(instance, task_states.RESIZE_REVERTING):
                migration.status = "reverted"
                migration.save()
        LOG.info("Instance %s resize reverted, back on %s", instance.uuid,
                 self.host)
        self._report_soon()

    @staticmethod
    def _set_flavor(instance: Any, flavor: Any,
                    flavor_id: int | None) -> None:
        instance.update({"flavor": flavor, "flavor_id": flavor_id,
                         "memory_mb": flavor.memory_mb,
                         "vcpus": flavor.vcpus, "root_gb": flavor.root_gb,
                         "ephemeral_gb": flavor.ephemeral_gb})

    def _resize_failed(self, context: Any, instance: Any, migration: Any,
                       exc: Exception, expected_task: str) -> None:
        """ERROR with a fault, as Nova; the resize's second claim goes
        with the migration's status."""
        LOG.error("Could not resize instance %s: %s", instance.uuid,
                  _message(exc))
        self._add_fault(context, instance, exc)
        instance.update({"vm_state": vm_states.ERROR, "task_state": None,
                         "power_state": self._power_state(instance)})
        self._save_quietly(instance, expected_task)
        self._resize_error(migration)

    @staticmethod
    def _resize_error(migration: Any) -> None:
        migration.status = "error"
        try:
            migration.save()
        except Exception as exc:  # noqa: BLE001 - logged, periodic fixes
            LOG.warning("Could not mark migration %s failed: %s",
                        migration.id, _message(exc))

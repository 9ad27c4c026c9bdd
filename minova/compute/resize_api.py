"""The compute API's resize: start one, confirm or revert it.

A resize goes to the conductor (the scheduler picks the destination and
claims the new flavor there); confirm and revert go to the compute that
holds the flavor to give up (``minova.compute.resize_manager``).
"""

from __future__ import annotations

from typing import Any

from oslo_utils import uuidutils

from minova import exception
from minova import quota
from minova.compute import task_states
from minova.compute import vm_states
from minova.compute.checks import check_lock as _check_lock
from minova.compute.checks import check_state as _check_state
from minova.compute.checks import record as _record
from minova.db import api as db_api
from minova.objects import instance_action as action_obj
from minova.objects import migration as migration_obj


class ResizeAPIMixin:
    """Part of ``minova.compute.api.API``."""

    conf: Any
    compute_task_api: Any
    compute_rpcapi: Any

    @staticmethod
    def _end_resize_for_delete(context: Any, instance: Any) -> None:
        """A server deleted while VERIFY_RESIZE: the resize is over, so
        the source stops holding the old flavor (from its next periodic
        resource update)."""
        try:
            migration = migration_obj.Migration.get_by_instance_and_status(
                context, instance.uuid, "finished")
        except exception.MigrationNotFoundByStatus:
            return
        migration.status = "confirmed"
        migration.save()


    def resize(self, context: Any, instance: Any, flavor: Any) -> None:
        """Resize to ``flavor`` (ACTIVE or STOPPED, no task): the
        conductor has the scheduler pick a host with room for the new
        flavor (not this one unless ``allow_resize_to_same_host``), which
        claims it; the old flavor stays claimed on the source until the
        resize is confirmed or reverted. The quota must allow the growth
        (403)."""
        _check_lock(context, instance)
        _check_state(instance, action_obj.RESIZE,
                     [vm_states.ACTIVE, vm_states.STOPPED], [None])
        if not instance.host:
            raise exception.InstanceInvalidState(
                action=action_obj.RESIZE, instance_uuid=instance.uuid,
                attr="host", state=None)
        current = instance.flavor
        if current is not None and current.flavorid == flavor.flavorid:
            raise exception.CannotResizeToSameFlavor()
        if getattr(flavor, "disabled", False):
            raise exception.FlavorNotFoundForBoot(flavor_id=flavor.flavorid)
        self._check_resize_quota(context, instance, flavor)
        migration = migration_obj.Migration(
            context, instance_uuid=instance.uuid, migration_type="resize",
            status="pre-migrating", source_compute=instance.host,
            source_node=instance.node, old_flavor=current,
            new_flavor=flavor, old_instance_type_id=instance.flavor_id,
            new_instance_type_id=flavor.id, old_vm_state=instance.vm_state,
            uuid=uuidutils.generate_uuid(), user_id=context.user_id,
            project_id=context.project_id)
        instance.task_state = task_states.RESIZE_PREP
        instance.save(expected_task_state=[None])
        migration.create()
        _record(context, instance, action_obj.RESIZE)
        self.compute_task_api.resize_instance(context, instance, migration)

    def _check_resize_quota(self, context: Any, instance: Any,
                            flavor: Any) -> None:
        db = db_api.from_context(context)
        quota.check_resize(
            quota.project_limits(self.conf, db, instance.project_id),
            quota.usage(db, instance.project_id), instance, flavor)

    def confirm_resize(self, context: Any, instance: Any) -> None:
        """Keep the new flavor (VERIFY_RESIZE): the source gives up the
        old one."""
        _check_lock(context, instance)
        _check_state(instance, action_obj.CONFIRM_RESIZE,
                     [vm_states.RESIZED], [None])
        migration = migration_obj.Migration.get_by_instance_and_status(
            context, instance.uuid, "finished")
        instance.task_state = task_states.RESIZE_CONFIRMING
        instance.save(expected_task_state=[None])
        migration.status = "confirming"
        migration.save()
        _record(context, instance, action_obj.CONFIRM_RESIZE)
        self.compute_rpcapi.confirm_resize(context, instance, migration)

    def revert_resize(self, context: Any, instance: Any) -> None:
        """Go back to the old flavor on the source (VERIFY_RESIZE): the
        destination gives up the new one."""
        _check_lock(context, instance)
        _check_state(instance, action_obj.REVERT_RESIZE,
                     [vm_states.RESIZED], [None])
        migration = migration_obj.Migration.get_by_instance_and_status(
            context, instance.uuid, "finished")
        instance.task_state = task_states.RESIZE_REVERTING
        instance.save(expected_task_state=[None])
        migration.status = "reverting"
        migration.save()
        _record(context, instance, action_obj.REVERT_RESIZE)
        self.compute_rpcapi.revert_resize(context, instance, migration)

"""The compute API's server actions: stop, start, pause, unpause, suspend,
resume, lock, unlock, rebuild, reboot, and the server's metadata.

Each checks the lock and the state, moves the task state with a
compare-and-swap (of two racing actions one gets a 409), records the action
for ``os-instance-actions`` and casts to the instance's host.
"""

from __future__ import annotations

import logging
from typing import Any

from minova import exception
from minova import quota
from minova.compute import task_states
from minova.compute import vm_states
from minova.compute.checks import check_lock as _check_lock
from minova.compute.checks import check_state as _check_state
from minova.compute.checks import record as _record
from minova.db import api as db_api
from minova.objects import instance_action as action_obj

LOG = logging.getLogger(__name__)

REBOOT_TYPES = ("SOFT", "HARD")

# What a rebuild may set besides its image, name and metadata.
_REBUILD_CHANGES = frozenset(("key_name", "user_data", "hostname"))

# Task states a hard reboot may interrupt (as Nova: it is the way out of a
# stuck soft reboot).
_HARD_REBOOT_FROM = [None, task_states.REBOOTING,
                     task_states.REBOOT_PENDING, task_states.REBOOT_STARTED,
                     task_states.REBOOTING_HARD]


class ActionsAPIMixin:
    """Part of ``minova.compute.api.API``."""

    conf: Any
    compute_rpcapi: Any

    def _simple_action(self, context: Any, instance: Any, action: str,
                       vm_state: str, task_state: str, cast: Any) -> None:
        """An action allowed in ``vm_state`` with no task running: check
        the lock and the state, move the task (compare-and-swap), record
        the action and cast ``cast`` to the instance's host."""
        _check_lock(context, instance)
        _check_state(instance, action, [vm_state], [None])
        instance.task_state = task_state
        instance.save(expected_task_state=[None])
        _record(context, instance, action)
        cast(context, instance)

    def stop(self, context: Any, instance: Any) -> None:
        self._simple_action(context, instance, action_obj.STOP,
                            vm_states.ACTIVE, task_states.POWERING_OFF,
                            self.compute_rpcapi.stop_instance)

    def start(self, context: Any, instance: Any) -> None:
        self._simple_action(context, instance, action_obj.START,
                            vm_states.STOPPED, task_states.POWERING_ON,
                            self.compute_rpcapi.start_instance)

    def pause(self, context: Any, instance: Any) -> None:
        self._simple_action(context, instance, action_obj.PAUSE,
                            vm_states.ACTIVE, task_states.PAUSING,
                            self.compute_rpcapi.pause_instance)

    def unpause(self, context: Any, instance: Any) -> None:
        self._simple_action(context, instance, action_obj.UNPAUSE,
                            vm_states.PAUSED, task_states.UNPAUSING,
                            self.compute_rpcapi.unpause_instance)

    def suspend(self, context: Any, instance: Any) -> None:
        self._simple_action(context, instance, action_obj.SUSPEND,
                            vm_states.ACTIVE, task_states.SUSPENDING,
                            self.compute_rpcapi.suspend_instance)

    def resume(self, context: Any, instance: Any) -> None:
        self._simple_action(context, instance, action_obj.RESUME,
                            vm_states.SUSPENDED, task_states.RESUMING,
                            self.compute_rpcapi.resume_instance)

    def lock(self, context: Any, instance: Any,
             reason: str | None = None) -> None:
        """Lock in any state; ``locked_by`` says whether the owner or an
        admin did. Locking again is a no-op for the owner (as Nova), and
        lets an admin take the lock over."""
        is_owner = instance.project_id == context.project_id
        if instance.locked and is_owner:
            return
        _record(context, instance, action_obj.LOCK)
        instance.update({"locked": True,
                         "locked_by": "owner" if is_owner else "admin",
                         "locked_reason": reason})
        instance.save()
        LOG.info("Instance %s locked by its %s", instance.uuid,
                 instance.locked_by)

    @staticmethod
    def is_expected_locked_by(context: Any, instance: Any) -> bool:
        """Whether the lock is the caller's kind (owner or admin); else
        unlocking takes the ``unlock_override`` policy."""
        is_owner = instance.project_id == context.project_id
        expected = "owner" if is_owner else "admin"
        return not instance.locked_by or instance.locked_by == expected

    def unlock(self, context: Any, instance: Any) -> None:
        _record(context, instance, action_obj.UNLOCK)
        instance.update({"locked": False, "locked_by": None,
                         "locked_reason": None})
        instance.save()
        LOG.info("Instance %s unlocked", instance.uuid)

    def rebuild(self, context: Any, instance: Any, image_ref: str, *,
                name: str | None = None,
                metadata: dict | None = None,
                preserve_ephemeral: bool = False,
                **changes: Any) -> None:
        """Rebuild from ``image_ref`` on the same host (ACTIVE, STOPPED or
        ERROR, no task); a stopped server comes back stopped, as in Nova.
        ``name`` and ``metadata`` replace the server's when given.

        ``changes`` are the attributes a rebuild may also set or unset
        (None), as Nova's: ``key_name`` (2.54, the caller's key pair,
        checked by the API), ``user_data`` (2.57, base64) and
        ``hostname`` (2.90); one not given is left as it is."""
        unknown = set(changes) - _REBUILD_CHANGES
        if unknown:
            raise TypeError("rebuild() got unexpected %s" % sorted(unknown))
        _check_lock(context, instance)
        _check_state(instance, action_obj.REBUILD,
                     [vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR],
                     [None])
        if not instance.host:
            raise exception.InstanceInvalidState(
                action=action_obj.REBUILD, instance_uuid=instance.uuid,
                attr="host", state=None)
        if metadata is not None:
            limits = quota.project_limits(self.conf,
                                          db_api.from_context(context),
                                          instance.project_id)
            quota.check_metadata(limits, metadata)
            instance.metadata = dict(metadata)
        if name is not None:
            instance.display_name = name
        instance.update(changes)
        instance.image_ref = image_ref
        instance.task_state = task_states.REBUILDING
        instance.save(expected_task_state=[None])
        _record(context, instance, action_obj.REBUILD)
        self.compute_rpcapi.rebuild_instance(
            context, instance, image_ref,
            preserve_ephemeral=preserve_ephemeral)

    def reboot(self, context: Any, instance: Any, reboot_type: str) -> None:
        """``SOFT`` (ACTIVE, no task) or ``HARD`` (ACTIVE, STOPPED or
        ERROR; may interrupt a reboot in progress)."""
        if reboot_type not in REBOOT_TYPES:
            raise exception.ValidationError(
                field="type", reason="must be one of %s"
                % ", ".join(REBOOT_TYPES))
        _check_lock(context, instance)
        if reboot_type == "SOFT":
            expected = [None]
            _check_state(instance, "reboot", [vm_states.ACTIVE], expected)
            instance.task_state = task_states.REBOOTING
        else:
            expected = _HARD_REBOOT_FROM
            _check_state(instance, "reboot", [vm_states.ACTIVE,
                                              vm_states.STOPPED,
                                              vm_states.ERROR], expected)
            instance.task_state = task_states.REBOOTING_HARD
        if not instance.host:
            raise exception.InstanceInvalidState(
                action="reboot", instance_uuid=instance.uuid, attr="host",
                state=None)
        instance.save(expected_task_state=expected)
        _record(context, instance, action_obj.REBOOT)
        self.compute_rpcapi.reboot_instance(context, instance, reboot_type)

    # -- metadata (issue 9, RES1) ----------------------------------------

    # Nova's state check for metadata changes ("paused" and "suspended"
    # are Nova's vm_states of those actions, should minova get them).
    _METADATA_STATES = [vm_states.ACTIVE, "paused", "suspended",
                        vm_states.STOPPED]

    def update_metadata(self, context: Any, instance: Any, metadata: dict,
                        replace: bool = False) -> dict:
        """Merge ``metadata`` into the server's (or, with ``replace``,
        make it the server's); returns the result. Held to the
        ``metadata_items`` quota (403); 409 unless the server is ACTIVE,
        PAUSED, SUSPENDED or STOPPED with no task. Stored with a
        compare-and-swap on the task state, so an action that starts
        meanwhile wins and this is a 409."""
        _check_state(instance, "update_metadata", self._METADATA_STATES,
                     [None])
        merged = dict(metadata) if replace else {**instance.metadata,
                                                 **metadata}
        db = db_api.from_context(context)
        quota.check_metadata(
            quota.project_limits(self.conf, db, instance.project_id),
            merged)
        instance.metadata = merged
        instance.save(expected_task_state=[None])
        return merged

    def delete_metadata_item(self, context: Any, instance: Any,
                             key: str) -> None:
        _check_state(instance, "delete_metadata", self._METADATA_STATES,
                     [None])
        if key not in instance.metadata:
            raise exception.MetadataKeyNotFound()
        metadata = dict(instance.metadata)
        del metadata[key]
        instance.metadata = metadata
        instance.save(expected_task_state=[None])

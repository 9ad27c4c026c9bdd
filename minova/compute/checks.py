"""The checks every server action of the compute API makes, and the
record of each in os-instance-actions."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.objects import instance_action as action_obj


def check_state(instance: Any, action: str, vm_state: list,
                task_state: list | None = None) -> None:
    """``InstanceInvalidState`` (409) unless the instance is in one of
    ``vm_state`` and, when given, one of ``task_state``."""
    if instance.vm_state not in vm_state:
        raise exception.InstanceInvalidState(
            action=action, instance_uuid=instance.uuid, attr="vm_state",
            state=instance.vm_state)
    if task_state is not None and instance.task_state not in task_state:
        raise exception.InstanceInvalidState(
            action=action, instance_uuid=instance.uuid, attr="task_state",
            state=instance.task_state)


def check_lock(context: Any, instance: Any) -> None:
    """``InstanceIsLocked`` (409) for a locked instance, unless the
    context is an admin's (as Nova's ``check_instance_lock``)."""
    if instance.locked and not context.is_admin:
        raise exception.InstanceIsLocked(instance_uuid=instance.uuid)


def record(context: Any, instance: Any, action: str) -> None:
    """Start the instance action of this request (os-instance-actions)."""
    action_obj.InstanceAction.action_start(context, instance.uuid, action)

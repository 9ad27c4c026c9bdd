"""Scripted behaviour of the fake driver, for people testing their tools.

Each of the operations build, stop, start, reboot and delete can be made
slow or failing, per server, with three keys::

    minova:<operation>_delay       seconds the operation takes
    minova:<operation>_fail        it fails, with this fault message
    minova:<operation>_fail_times  the first K attempts fail (with the
                                   message of <operation>_fail if set)

A key is read from the server's metadata, else from its flavor's extra
specs (as the flavor was at boot), else from the ``[fake_driver]`` option
of the same name (``build_delay`` falls back to ``spawn_delay``). Nothing
happens unless one is set.

"The first K attempts" counts per server across hosts, retries and
restarts: an attempt is an event of the server's instance actions
(``compute__do_build_and_run_instance`` ...), which the compute writes
through the conductor before it calls the driver, so the count lives in
the database and survives a reschedule to another host. A rebuild spawns
again and counts as a build attempt: a server whose build failed once
with ``build_fail_times=1`` rebuilds fine.

What a failure means is Nova's (minova.compute.manager): a failed build
is ERROR with a fault; a failed stop or start leaves the server as it was
with a fault and the event "Error"; a failed reboot leaves the guest shut
off, so the server goes to ERROR as Nova puts it; a failed delete is
ERROR, still there, and can be deleted again.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from oslo_config import cfg

from minova import exception
from minova.compute import task_states
from minova.objects import instance_action as action_obj

PREFIX = "minova:"

# The instance action events that are attempts of each operation.
EVENTS = {
    "build": ("compute__do_build_and_run_instance",
              "compute_rebuild_instance"),
    "stop": ("compute_stop_instance",),
    "start": ("compute_start_instance",),
    "reboot": ("compute_reboot_instance",),
    "delete": ("compute_terminate_instance",),
}

# The task state a server is in when the operation is the one asked for
# by a user: the driver is also called to clean up after a failed build,
# to restore guests at start-up or on the way of a rebuild or resize, and
# those are not scripted.
TASK_STATES = {
    "build": (task_states.SPAWNING, task_states.REBUILD_SPAWNING),
    "stop": (task_states.POWERING_OFF,),
    "start": (task_states.POWERING_ON,),
    "reboot": (task_states.REBOOTING, task_states.REBOOTING_HARD),
    "delete": (task_states.DELETING,),
}


@dataclasses.dataclass
class Script:
    delay: float = 0.0
    fail: str | None = None
    fail_times: int = 0


def _lookup(conf: cfg.ConfigOpts, instance: Any, name: str) -> tuple:
    """(value, where it came from) of ``name``: metadata, extra spec,
    option."""
    key = PREFIX + name
    metadata = getattr(instance, "metadata", None) or {}
    if key in metadata:
        return metadata[key], "server metadata %s" % key
    flavor = getattr(instance, "flavor", None)
    specs = (getattr(flavor, "extra_specs", None) or {}) if flavor else {}
    if key in specs:
        return specs[key], "flavor extra spec %s" % key
    return getattr(conf.fake_driver, name), None


def _number(conf: cfg.ConfigOpts, instance: Any, name: str, kind: type,
            low: float, high: float) -> Any:
    value, where = _lookup(conf, instance, name)
    if value is None or where is None:
        return value
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise exception.FakeOperationFailed(
            reason="Invalid %s: %s is not a %s from %s to %s" % (
                where, exception.quote(value),
                "number of seconds" if kind is float else "whole number",
                low, high))
    return number


def script(conf: cfg.ConfigOpts, instance: Any, operation: str) -> Script:
    """What ``operation`` on ``instance`` does; ``FakeOperationFailed``
    for a key whose value is not a number."""
    delay = _number(conf, instance, operation + "_delay", float, 0, 86400)
    if delay is None and operation == "build":
        delay = conf.fake_driver.spawn_delay
    fail, _ = _lookup(conf, instance, operation + "_fail")
    fail_times = _number(conf, instance, operation + "_fail_times", int,
                         0, 1000000)
    return Script(delay=delay or 0.0, fail=fail or None,
                  fail_times=fail_times or 0)


def applies(instance: Any, operation: str) -> bool:
    return getattr(instance, "task_state", None) in TASK_STATES[operation]


def attempts(context: Any, instance: Any, operation: str) -> int:
    """How many times ``operation`` was tried on the server, this attempt
    included (its event is started before the driver is called)."""
    args = (instance.uuid, list(EVENTS[operation]))
    conductor = getattr(context, "indirection_api", None)
    if conductor is None:  # a service with the database (minova-all)
        return action_obj.InstanceActionEventList.count_by_instance(
            context, *args)
    # Remotable classmethods run locally (minova.objects.base): a
    # compute asks the conductor explicitly.
    cls = action_obj.InstanceActionEventList
    return conductor.object_class_action_versions(
        context, cls.obj_name(), "count_by_instance",
        {cls.obj_name(): cls.VERSION}, args, {})


def failure(context: Any, instance: Any, operation: str,
            plan: Script) -> exception.FakeOperationFailed | None:
    """The failure this attempt is scripted to have, if any."""
    if plan.fail_times:
        attempt = attempts(context, instance, operation)
        if attempt > plan.fail_times:
            return None
        return exception.FakeOperationFailed(
            reason=plan.fail or "Scripted %s failure (attempt %d of the "
            "first %d that fail)" % (operation, attempt, plan.fail_times))
    if plan.fail:
        return exception.FakeOperationFailed(reason=plan.fail)
    return None

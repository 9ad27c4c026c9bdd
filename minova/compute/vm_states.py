"""Stable states of an instance (Nova's ``vm_state``).

A vm_state says what the instance is when no task runs; ``task_states``
says what is being done to it right now.
"""

ACTIVE = "active"
BUILDING = "building"
STOPPED = "stopped"
ERROR = "error"
DELETED = "deleted"
PAUSED = "paused"
SUSPENDED = "suspended"
RESIZED = "resized"

"""Transitional states of an instance (Nova's ``task_state``)."""

SCHEDULING = "scheduling"
BLOCK_DEVICE_MAPPING = "block_device_mapping"
NETWORKING = "networking"
SPAWNING = "spawning"

POWERING_OFF = "powering-off"
POWERING_ON = "powering-on"
REBOOTING = "rebooting"
REBOOTING_HARD = "rebooting_hard"
REBOOT_PENDING = "reboot_pending"
REBOOT_STARTED = "reboot_started"
DELETING = "deleting"

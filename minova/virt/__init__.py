"""Virt drivers: how minova-compute runs instances on its hypervisor."""

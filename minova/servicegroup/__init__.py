"""Service group membership: who is up, judged from heartbeats."""

from minova.servicegroup.api import API

__all__ = ["API"]

"""Versioned objects: the data that crosses RPC, with its DB behaviour.

``register_all()`` imports every object module so that the registry knows
the classes before the first message is deserialized.
"""


def register_all() -> None:
    __import__("minova.objects.service")
    __import__("minova.objects.flavor")
    __import__("minova.objects.compute_node")
    __import__("minova.objects.instance")
    __import__("minova.objects.instance_action")
    __import__("minova.objects.keypair")
    __import__("minova.objects.migration")
    __import__("minova.objects.tag")

"""The network API's policy defaults, Neutron's: an admin sees and does
everything; a project owns its resources; shared and external networks
(and their subnets) are visible to all; only an admin makes a network
shared or external. Targets are the resource's fields, as Neutron
passes them, with the network's as ``network:<field>`` for a subnet."""

from __future__ import annotations

from oslo_policy import policy as oslo_policy

ADMIN = "role:admin"
ADMIN_OR_OWNER = "role:admin or project_id:%(project_id)s"
ANY = "@"
NETWORK_VISIBLE = (ADMIN_OR_OWNER + " or 'True':%(shared)s"
                   " or 'True':%(router:external)s")
SUBNET_VISIBLE = (ADMIN_OR_OWNER + " or 'True':%(network:shared)s"
                  " or 'True':%(network:router:external)s")
NETWORK_OWNER = "role:admin or project_id:%(network:project_id)s"


def _rule(name: str, check: str, description: str, method: str,
          path: str) -> oslo_policy.DocumentedRuleDefault:
    return oslo_policy.DocumentedRuleDefault(
        "network:" + name, check, description,
        [{"method": method, "path": "/networking/v2.0" + path}])


RULES = [
    _rule("create_network", ANY, "Create a network.", "POST", "/networks"),
    _rule("create_network:shared", ADMIN, "Create a shared network.",
          "POST", "/networks"),
    _rule("create_network:router:external", ADMIN,
          "Create an external network.", "POST", "/networks"),
    _rule("get_network", NETWORK_VISIBLE, "Show a network.", "GET",
          "/networks/{id}"),
    _rule("update_network", ADMIN_OR_OWNER, "Update a network.", "PUT",
          "/networks/{id}"),
    _rule("update_network:shared", ADMIN, "Share a network.", "PUT",
          "/networks/{id}"),
    _rule("update_network:router:external", ADMIN,
          "Make a network external.", "PUT", "/networks/{id}"),
    _rule("delete_network", ADMIN_OR_OWNER, "Delete a network.", "DELETE",
          "/networks/{id}"),
    _rule("create_subnet", NETWORK_OWNER, "Create a subnet.", "POST",
          "/subnets"),
    _rule("get_subnet", SUBNET_VISIBLE, "Show a subnet.", "GET",
          "/subnets/{id}"),
    _rule("update_subnet", NETWORK_OWNER, "Update a subnet.", "PUT",
          "/subnets/{id}"),
    _rule("delete_subnet", NETWORK_OWNER, "Delete a subnet.", "DELETE",
          "/subnets/{id}"),
    _rule("create_port", ANY, "Create a port (on a network the caller "
          "sees).", "POST", "/ports"),
    _rule("create_port:mac_address", NETWORK_OWNER,
          "Create a port with a given MAC address.", "POST", "/ports"),
    _rule("get_port", ADMIN_OR_OWNER, "Show a port.", "GET", "/ports/{id}"),
    _rule("update_port", ADMIN_OR_OWNER, "Update a port.", "PUT",
          "/ports/{id}"),
    _rule("delete_port", ADMIN_OR_OWNER, "Delete a port.", "DELETE",
          "/ports/{id}"),
    _rule("create_floatingip", ANY, "Create a floating IP.", "POST",
          "/floatingips"),
    _rule("create_floatingip:floating_ip_address", ADMIN,
          "Create a floating IP with a given address.", "POST",
          "/floatingips"),
    _rule("get_floatingip", ADMIN_OR_OWNER, "Show a floating IP.", "GET",
          "/floatingips/{id}"),
    _rule("update_floatingip", ADMIN_OR_OWNER,
          "Associate or disassociate a floating IP.", "PUT",
          "/floatingips/{id}"),
    _rule("delete_floatingip", ADMIN_OR_OWNER, "Delete a floating IP.",
          "DELETE", "/floatingips/{id}"),
    _rule("get_security_group", ADMIN_OR_OWNER, "Show a security group.",
          "GET", "/security-groups/{id}"),
    _rule("get_security_group_rule", ADMIN_OR_OWNER,
          "Show a security group rule.", "GET",
          "/security-group-rules/{id}"),
]

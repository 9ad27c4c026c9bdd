"""API policy: oslo.policy rules with their defaults in code.

Operators override rules in ``[oslo_policy] policy_file``; with no file the
defaults below apply.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_policy import policy as oslo_policy

from minova import exception

ADMIN = "rule:context_is_admin"
ADMIN_OR_OWNER = "rule:context_is_admin or project_id:%(project_id)s"

_BASE_RULES = [
    oslo_policy.RuleDefault("context_is_admin", "role:admin",
                            description="Decides what an admin is."),
    oslo_policy.RuleDefault("admin_or_owner", ADMIN_OR_OWNER,
                            description="An admin or the owning project."),
    oslo_policy.RuleDefault("admin_api", ADMIN,
                            description="Only admins."),
]

_API_RULES = [
    oslo_policy.DocumentedRuleDefault(
        "os_compute_api:os-services:list", ADMIN,
        "List all running compute services.",
        [{"method": "GET", "path": "/os-services"}]),
    oslo_policy.DocumentedRuleDefault(
        "os_compute_api:os-services:update", ADMIN,
        "Enable, disable or force down a service.",
        [{"method": "PUT", "path": "/os-services/{action}"}]),
    oslo_policy.DocumentedRuleDefault(
        "os_compute_api:os-services:delete", ADMIN,
        "Delete a service record.",
        [{"method": "DELETE", "path": "/os-services/{service_id}"}]),
]

# Modules with more rules (servers, flavors, ...) add theirs here.
RULE_LISTS: list[list[oslo_policy.RuleDefault]] = [_BASE_RULES, _API_RULES]


def list_rules() -> list[oslo_policy.RuleDefault]:
    return [rule for rules in RULE_LISTS for rule in rules]


class Enforcer:
    """oslo.policy's enforcer with minova's defaults registered."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self._enforcer = oslo_policy.Enforcer(conf)
        self._enforcer.register_defaults(list_rules())

    def authorize(self, context: Any, action: str,
                  target: dict | None = None) -> None:
        """Raise ``Forbidden`` unless ``context`` may do ``action``."""
        if target is None:
            target = {"project_id": context.project_id,
                      "user_id": context.user_id}
        self._enforcer.authorize(action, target, context,
                                 do_raise=True, exc=exception.Forbidden,
                                 action=action)

    def check_is_admin(self, context: Any) -> bool:
        return self._enforcer.authorize("context_is_admin", {}, context)

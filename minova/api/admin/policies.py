"""Policy defaults of minova's own administrative API."""

from __future__ import annotations

from oslo_policy import policy as oslo_policy

RULES = [
    oslo_policy.DocumentedRuleDefault(
        "minova:reset", "rule:context_is_admin",
        "Bring the whole cloud back to its freshly bootstrapped state "
        "(when [api] enable_reset is set).",
        [{"method": "POST", "path": "/minova/reset"}]),
]

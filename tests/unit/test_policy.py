"""minova.policy.Enforcer: remembered decisions are oslo.policy's."""

from __future__ import annotations

import pytest
from oslo_policy import _checks
from oslo_policy import opts as policy_opts
from oslo_policy import policy as oslo_policy

from minova import context as minova_context
from minova import exception
from minova import policy

ADMIN = ["admin", "member", "reader"]
USER = ["member", "reader"]


def _ctx(user, project, roles):
    return minova_context.RequestContext(user_id=user, project_id=project,
                                         roles=roles)


def _allowed(enforcer, ctxt, action, target=None):
    try:
        enforcer.authorize(ctxt, action, target)
    except exception.Forbidden:
        return False
    return True


CASES = [
    (_ctx("admin", "admin", ADMIN), "os_compute_api:os-services:list", None),
    (_ctx("demo", "demo", USER), "os_compute_api:os-services:list", None),
    (_ctx("demo", "demo", USER), "os_compute_api:servers:show",
     {"project_id": "demo", "user_id": "demo"}),
    (_ctx("demo", "demo", USER), "os_compute_api:servers:show",
     {"project_id": "other", "user_id": "other"}),
    (_ctx("admin", "admin", ADMIN), "os_compute_api:servers:show",
     {"project_id": "other", "user_id": "other"}),
    (_ctx("demo", "demo", USER), "os_compute_api:flavors:index", None),
]


@pytest.mark.parametrize("ctxt, action, target", CASES)
def test_decisions_match_oslo_policy_each_time(conf, ctxt, action, target):
    enforcer = policy.Enforcer(conf)
    reference = oslo_policy.Enforcer(conf)
    reference.register_defaults(policy.list_rules())
    expected = reference.authorize(
        action, target or {"project_id": ctxt.project_id,
                           "user_id": ctxt.user_id}, ctxt)
    # The first answer is oslo.policy's, the next ones remembered.
    for _ in range(3):
        assert _allowed(enforcer, ctxt, action, target) == expected


def test_a_forbidden_decision_names_the_action(conf):
    enforcer = policy.Enforcer(conf)
    demo = _ctx("demo", "demo", USER)
    for _ in range(2):
        with pytest.raises(exception.Forbidden, match="os-services:list"):
            enforcer.authorize(demo, "os_compute_api:os-services:list")


def test_unknown_action_is_an_error_not_a_denial(conf):
    enforcer = policy.Enforcer(conf)
    with pytest.raises(oslo_policy.PolicyNotRegistered):
        enforcer.authorize(_ctx("admin", "admin", ADMIN), "no:such:rule")


class _CountingCheck(_checks.Check):
    calls = 0

    def __call__(self, target, creds, enforcer, current_rule=None):
        _CountingCheck.calls += 1
        return True


@pytest.fixture
def counting_check():
    oslo_policy.register("counting", _CountingCheck)
    _CountingCheck.calls = 0
    try:
        yield _CountingCheck
    finally:
        _checks.registered_checks.pop("counting", None)


def test_rules_with_other_checks_are_asked_every_time(conf, tmp_path,
                                                      counting_check):
    """An operator's custom (or http:) check may answer differently each
    time: never remembered."""
    policy_opts.set_defaults(conf)
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        '"os_compute_api:flavors:index": "counting:x or role:admin"\n')
    conf.set_override("policy_file", str(policy_file), group="oslo_policy")
    enforcer = policy.Enforcer(conf)
    demo = _ctx("demo", "demo", USER)
    for _ in range(3):
        enforcer.authorize(demo, "os_compute_api:flavors:index")
    assert counting_check.calls == 3

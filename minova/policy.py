"""API policy: oslo.policy rules with their defaults in code.

Operators override rules in ``[oslo_policy] policy_file`` (and
``policy_dirs``); with no file the defaults below apply. The files are read
when the API starts and again on SIGHUP (``Enforcer.reload``), not on every
request: oslo.policy would otherwise look for them on disk at each check.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_policy import _checks  # the check classes, for _PURE_CHECKS
from oslo_policy import policy as oslo_policy

from minova import exception
from minova.api.admin import policies as admin_policies
from minova.identity import policies as identity_policies
from minova.image import policies as image_policies
from minova.network import policies as network_policies

# Nova's current defaults (project scope): a reader of the project may
# look, a member may change, an admin may do anything anywhere.
ADMIN = "rule:context_is_admin"
PROJECT_MEMBER = "role:member and project_id:%(project_id)s"
PROJECT_READER = "role:reader and project_id:%(project_id)s"
PROJECT_MEMBER_OR_ADMIN = "rule:project_member_or_admin"
PROJECT_READER_OR_ADMIN = "rule:project_reader_or_admin"

_BASE_RULES = [
    oslo_policy.RuleDefault("context_is_admin", "role:admin",
                            description="Decides what an admin is."),
    oslo_policy.RuleDefault("admin_api", ADMIN,
                            description="Only admins."),
    oslo_policy.RuleDefault("project_member_api", PROJECT_MEMBER,
                            description="A member of the project."),
    oslo_policy.RuleDefault("project_reader_api", PROJECT_READER,
                            description="A reader of the project."),
    oslo_policy.RuleDefault(
        "project_member_or_admin",
        "rule:project_member_api or rule:context_is_admin",
        description="A member of the project, or an admin."),
    oslo_policy.RuleDefault(
        "project_reader_or_admin",
        "rule:project_reader_api or rule:context_is_admin",
        description="A reader of the project, or an admin."),
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

ANY = "@"


def _rule(name: str, check: str, description: str, method: str,
          path: str) -> oslo_policy.DocumentedRuleDefault:
    return oslo_policy.DocumentedRuleDefault(
        name, check, description, [{"method": method, "path": path}])


_SERVER_RULES = [
    _rule("os_compute_api:servers:index", PROJECT_READER_OR_ADMIN,
          "List servers.", "GET", "/servers"),
    _rule("os_compute_api:servers:detail", PROJECT_READER_OR_ADMIN,
          "List servers with details.", "GET", "/servers/detail"),
    _rule("os_compute_api:servers:index:get_all_tenants", ADMIN,
          "List servers of every project (all_tenants).", "GET",
          "/servers"),
    _rule("os_compute_api:servers:detail:get_all_tenants", ADMIN,
          "List servers of every project with details (all_tenants).",
          "GET", "/servers/detail"),
    _rule("os_compute_api:servers:allow_all_filters", ADMIN,
          "Filter servers by admin-only fields (host, ...).", "GET",
          "/servers"),
    _rule("os_compute_api:servers:show", PROJECT_READER_OR_ADMIN,
          "Show a server.", "GET", "/servers/{server_id}"),
    _rule("os_compute_api:servers:show:host_status", ADMIN,
          "Show host_status in a server.", "GET", "/servers/{server_id}"),
    _rule("os_compute_api:os-extended-server-attributes", ADMIN,
          "Show OS-EXT-SRV-ATTR:* (host, instance_name, ...).", "GET",
          "/servers/{server_id}"),
    _rule("os_compute_api:servers:create", PROJECT_MEMBER_OR_ADMIN,
          "Create a server.", "POST", "/servers"),
    _rule("os_compute_api:servers:update", PROJECT_MEMBER_OR_ADMIN,
          "Rename a server.", "PUT", "/servers/{server_id}"),
    _rule("os_compute_api:servers:delete", PROJECT_MEMBER_OR_ADMIN,
          "Delete a server.", "DELETE", "/servers/{server_id}"),
    _rule("os_compute_api:servers:start", PROJECT_MEMBER_OR_ADMIN,
          "Start a stopped server (os-start).", "POST",
          "/servers/{server_id}/action"),
    _rule("os_compute_api:servers:stop", PROJECT_MEMBER_OR_ADMIN,
          "Stop a server (os-stop).", "POST", "/servers/{server_id}/action"),
    _rule("os_compute_api:servers:reboot", PROJECT_MEMBER_OR_ADMIN,
          "Reboot a server.", "POST", "/servers/{server_id}/action"),
]

_RESOURCE_RULES = [
    _rule("os_compute_api:flavors:index", ANY, "List flavors.", "GET",
          "/flavors"),
    _rule("os_compute_api:flavors:show", ANY, "Show a flavor.", "GET",
          "/flavors/{flavor_id}"),
    _rule("os_compute_api:os-flavor-manage:create", ADMIN,
          "Create a flavor.", "POST", "/flavors"),
    _rule("os_compute_api:os-flavor-manage:delete", ADMIN,
          "Delete a flavor.", "DELETE", "/flavors/{flavor_id}"),
    _rule("os_compute_api:os-hypervisors:list", ADMIN,
          "List hypervisors.", "GET", "/os-hypervisors"),
    _rule("os_compute_api:os-hypervisors:list-detail", ADMIN,
          "List hypervisors with details.", "GET",
          "/os-hypervisors/detail"),
    _rule("os_compute_api:os-hypervisors:show", ADMIN,
          "Show a hypervisor.", "GET", "/os-hypervisors/{hypervisor_id}"),
    _rule("os_compute_api:os-hypervisors:statistics", ADMIN,
          "Sum the hypervisors' resources.", "GET",
          "/os-hypervisors/statistics"),
    _rule("os_compute_api:os-aggregates:index", ADMIN,
          "List host aggregates (there are none).", "GET",
          "/os-aggregates"),
    _rule("os_compute_api:limits", ANY, "Show limits and usage.", "GET",
          "/limits"),
    _rule("os_compute_api:os-quota-sets:show", PROJECT_READER_OR_ADMIN,
          "Show a project's quotas.", "GET", "/os-quota-sets/{tenant_id}"),
    _rule("os_compute_api:os-quota-sets:detail", PROJECT_READER_OR_ADMIN,
          "Show a project's quotas with their usage.", "GET",
          "/os-quota-sets/{tenant_id}/detail"),
    _rule("os_compute_api:os-quota-sets:defaults", ANY,
          "Show the default quotas.", "GET",
          "/os-quota-sets/{tenant_id}/defaults"),
    _rule("os_compute_api:os-quota-sets:update", ADMIN,
          "Change a project's quotas.", "PUT", "/os-quota-sets/{tenant_id}"),
    _rule("os_compute_api:os-quota-sets:delete", ADMIN,
          "Revert a project's quotas to the defaults.", "DELETE",
          "/os-quota-sets/{tenant_id}"),
    _rule("os_compute_api:os-quota-class-sets:show", ADMIN,
          "Show a quota class ('default': the default quotas).", "GET",
          "/os-quota-class-sets/{quota_class}"),
    _rule("os_compute_api:os-quota-class-sets:update", ADMIN,
          "Change a quota class ('default': the default quotas).", "PUT",
          "/os-quota-class-sets/{quota_class}"),
    _rule("os_compute_api:images", ANY,
          "List and show images through the compute API's Glance-shaped "
          "view.", "GET", "/images"),
]

# Flavor extras, key pairs, server metadata and tags, zones.
# Key pairs belong to users: Nova's "(rule:admin_api) or user_id:...".
_KEY_OWNER = "rule:context_is_admin or user_id:%(user_id)s"
_RES1_RULES = [
    _rule("os_compute_api:os-flavor-extra-specs:index", ANY,
          "List a flavor's extra specs.", "GET",
          "/flavors/{flavor_id}/os-extra_specs"),
    _rule("os_compute_api:os-flavor-extra-specs:show", ANY,
          "Show one extra spec of a flavor.", "GET",
          "/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}"),
    _rule("os_compute_api:os-flavor-extra-specs:create", ADMIN,
          "Add or change extra specs of a flavor.", "POST",
          "/flavors/{flavor_id}/os-extra_specs"),
    _rule("os_compute_api:os-flavor-extra-specs:update", ADMIN,
          "Change one extra spec of a flavor.", "PUT",
          "/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}"),
    _rule("os_compute_api:os-flavor-extra-specs:delete", ADMIN,
          "Delete one extra spec of a flavor.", "DELETE",
          "/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}"),
    _rule("os_compute_api:os-flavor-access", ADMIN,
          "List the projects that may use a private flavor.", "GET",
          "/flavors/{flavor_id}/os-flavor-access"),
    _rule("os_compute_api:os-flavor-access:add_tenant_access", ADMIN,
          "Let a project use a private flavor (addTenantAccess).", "POST",
          "/flavors/{flavor_id}/action"),
    _rule("os_compute_api:os-flavor-access:remove_tenant_access", ADMIN,
          "Take a private flavor from a project (removeTenantAccess).",
          "POST", "/flavors/{flavor_id}/action"),
    _rule("os_compute_api:os-keypairs:index", _KEY_OWNER,
          "List a user's key pairs.", "GET", "/os-keypairs"),
    _rule("os_compute_api:os-keypairs:create", _KEY_OWNER,
          "Create or import a key pair.", "POST", "/os-keypairs"),
    _rule("os_compute_api:os-keypairs:show", _KEY_OWNER,
          "Show a key pair.", "GET", "/os-keypairs/{keypair_name}"),
    _rule("os_compute_api:os-keypairs:delete", _KEY_OWNER,
          "Delete a key pair.", "DELETE", "/os-keypairs/{keypair_name}"),
    _rule("os_compute_api:server-metadata:index", PROJECT_READER_OR_ADMIN,
          "List a server's metadata.", "GET",
          "/servers/{server_id}/metadata"),
    _rule("os_compute_api:server-metadata:show", PROJECT_READER_OR_ADMIN,
          "Show one metadata item of a server.", "GET",
          "/servers/{server_id}/metadata/{key}"),
    _rule("os_compute_api:server-metadata:create", PROJECT_MEMBER_OR_ADMIN,
          "Add or change metadata items of a server.", "POST",
          "/servers/{server_id}/metadata"),
    _rule("os_compute_api:server-metadata:update_all", PROJECT_MEMBER_OR_ADMIN,
          "Replace a server's metadata.", "PUT",
          "/servers/{server_id}/metadata"),
    _rule("os_compute_api:server-metadata:update", PROJECT_MEMBER_OR_ADMIN,
          "Set one metadata item of a server.", "PUT",
          "/servers/{server_id}/metadata/{key}"),
    _rule("os_compute_api:server-metadata:delete", PROJECT_MEMBER_OR_ADMIN,
          "Delete one metadata item of a server.", "DELETE",
          "/servers/{server_id}/metadata/{key}"),
    _rule("os_compute_api:os-server-tags:index", PROJECT_READER_OR_ADMIN,
          "List a server's tags.", "GET", "/servers/{server_id}/tags"),
    _rule("os_compute_api:os-server-tags:show", PROJECT_READER_OR_ADMIN,
          "Check a server has a tag.", "GET",
          "/servers/{server_id}/tags/{tag}"),
    _rule("os_compute_api:os-server-tags:update_all", PROJECT_MEMBER_OR_ADMIN,
          "Replace a server's tags.", "PUT", "/servers/{server_id}/tags"),
    _rule("os_compute_api:os-server-tags:update", PROJECT_MEMBER_OR_ADMIN,
          "Add a tag to a server.", "PUT",
          "/servers/{server_id}/tags/{tag}"),
    _rule("os_compute_api:os-server-tags:delete_all", PROJECT_MEMBER_OR_ADMIN,
          "Delete a server's tags.", "DELETE", "/servers/{server_id}/tags"),
    _rule("os_compute_api:os-server-tags:delete", PROJECT_MEMBER_OR_ADMIN,
          "Delete a tag of a server.", "DELETE",
          "/servers/{server_id}/tags/{tag}"),
    _rule("os_compute_api:os-availability-zone:list", ANY,
          "List the availability zones.", "GET", "/os-availability-zone"),
    _rule("os_compute_api:os-availability-zone:detail", ADMIN,
          "List the availability zones with their hosts.", "GET",
          "/os-availability-zone/detail"),
]

# -- Issue 9, RES2: server actions and instance actions, with Nova's
# current defaults (nova/policies/{lock_server,pause_server,suspend_server,
# servers,instance_actions}.py).
_ACTION_PATH = "/servers/{server_id}/action"
_RES2_RULES = [
    _rule("os_compute_api:os-pause-server:pause", PROJECT_MEMBER_OR_ADMIN,
          "Pause a server.", "POST", _ACTION_PATH),
    _rule("os_compute_api:os-pause-server:unpause", PROJECT_MEMBER_OR_ADMIN,
          "Unpause a paused server.", "POST", _ACTION_PATH),
    _rule("os_compute_api:os-suspend-server:suspend",
          PROJECT_MEMBER_OR_ADMIN, "Suspend a server.", "POST",
          _ACTION_PATH),
    _rule("os_compute_api:os-suspend-server:resume",
          PROJECT_MEMBER_OR_ADMIN, "Resume a suspended server.", "POST",
          _ACTION_PATH),
    _rule("os_compute_api:os-lock-server:lock", PROJECT_MEMBER_OR_ADMIN,
          "Lock a server.", "POST", _ACTION_PATH),
    _rule("os_compute_api:os-lock-server:unlock", PROJECT_MEMBER_OR_ADMIN,
          "Unlock a server.", "POST", _ACTION_PATH),
    _rule("os_compute_api:os-lock-server:unlock:unlock_override", ADMIN,
          "Unlock a server locked by someone else (an owner's lock for "
          "an admin, an admin's for the owner).", "POST", _ACTION_PATH),
    _rule("os_compute_api:servers:rebuild", PROJECT_MEMBER_OR_ADMIN,
          "Rebuild a server.", "POST", _ACTION_PATH),
    _rule("os_compute_api:servers:resize", PROJECT_MEMBER_OR_ADMIN,
          "Resize a server.", "POST", _ACTION_PATH),
    _rule("os_compute_api:servers:confirm_resize", PROJECT_MEMBER_OR_ADMIN,
          "Confirm a resize.", "POST", _ACTION_PATH),
    _rule("os_compute_api:servers:revert_resize", PROJECT_MEMBER_OR_ADMIN,
          "Revert a resize.", "POST", _ACTION_PATH),
    _rule("os_compute_api:os-server-groups:create",
          PROJECT_MEMBER,
          "Create a server group.", "POST", "/os-server-groups"),
    _rule("os_compute_api:os-server-groups:delete", PROJECT_MEMBER_OR_ADMIN,
          "Delete a server group.", "DELETE", "/os-server-groups/{id}"),
    _rule("os_compute_api:os-server-groups:index", PROJECT_READER_OR_ADMIN,
          "List the project's server groups.", "GET", "/os-server-groups"),
    _rule("os_compute_api:os-server-groups:index:all_projects", ADMIN,
          "List every project's server groups (all_projects).", "GET",
          "/os-server-groups"),
    _rule("os_compute_api:os-server-groups:show", PROJECT_READER_OR_ADMIN,
          "Show a server group.", "GET", "/os-server-groups/{id}"),
    _rule("os_compute_api:os-instance-actions:list",
          PROJECT_READER_OR_ADMIN, "List the actions of a server.", "GET",
          "/servers/{server_id}/os-instance-actions"),
    _rule("os_compute_api:os-instance-actions:show",
          PROJECT_READER_OR_ADMIN, "Show an action of a server.", "GET",
          "/servers/{server_id}/os-instance-actions/{request_id}"),
    _rule("os_compute_api:os-instance-actions:events", ADMIN,
          "Show an action's events with their tracebacks (and, from "
          "2.62, their hosts); before 2.51 the events at all.", "GET",
          "/servers/{server_id}/os-instance-actions/{request_id}"),
    _rule("os_compute_api:os-instance-actions:events:details", ADMIN,
          "Show the details of an action's events (2.84).", "GET",
          "/servers/{server_id}/os-instance-actions/{request_id}"),
]

# Part MV of issue 9 (microversions 2.48..2.104): Nova's names and
# defaults (admin only).
_MV_RULES = [
    _rule("os_compute_api:os-flavor-manage:update", ADMIN,
          "Update a flavor's description (2.55).", "PUT",
          "/flavors/{flavor_id}"),
]

# Issue 9: os-migrations, with Nova's defaults (a project's managers
# list their own project's migrations, admins everyone's and the hosts).
PROJECT_MANAGER_OR_ADMIN = "rule:project_manager_or_admin"

_I9_RULES = [
    oslo_policy.RuleDefault(
        "project_manager_api", "role:manager and project_id:%(project_id)s",
        description="A manager of the project."),
    oslo_policy.RuleDefault(
        "project_manager_or_admin",
        "rule:project_manager_api or rule:context_is_admin",
        description="A manager of the project, or an admin."),
    _rule("os_compute_api:os-migrations:index", PROJECT_MANAGER_OR_ADMIN,
          "List migrations.", "GET", "/os-migrations"),
    _rule("os_compute_api:os-migrations:index:all_projects", ADMIN,
          "List the migrations of every project (or another's).", "GET",
          "/os-migrations"),
    _rule("os_compute_api:os-migrations:index:host", ADMIN,
          "Show the hosts of migrations.", "GET", "/os-migrations"),
]

RULE_LISTS: list[list[oslo_policy.RuleDefault]] = [
    _BASE_RULES, _API_RULES, _SERVER_RULES, _RESOURCE_RULES, _RES1_RULES,
    _RES2_RULES, _MV_RULES, identity_policies.RULES, image_policies.RULES,
    network_policies.RULES, _I9_RULES, admin_policies.RULES]


def list_rules() -> list[oslo_policy.RuleDefault]:
    return [rule for rules in RULE_LISTS for rule in rules]


class _LoadOnceEnforcer(oslo_policy.Enforcer):
    """oslo.policy's enforcer that reads its files once.

    oslo.policy calls ``load_rules`` on every check, which looks for the
    policy file and directories on disk each time (about a tenth of a
    cheap API request). Rules here are loaded by the first check or
    ``load_rules(force_reload=True)``; a changed file takes effect on
    ``Enforcer.reload`` (SIGHUP), as other options do.
    """

    _rules_loaded = False

    def load_rules(self, force_reload: bool = False) -> None:
        if self._rules_loaded and not force_reload:
            return
        super().load_rules(force_reload)
        self._rules_loaded = True


# Checks whose answer depends only on the rules, the credentials and the
# target: no I/O, no clock (not http:/https: or custom checks).
_PURE_CHECKS = (_checks.RoleCheck, _checks.GenericCheck, _checks.TrueCheck,
                _checks.FalseCheck)
_DECISIONS_MAX = 4096


class Enforcer:
    """oslo.policy's enforcer with minova's defaults registered.

    Decisions are remembered per (action, credentials, target) when the
    action's rule is made of pure checks only (roles, ``rule:``, target
    matches, and/or/not): oslo.policy inspects the signature of every
    check it evaluates (``inspect.getfullargspec``), a fifth of a cheap
    API request. The memory is dropped with the rules on ``reload``.
    """

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf
        self._enforcer = self._load()
        self._decisions: dict[tuple, bool] = {}
        self._pure: dict[str, bool] = {}

    def _load(self) -> oslo_policy.Enforcer:
        enforcer = _LoadOnceEnforcer(self.conf)
        enforcer.register_defaults(list_rules())
        enforcer.load_rules()
        return enforcer

    def reload(self) -> None:
        """Read the policy files again (SIGHUP).

        A fresh enforcer rather than a reload in place, so that rules an
        operator removed from the file fall back to their defaults, and
        checks in flight see the old rules or the new, never a mix.
        """
        self._enforcer = self._load()
        self._decisions = {}
        self._pure = {}

    def authorize(self, context: Any, action: str,
                  target: dict | None = None) -> None:
        """Raise ``Forbidden`` unless ``context`` may do ``action``."""
        if target is None:
            target = {"project_id": context.project_id,
                      "user_id": context.user_id}
        key = self._key(context, action, target)
        allowed = self._decisions.get(key) if key else None
        if allowed is None:
            allowed = self._decide(context, action, target)
            if key:
                if len(self._decisions) >= _DECISIONS_MAX:
                    self._decisions = {}
                self._decisions[key] = allowed
        if not allowed:
            raise exception.Forbidden(action=action)

    def _decide(self, context: Any, action: str, target: dict) -> bool:
        try:
            self._enforcer.authorize(action, target, context,
                                     do_raise=True, exc=exception.Forbidden,
                                     action=action)
        except exception.Forbidden:
            return False
        return True

    def _key(self, context: Any, action: str, target: dict) -> tuple | None:
        """What a pure rule's answer depends on, or None: not cacheable."""
        pure = self._pure.get(action)
        if pure is None:
            rule = self._enforcer.rules.get(action)
            pure = self._pure[action] = (rule is not None
                                         and self._is_pure(rule, ()))
        if not pure:
            return None
        key = (action, _frozen(context.to_policy_values()), _frozen(target))
        try:
            hash(key)
        except TypeError:
            return None
        return key

    def _is_pure(self, check: Any, seen: tuple[str, ...]) -> bool:
        if isinstance(check, oslo_policy.RuleCheck):
            if check.match in seen:
                return False
            rule = self._enforcer.rules.get(check.match)
            # An undefined rule is always false: pure.
            return rule is None or self._is_pure(rule, (*seen, check.match))
        if isinstance(check, (oslo_policy.AndCheck, oslo_policy.OrCheck)):
            return all(self._is_pure(sub, seen) for sub in check.rules)
        if isinstance(check, oslo_policy.NotCheck):
            return self._is_pure(check.rule, seen)
        return type(check) in _PURE_CHECKS

    def check_is_admin(self, context: Any) -> bool:
        return self._enforcer.authorize("context_is_admin", {}, context)


def _frozen(values: Any) -> tuple:
    # In the mapping's own order: the same credentials or target built
    # the same way give the same key; another order only misses.
    return tuple((name, tuple(value) if isinstance(value, list) else value)
                 for name, value in values.items())

"""The identity API's policy defaults (Keystone's, for project-scoped
tokens): an admin manages everyone; a user reads itself, changes its own
password and manages its own application credentials.

Targets are flat, as Keystone passes them: ``target.user.id`` and so on.
"""

from __future__ import annotations

from oslo_policy import policy as oslo_policy

ADMIN = "role:admin"
ADMIN_OR_SELF = "role:admin or user_id:%(target.user.id)s"
SELF = "user_id:%(target.user.id)s"
ADMIN_OR_TOKEN_SUBJECT = "role:admin or user_id:%(target.token.user_id)s"
ADMIN_OR_PROJECT = "role:admin or project_id:%(target.project.id)s"


def _rule(name: str, check: str, description: str, method: str,
          path: str) -> oslo_policy.DocumentedRuleDefault:
    return oslo_policy.DocumentedRuleDefault(
        "identity:" + name, check, description,
        [{"method": method, "path": path}])


RULES = [
    _rule("validate_token", ADMIN_OR_TOKEN_SUBJECT, "Validate a token.",
          "GET", "/v3/auth/tokens"),
    _rule("check_token", ADMIN_OR_TOKEN_SUBJECT, "Check a token.", "HEAD",
          "/v3/auth/tokens"),
    _rule("revoke_token", ADMIN_OR_TOKEN_SUBJECT, "Revoke a token.",
          "DELETE", "/v3/auth/tokens"),
    _rule("list_domains", ADMIN, "List domains.", "GET", "/v3/domains"),
    _rule("get_domain", ADMIN, "Show a domain.", "GET",
          "/v3/domains/{domain_id}"),
    _rule("list_projects", ADMIN, "List projects.", "GET", "/v3/projects"),
    _rule("get_project", ADMIN_OR_PROJECT, "Show a project.", "GET",
          "/v3/projects/{project_id}"),
    _rule("create_project", ADMIN, "Create a project.", "POST",
          "/v3/projects"),
    _rule("update_project", ADMIN, "Update a project.", "PATCH",
          "/v3/projects/{project_id}"),
    _rule("delete_project", ADMIN, "Delete a project.", "DELETE",
          "/v3/projects/{project_id}"),
    _rule("list_user_projects", ADMIN_OR_SELF, "A user's projects.", "GET",
          "/v3/users/{user_id}/projects"),
    _rule("list_users", ADMIN, "List users.", "GET", "/v3/users"),
    _rule("get_user", ADMIN_OR_SELF, "Show a user.", "GET",
          "/v3/users/{user_id}"),
    _rule("create_user", ADMIN, "Create a user.", "POST", "/v3/users"),
    _rule("update_user", ADMIN, "Update a user.", "PATCH",
          "/v3/users/{user_id}"),
    _rule("delete_user", ADMIN, "Delete a user.", "DELETE",
          "/v3/users/{user_id}"),
    _rule("change_password", SELF, "Change one's own password.", "POST",
          "/v3/users/{user_id}/password"),
    _rule("list_roles", ADMIN, "List roles.", "GET", "/v3/roles"),
    _rule("get_role", ADMIN, "Show a role.", "GET", "/v3/roles/{role_id}"),
    _rule("create_role", ADMIN, "Create a role.", "POST", "/v3/roles"),
    _rule("delete_role", ADMIN, "Delete a role.", "DELETE",
          "/v3/roles/{role_id}"),
    _rule("list_implied_roles", ADMIN, "List role implications.", "GET",
          "/v3/role_inferences"),
    _rule("create_grant", ADMIN, "Grant a role on a project.", "PUT",
          "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}"),
    _rule("check_grant", ADMIN, "Check a role on a project.", "HEAD",
          "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}"),
    _rule("list_grants", ADMIN, "List a user's roles on a project.", "GET",
          "/v3/projects/{project_id}/users/{user_id}/roles"),
    _rule("revoke_grant", ADMIN, "Revoke a role on a project.", "DELETE",
          "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}"),
    _rule("list_role_assignments", ADMIN, "List role assignments.", "GET",
          "/v3/role_assignments"),
    _rule("list_application_credentials", ADMIN_OR_SELF,
          "List a user's application credentials.", "GET",
          "/v3/users/{user_id}/application_credentials"),
    _rule("get_application_credential", ADMIN_OR_SELF,
          "Show an application credential.", "GET",
          "/v3/users/{user_id}/application_credentials/{id}"),
    _rule("create_application_credential", SELF,
          "Create an application credential for oneself.", "POST",
          "/v3/users/{user_id}/application_credentials"),
    _rule("delete_application_credential", ADMIN_OR_SELF,
          "Delete an application credential.", "DELETE",
          "/v3/users/{user_id}/application_credentials/{id}"),
    _rule("list_services", ADMIN, "List catalog services.", "GET",
          "/v3/services"),
    _rule("get_service", ADMIN, "Show a catalog service.", "GET",
          "/v3/services/{service_id}"),
    _rule("list_endpoints", ADMIN, "List catalog endpoints.", "GET",
          "/v3/endpoints"),
    _rule("get_endpoint", ADMIN, "Show a catalog endpoint.", "GET",
          "/v3/endpoints/{endpoint_id}"),
    _rule("list_regions", "@", "List regions.", "GET", "/v3/regions"),
]

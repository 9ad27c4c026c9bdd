"""The image API's policy defaults: Glance's (secure RBAC, project
scope), under Glance's rule names so that a Glance policy file reads the
same. The target is the image: ``project_id`` (its owner) and
``visibility``."""

from __future__ import annotations

from oslo_policy import policy as oslo_policy

ADMIN = "role:admin"
OWNER_MEMBER = "role:admin or (role:member and project_id:%(project_id)s)"
READER_VISIBLE = ("role:admin or (role:reader and (project_id:%(project_id)s"
                  " or 'community':%(visibility)s or "
                  "'public':%(visibility)s))")
READER = "role:admin or role:reader"


def _rule(name: str, check: str, description: str, method: str,
          path: str) -> oslo_policy.DocumentedRuleDefault:
    return oslo_policy.DocumentedRuleDefault(
        name, check, description, [{"method": method, "path": path}])


RULES = [
    _rule("get_images", READER, "List images.", "GET", "/v2/images"),
    _rule("get_image", READER_VISIBLE, "Show an image.", "GET",
          "/v2/images/{image_id}"),
    _rule("add_image", OWNER_MEMBER, "Create an image.", "POST",
          "/v2/images"),
    _rule("modify_image", OWNER_MEMBER, "Change an image.", "PATCH",
          "/v2/images/{image_id}"),
    _rule("publicize_image", ADMIN, "Make an image public.", "PATCH",
          "/v2/images/{image_id}"),
    _rule("communitize_image", OWNER_MEMBER, "Make an image community.",
          "PATCH", "/v2/images/{image_id}"),
    _rule("delete_image", OWNER_MEMBER, "Delete an image.", "DELETE",
          "/v2/images/{image_id}"),
    _rule("upload_image", OWNER_MEMBER, "Upload an image's data.", "PUT",
          "/v2/images/{image_id}/file"),
    _rule("download_image", READER_VISIBLE, "Download an image's data.",
          "GET", "/v2/images/{image_id}/file"),
]

"""``/os-keypairs``: a user's key pairs (create or import, list, show,
delete).

Keys belong to a user, not a project. Admins may name another user with
``user_id`` (2.10). Before 2.92 a create without ``public_key`` generates
the pair and answers the private key once; from 2.92 keys are imported
only. Each user's count is held to the ``key_pairs`` quota.
"""

from __future__ import annotations

from typing import Any

from minova import crypto
from minova import exception
from minova import quota
from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute.schemas import keypairs as schema
from minova.db import api as db_api
from minova.objects import keypair as keypair_obj

_RULE = "os_compute_api:os-keypairs:%s"


def _user_id(req: wsgi_util.APIRequest, requested: str | None) -> str:
    """Whose keys: another user's only from 2.10 (policy decides who)."""
    if requested and req.api_version.matches("2.10"):
        return requested
    return req.context.user_id


def _authorize(req: wsgi_util.APIRequest, action: str, user_id: str) -> None:
    req.deps.policy.authorize(req.context, _RULE % action,
                              {"user_id": user_id,
                               "project_id": req.context.project_id})


def _view(req: wsgi_util.APIRequest, row: Any, *fields: str) -> dict:
    view = {"name": row.name, "public_key": row.public_key,
            "fingerprint": row.fingerprint}
    for name in fields:
        view[name] = getattr(row, name)
    if req.api_version.matches("2.2"):
        view["type"] = row.type
    return view


def create(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    body = req.validated(schema.for_version(req.api_version))["keypair"]
    user_id = _user_id(req, body.get("user_id"))
    _authorize(req, "create", user_id)
    name = body["name"]
    if name != name.strip():
        # The schema's pattern takes spaces anywhere; Nova refuses them
        # at the ends.
        raise exception.InvalidKeypair(
            reason="Keypair name contains leading or trailing spaces")
    key_type = body.get("type", crypto.SSH)
    private_key = None
    if "public_key" in body:
        public_key = body["public_key"]
        fingerprint = crypto.fingerprint(key_type, public_key)
    else:
        private_key, public_key, fingerprint = crypto.generate(key_type,
                                                               name)
    limit = quota.project_limits(req.deps.conf,
                                 db_api.from_context(context),
                                 context.project_id)["key_pairs"]
    keypair = keypair_obj.KeyPair(
        context, name=name, user_id=user_id, fingerprint=fingerprint,
        public_key=public_key, type=key_type)
    keypair.create(limit)
    view = _view(req, keypair, "user_id")
    if private_key is not None:
        view["private_key"] = private_key
    return wsgi_util.json_response(
        {"keypair": view}, status=201 if req.api_version.matches("2.2")
        else 200)


# The query parameters Nova's schemas know; unknown ones are a 400 from
# 2.75 on these routes (Nova's key pair schemas close at 2.75).
_INDEX_QUERY = frozenset(("user_id", "limit", "marker"))
_ONE_QUERY = frozenset(("user_id",))


def index(req: wsgi_util.APIRequest) -> Any:
    common.check_query(req, _INDEX_QUERY, since="2.75")
    context = req.context
    user_id = _user_id(req, req.GET.get("user_id"))
    _authorize(req, "index", user_id)
    limit = marker = None
    if req.api_version.matches("2.35"):
        limit, marker = common.limit_and_marker(req)
    keys = keypair_obj.KeyPairList.get_by_user(context, user_id,
                                               limit=limit, marker=marker)
    items = [_view(req, key) for key in keys]
    body: dict = {"keypairs": [{"keypair": item} for item in items]}
    if limit is not None:
        links = common.collection_links(req, items, limit, "os-keypairs",
                                        id_key="name")
        if links:
            body["keypairs_links"] = links
    return wsgi_util.json_response(body)


def show(req: wsgi_util.APIRequest, name: str) -> Any:
    common.check_query(req, _ONE_QUERY, since="2.75")
    context = req.context
    user_id = _user_id(req, req.GET.get("user_id"))
    _authorize(req, "show", user_id)
    key = keypair_obj.KeyPair.get_by_name(context, user_id, name)
    view = _view(req, key, "user_id", "id")
    view.update({"created_at": common.plain_time(key.created_at),
                 "updated_at": common.plain_time(key.updated_at),
                 "deleted": False, "deleted_at": None})
    return wsgi_util.json_response({"keypair": view})


def delete(req: wsgi_util.APIRequest, name: str) -> Any:
    common.check_query(req, _ONE_QUERY, since="2.75")
    context = req.context
    user_id = _user_id(req, req.GET.get("user_id"))
    _authorize(req, "delete", user_id)
    keypair_obj.KeyPair.destroy_by_name(context, user_id, name)
    return wsgi_util.empty_response(
        204 if req.api_version.matches("2.2") else 202)


def get_for_boot(context: Any, key_name: str) -> Any:
    """The caller's key named on a boot; a 400 if there is none."""
    try:
        return keypair_obj.KeyPair.get_by_name(context, context.user_id,
                                               key_name)
    except exception.KeypairNotFound as exc:
        raise exception.KeypairNotFoundForBoot() from exc

"""The metadata API app, served on its own port by minova-api.

``GET /`` lists the metadata flavours (only ``openstack`` here),
``GET /openstack`` the versions of the OpenStack metadata format, and
``GET /openstack/<version>/meta_data.json`` the calling instance's
metadata and ``GET /openstack/<version>/user_data`` its user data, decoded,
if a rebuild gave it some (listed only then, as Nova lists it).

The instance is the one with a fixed IP equal to the caller's address
(``REMOTE_ADDR``). ``X-Forwarded-For`` is not trusted: anything that can
reach the port could claim any address with it. With ``[api]
metadata_trust_header`` on, an ``X-Instance-ID`` header names the instance
instead (for tests, and for a proxy that sets it and strips it from
callers). No match is a 404.

The address look-up is one indexed query on ``instances.fixed_ip``, the
first fixed address of an instance's ``network_info``, which the database
layer writes in the same statement as ``network_info`` and clears when
the instance is deleted (``minova.db.instances``). An address no live
instance has costs the same single look-up: nothing is scanned.
"""

from __future__ import annotations

import base64
from typing import Any

import webob
import webob.dec
from oslo_utils import uuidutils

from minova import context as minova_context
from minova import exception
from minova import wsgi
from minova.api import deps as api_deps
from minova.api.openstack import faults
from minova.api.openstack import wsgi_util
from minova.objects import instance as instance_obj
from minova.objects import keypair as keypair_obj

VERSIONS = ["2012-08-10", "2013-04-04", "2013-10-17", "2015-10-15",
            "2016-06-30", "2016-10-06", "2017-02-22", "2018-08-27",
            "latest"]

_FILES = ["meta_data.json"]
_KEYS_SINCE = "2015-10-15"  # Liberty, when Nova added "keys"

# What this app serves, with the methods (``{version}`` is one of
# VERSIONS); anything else is a 404, another method a 405.
METHODS = ("GET", "HEAD")
ROUTES = {path: METHODS for path in (
    "/", "/openstack", "/openstack/{version}",
    "/openstack/{version}/meta_data.json",
    "/openstack/{version}/user_data")}


def _text(lines: list[str]) -> webob.Response:
    return webob.Response(body="\n".join(lines).encode(),
                          content_type="text/plain", charset="UTF-8")


def _not_found() -> webob.Response:
    return faults.fault_response(404, "The resource could not be found.")


def meta_data(instance: Any, key: Any = None,
              version: str = "latest") -> dict:
    """``meta_data.json`` for ``instance``; ``key`` is its key pair's row,
    if it has one: ``public_keys``, and from 2015-10-15 ``keys``, as Nova
    serves them."""
    data = {
        "uuid": instance.uuid,
        "name": instance.display_name,
        "hostname": instance.hostname,
        "project_id": instance.project_id,
        "availability_zone": instance.availability_zone,
        "launch_index": 0,
        "meta": dict(instance.metadata or {}),
    }
    if key is not None:
        data["public_keys"] = {key.name: key.public_key}
        if version == "latest" or version >= _KEYS_SINCE:
            data["keys"] = [{"name": key.name, "type": key.type,
                             "data": key.public_key}]
    return data


def _user_data(instance: Any) -> bytes | None:
    """The instance's user data as the guest reads it (stored base64, as
    Nova keeps it; the API checked it on the way in)."""
    if instance.user_data is None:
        return None
    return base64.b64decode(instance.user_data)


def find_key(deps: api_deps.Deps, instance: Any) -> Any:
    """The instance's key pair, read when asked for: minova keeps only
    its name on the instance, so a key deleted since boot is not served
    (Nova copies the key into the instance at boot)."""
    if not instance.key_name or not instance.user_id:
        return None
    context = minova_context.get_admin_context(db=deps.db)
    try:
        return keypair_obj.KeyPair.get_by_name(context, instance.user_id,
                                               instance.key_name)
    except exception.KeypairNotFound:
        return None


def find_instance(deps: api_deps.Deps, req: wsgi.Request) -> Any:
    """The calling instance, or None."""
    context = minova_context.get_admin_context(db=deps.db)
    if deps.conf.api.metadata_trust_header:
        instance_id = req.headers.get("X-Instance-ID")
        # Only a UUID can name one; anything else would reach the
        # database (PostgreSQL refuses a NUL in it, a 500).
        if instance_id and uuidutils.is_uuid_like(instance_id):
            try:
                return instance_obj.Instance.get_by_uuid(context,
                                                         instance_id)
            except exception.InstanceNotFound:
                return None
    address = req.remote_addr
    if not address:
        return None
    try:
        return instance_obj.Instance.get_by_fixed_ip(context, address)
    except exception.InstanceNotFound:
        return None


class MetadataRequestHandler:
    @classmethod
    def factory(cls, global_config: dict,
                **local_config: Any) -> MetadataRequestHandler:
        return cls()

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> Any:
        if req.method not in METHODS:
            return faults.fault_response(
                405, "The method %s is not allowed for this resource."
                     % exception.cut(req.method),
                headers={"Allow": ", ".join(METHODS)})
        # The raw path (latin-1 text, PEP 3333) rather than WebOb's
        # path_info, which fails on a path that is not UTF-8: every part
        # is compared with ASCII names, so anything else is a 404 anyway.
        parts = [part for part in req.environ.get("PATH_INFO", "").split("/")
                 if part]
        if not parts:
            return _text(["openstack"])
        if parts[0] != "openstack" or len(parts) > 3:
            return _not_found()
        if len(parts) == 1:
            return _text(VERSIONS)
        if parts[1] not in VERSIONS:
            return _not_found()
        instance = find_instance(req.environ[api_deps.ENVIRON_KEY], req)
        if instance is None:
            return faults.fault_response(
                404, "No instance matches this request (address %s)."
                % req.remote_addr)
        user_data = _user_data(instance)
        if len(parts) == 2:
            return _text(_FILES + (["user_data"] if user_data is not None
                                   else []))
        if parts[2] == "user_data" and user_data is not None:
            return webob.Response(body=user_data, content_type="text/plain",
                                  charset=None)
        if parts[2] != "meta_data.json":
            return _not_found()
        deps = req.environ[api_deps.ENVIRON_KEY]
        return wsgi_util.json_response(
            meta_data(instance, find_key(deps, instance), parts[1]))

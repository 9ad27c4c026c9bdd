"""Bootstrap: the default domain, roles, admin and demo users and
projects, the Fernet keys and the catalog; idempotently. And the
clouds.yaml that points clients at them.

What exists is kept: a second run creates only what is missing and
corrects the catalog's URLs to the current configuration. A user's
password is set when bootstrap creates the user, never changed later
(change it through the API).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import secrets
import tempfile
import time
import uuid
from collections.abc import Callable

import yaml
from oslo_config import cfg

from minova.db import api as db_api
from minova.db import identity as db_identity
from minova.db import identity_state
from minova.identity import catalog
from minova.identity import fernet
from minova.identity import passwords
from minova.image import seed as image_seed
from minova.network import setup as network_setup

LOG = logging.getLogger(__name__)

DEFAULT_DOMAIN = "default"
ROLES = ("admin", "member", "reader")
# prior -> implied: admin implies member implies reader.
IMPLIED = (("admin", "member"), ("member", "reader"))
DEMO = "demo"
CLOUD = "minova"
DEMO_CLOUD = "minova-demo"


@dataclasses.dataclass
class Result:
    created: list[str] = dataclasses.field(default_factory=list)


# More bootstrap, run after the identity part by every bootstrap:
# ``step(conf, db, result)``, idempotent, appending what it made to
# ``result.created``. Each API part registers its own here (the image
# API: the images of [image] images; the network API: the private and
# public networks), as it adds its catalog entry to ``catalog.APIS``.
STEPS: list[Callable[[cfg.ConfigOpts, db_api.Database, Result], None]] = [
    image_seed.seed, network_setup.bootstrap_step]


def new_id() -> str:
    return uuid.uuid4().hex


def key_repository(conf: cfg.ConfigOpts) -> fernet.KeyRepository:
    return fernet.KeyRepository(conf.identity.key_repository,
                                conf.identity.max_active_keys)


def _ensure(db: db_api.Database, result: Result, kind: str, lookup: dict,
            values: dict) -> object:
    row = db_identity.find_one(db, kind, **lookup)
    if row is None:
        row = db_identity.create(db, kind, {"id": new_id(), **lookup,
                                            **values}, bump=True)
        result.created.append("%s %s" % (kind, lookup.get("name")))
    return row


def _ensure_user(conf: cfg.ConfigOpts, db: db_api.Database, result: Result,
                 name: str, password: str | None, project: object,
                 role: object) -> None:
    user = db_identity.find_one(db, "user", name=name,
                                domain_id=DEFAULT_DOMAIN)
    if user is None:
        if password is None:
            raise ValueError("no password for the new user %s" % name)
        rounds = conf.identity.password_hash_rounds
        user = db_identity.create(db, "user", {
            "id": new_id(), "name": name, "domain_id": DEFAULT_DOMAIN,
            "enabled": True, "default_project_id": project.id,
            "password_hash": passwords.hash_password(password, rounds)})
        result.created.append("user %s" % name)
    if db_identity.add_assignment(db, user.id, project.id, role.id):
        result.created.append("role %s of %s on %s"
                              % (role.name, name, project.name))


def bootstrap(conf: cfg.ConfigOpts, db: db_api.Database,
              admin_password: str | None, demo_password: str | None,
              ports: dict[str, int] | None = None,
              with_catalog: bool = True) -> Result:
    """Create what is missing; ``ports``: the ports the APIs listen on
    when they were asked for any (port 0). ``with_catalog`` False leaves the
    catalog as it is (a reset, ``minova.reset``, which may not know the
    ports the running APIs took)."""
    result = Result()
    if key_repository(conf).setup():
        result.created.append("fernet keys")
    if db_identity.find_one(db, "domain", id=DEFAULT_DOMAIN) is None:
        db_identity.create(db, "domain", {
            "id": DEFAULT_DOMAIN, "name": "Default", "enabled": True,
            "description": "The default domain"}, bump=True)
        result.created.append("domain Default")
    roles = {name: _ensure(db, result, "role", {"name": name}, {})
             for name in ROLES}
    for prior, implied in IMPLIED:
        if db_identity.add_implied_role(db, roles[prior].id,
                                        roles[implied].id):
            result.created.append("%s implies %s" % (prior, implied))
    admin_project = _ensure(
        db, result, "project",
        {"name": conf.identity.bootstrap_project_name,
         "domain_id": DEFAULT_DOMAIN},
        {"enabled": True, "description": "Bootstrap project"})
    _ensure_user(conf, db, result, conf.identity.bootstrap_username,
                 admin_password, admin_project, roles["admin"])
    demo_project = _ensure(db, result, "project",
                           {"name": DEMO, "domain_id": DEFAULT_DOMAIN},
                           {"enabled": True, "description": "Demo project"})
    _ensure_user(conf, db, result, DEMO, demo_password, demo_project,
                 roles["member"])
    for api in catalog.APIS if with_catalog else ():
        url = catalog.endpoint_url(conf, api, ports)
        if identity_state.ensure_service(
                db, api.service_id, api.type, api.name,
                dict.fromkeys(catalog.INTERFACES, url),
                conf.identity.region):
            result.created.append("catalog %s at %s" % (api.type, url))
    for step in STEPS:
        step(conf, db, result)
    if result.created:
        LOG.info("Bootstrap created or corrected: %s.",
                 ", ".join(result.created))
    return result


def user_exists(db: db_api.Database, name: str) -> bool:
    return db_identity.find_one(db, "user", name=name,
                                domain_id=DEFAULT_DOMAIN) is not None


# clouds.yaml ----------------------------------------------------------------

def clouds_path(conf: cfg.ConfigOpts) -> str:
    return os.path.join(conf.state_path, "clouds.yaml")


def read_passwords(path: str) -> dict[str, str]:
    """cloud name -> password, from a clouds.yaml written before."""
    try:
        with open(path) as handle:
            clouds = (yaml.safe_load(handle) or {}).get("clouds") or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {name: cloud.get("auth", {}).get("password")
            for name, cloud in clouds.items()
            if isinstance(cloud, dict) and cloud.get("auth", {}).get(
                "password")}


def generate_password() -> str:
    return secrets.token_urlsafe(18)


def _cloud(auth_url: str, region: str, user: str, project: str,
           password: str | None) -> dict:
    auth = {"auth_url": auth_url, "username": user, "project_name": project,
            "user_domain_name": "Default", "project_domain_name": "Default"}
    if password:
        auth["password"] = password
    return {"auth": auth, "region_name": region, "interface": "public",
            "identity_api_version": 3}


def write_clouds_yaml(conf: cfg.ConfigOpts, path: str,
                      admin_password: str | None, demo_password: str | None,
                      ports: dict[str, int] | None = None) -> None:
    """Write ``path`` (mode 0600: it holds passwords), atomically."""
    url = catalog.auth_url(conf, ports)
    region = conf.identity.region
    document = {"clouds": {
        CLOUD: _cloud(url, region, conf.identity.bootstrap_username,
                      conf.identity.bootstrap_project_name, admin_password),
        DEMO_CLOUD: _cloud(url, region, DEMO, DEMO, demo_password),
    }}
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".clouds-")
    with os.fdopen(fd, "w") as handle:
        handle.write("# Written by minova; openstack --os-cloud %s ...\n"
                     % CLOUD)
        yaml.safe_dump(document, handle, default_flow_style=False,
                       sort_keys=False)
    os.replace(tmp, path)


def first_start(conf: cfg.ConfigOpts, db: db_api.Database,
                ports: dict[str, int] | None = None) -> str:
    """minova-all's bootstrap: passwords from ``[identity]`` options, else
    from the clouds.yaml written before, else generated once; then
    clouds.yaml written again (the catalog's URLs may have changed).
    Returns its path."""
    started = time.monotonic()
    path = clouds_path(conf)
    known = read_passwords(path)
    admin = conf.identity.bootstrap_username
    passwords_by_cloud = {}
    for cloud, user, configured in (
            (CLOUD, admin, conf.identity.bootstrap_password),
            (DEMO_CLOUD, DEMO, conf.identity.demo_password)):
        password = configured or known.get(cloud)
        if password is None and not user_exists(db, user):
            password = generate_password()
        if password is None:
            LOG.warning("clouds.yaml gets no password for the user %s, who "
                        "exists from before: set it in its '%s' cloud or "
                        "in [identity] options.", user, cloud)
        passwords_by_cloud[cloud] = password
    bootstrap(conf, db, passwords_by_cloud[CLOUD],
              passwords_by_cloud[DEMO_CLOUD], ports)
    write_clouds_yaml(conf, path, passwords_by_cloud[CLOUD],
                      passwords_by_cloud[DEMO_CLOUD], ports)
    LOG.info("Wrote %s (bootstrap took %.2f s): export "
             "OS_CLIENT_CONFIG_FILE=%s; openstack --os-cloud %s server list",
             path, time.monotonic() - started, path, CLOUD)
    return path

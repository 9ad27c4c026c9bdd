"""The identity domain behind the API: authentication, token issue and
validation, and the changes whose effect on tokens is the point
(disable, delete, password change revoke).

One ``Identity`` per process, built from ``conf`` and the database
(``minova.api.deps``); the compute API's ``minova`` auth strategy
validates tokens through the same object.
"""

from __future__ import annotations

import datetime
from typing import Any

from oslo_config import cfg
from oslo_utils import timeutils

from minova import exception
from minova.db import api as db_api
from minova.db import identity as db_identity
from minova.db import identity_state
from minova.identity import bootstrap
from minova.identity import cache as identity_cache
from minova.identity import passwords
from minova.identity import tokens


class Identity:
    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database) -> None:
        self.conf = conf
        self.db = db
        self.cache = identity_cache.IdentityCache(
            db, conf.identity.cache_refresh_interval,
            conf.identity.token_expiration)
        self.tokens = tokens.TokenProvider(
            bootstrap.key_repository(conf), self.cache,
            conf.identity.token_expiration)

    @property
    def rounds(self) -> int:
        return self.conf.identity.password_hash_rounds

    # Authentication ----------------------------------------------------

    def authenticate(self, auth: dict) -> tuple[str, tokens.Token]:
        """``auth``: the validated body's ``auth``. Returns the sealed
        token and its payload with roles."""
        identity = auth["identity"]
        methods = identity["methods"]
        expires_at = parent_audit = None
        if "application_credential" in methods:
            cred = self._application_credential(
                identity.get("application_credential") or {})
            if auth.get("scope"):
                raise exception.Unauthorized()
            user = self._enabled_user(cred.user_id)
            return self.tokens.issue(
                user.id, ["application_credential"], cred.project_id,
                app_cred_id=cred.id)
        if "password" in methods:
            user = self._password_user(
                (identity.get("password") or {}).get("user") or {})
        elif "token" in methods:
            parent = self.tokens.validate(
                (identity.get("token") or {}).get("id") or "")
            if parent.app_cred_id:
                raise exception.Unauthorized()  # as Keystone: no rescope
            user = self._enabled_user(parent.user_id)
            expires_at, parent_audit = parent.expires_at, parent.audit_ids[0]
        else:
            raise exception.Unauthorized()
        project_id = self._scope(user, auth.get("scope"))
        return self.tokens.issue(user.id, list(methods), project_id,
                                 expires_at=expires_at,
                                 parent_audit_id=parent_audit)

    def _password_user(self, spec: dict) -> Any:
        user = None
        try:
            if spec.get("id"):
                user = db_identity.get(self.db, "user", spec["id"])
            elif spec.get("name"):
                domain_id = self.domain_id(spec.get("domain") or {})
                user = db_identity.find_one(self.db, "user",
                                            name=spec["name"],
                                            domain_id=domain_id)
        except exception.NotFound:
            user = None
        # The same work and the same answer for a wrong user, a wrong
        # password and a disabled user: no way to tell which.
        password = spec.get("password") or ""
        if not passwords.check_password(
                password, user.password_hash if user else None, self.rounds) \
                or not user.enabled or not self._domain_enabled(user):
            raise exception.Unauthorized()
        return user

    def _enabled_user(self, user_id: str) -> Any:
        try:
            user = db_identity.get(self.db, "user", user_id)
        except exception.NotFound:
            raise exception.Unauthorized() from None
        if not user.enabled or not self._domain_enabled(user):
            raise exception.Unauthorized()
        return user

    def _domain_enabled(self, row: Any) -> bool:
        domain = db_identity.find_one(self.db, "domain", id=row.domain_id)
        return domain is not None and domain.enabled

    def domain_id(self, spec: dict) -> str:
        """A domain given by id or name, as in auth and scope bodies."""
        if spec.get("id"):
            return spec["id"]
        if spec.get("name"):
            domain = db_identity.find_one(self.db, "domain",
                                          name=spec["name"])
            if domain is not None:
                return domain.id
        raise exception.Unauthorized()

    def _scope(self, user: Any, scope: dict | str | None) -> str | None:
        if scope == "unscoped":
            return None
        if not isinstance(scope, dict) or not scope:
            # Keystone scopes to the default project when the user has a
            # role there, and issues an unscoped token otherwise.
            project_id = user.default_project_id
            if project_id and self.cache.get().roles.get((user.id,
                                                          project_id)):
                return project_id
            return None
        spec = scope.get("project")
        if not spec:
            raise exception.Invalid(
                reason="only project scope is served (no domain or system "
                       "scope)")
        try:
            if spec.get("id"):
                project = db_identity.get(self.db, "project", spec["id"])
            else:
                project = db_identity.find_one(
                    self.db, "project", name=spec.get("name"),
                    domain_id=self.domain_id(spec.get("domain") or {}))
        except exception.NotFound:
            project = None
        if project is None or not project.enabled or \
                not self._domain_enabled(project):
            raise exception.Unauthorized()
        return project.id

    def _application_credential(self, spec: dict) -> Any:
        cred = None
        if spec.get("id"):
            cred = db_identity.find_one(self.db, "application credential",
                                        id=spec["id"])
        elif spec.get("name"):
            user = (spec.get("user") or {})
            user_id = user.get("id")
            if not user_id and user.get("name"):
                found = db_identity.find_one(
                    self.db, "user", name=user["name"],
                    domain_id=self.domain_id(user.get("domain") or {}))
                user_id = found.id if found else None
            if user_id:
                cred = db_identity.find_one(self.db,
                                            "application credential",
                                            name=spec["name"],
                                            user_id=user_id)
        secret = spec.get("secret") or ""
        if not passwords.check_password(
                secret, cred.secret_hash if cred else None, self.rounds):
            raise exception.Unauthorized()
        if cred.expires_at and cred.expires_at <= timeutils.utcnow():
            raise exception.Unauthorized()
        return cred

    def validate(self, sealed: str) -> tokens.Token:
        return self.tokens.validate(sealed)

    # Changes that revoke -----------------------------------------------

    def _changed(self, revoked: bool = False) -> None:
        # This process sees its own change at once; others within
        # [identity] cache_refresh_interval.
        if revoked:
            # Events no unexpired token can match any more go: the table
            # stays the size of one token lifetime of revocations.
            identity_state.prune_events(
                self.db, timeutils.utcnow() - datetime.timedelta(
                    seconds=self.cache.events_horizon()))
        self.cache.invalidate()

    def revoke_token(self, token: tokens.Token) -> None:
        with self.db.session() as session:
            identity_state.revoke(session, audit_id=token.audit_ids[0],
                                  issued_before=token.issued_at)
        self._changed(revoked=True)

    def create(self, kind: str, values: dict) -> Any:
        row = db_identity.create(self.db, kind, values, bump=True)
        self._changed()
        return row

    def create_user(self, values: dict, password: str | None) -> Any:
        if password:
            values = dict(values, password_hash=passwords.hash_password(
                password, self.rounds), password_changed_at=timeutils.utcnow())
        return self.create("user", values)

    def update_user(self, user_id: str, values: dict) -> Any:
        values = dict(values)
        revoke = None
        if "password" in values:
            values["password_hash"] = passwords.hash_password(
                values.pop("password"), self.rounds)
            values["password_changed_at"] = timeutils.utcnow()
            revoke = {"user_id": user_id}
        if values.get("enabled") is False:
            revoke = {"user_id": user_id}
        row = db_identity.update(self.db, "user", user_id, values,
                                 revoke=revoke)
        self._changed(revoked=bool(revoke))
        return row

    def change_password(self, user_id: str, original: str,
                        password: str) -> None:
        user = db_identity.get(self.db, "user", user_id)
        if not passwords.check_password(original, user.password_hash,
                                        self.rounds):
            raise exception.Unauthorized()
        self.update_user(user_id, {"password": password})

    def update_project(self, project_id: str, values: dict) -> Any:
        revoke = ({"project_id": project_id}
                  if values.get("enabled") is False else None)
        row = db_identity.update(self.db, "project", project_id, values,
                                 revoke=revoke)
        self._changed(revoked=bool(revoke))
        return row

    def delete(self, kind: str, row_id: str) -> None:
        revoke = {"user": {"user_id": row_id},
                  "project": {"project_id": row_id}}.get(kind)
        db_identity.delete(self.db, kind, row_id, revoke=revoke)
        self._changed(revoked=bool(revoke))

    def grant(self, user_id: str, project_id: str, role_id: str) -> None:
        db_identity.add_assignment(self.db, user_id, project_id, role_id)
        self._changed()

    def revoke_grant(self, user_id: str, project_id: str,
                     role_id: str) -> None:
        db_identity.remove_assignment(self.db, user_id, project_id, role_id)
        self._changed()

    def create_application_credential(self, values: dict,
                                      secret: str) -> Any:
        values = dict(values, secret_hash=passwords.hash_password(
            secret, self.rounds))
        return self.create("application credential", values)

"""Fernet tokens: what they carry, how they are sealed and validated.

The payload is a msgpack list sealed with the key repository's
MultiFernet (``minova.identity.fernet``), base64 padding stripped as
Keystone does. Validation decrypts, checks the expiry, then asks the
in-memory ``IdentityCache`` whether the token is revoked and which roles
its user holds now: no database read on the hot path.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import os
import time

import msgpack
from cryptography import fernet

from minova import exception
from minova.identity import cache as identity_cache
from minova.identity import fernet as fernet_keys

_VERSION = 1
# Decrypted payloads remembered per process: clients send one token many
# times, and decryption is most of a validation (about 70 us of 95).
_DECRYPTED_MAX = 4096


def new_audit_id() -> str:
    return base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()


@dataclasses.dataclass
class Token:
    """A token's payload plus, once validated, its current roles."""

    user_id: str
    methods: list[str]
    project_id: str | None
    issued_at: float
    expires_at: float
    audit_ids: list[str]
    app_cred_id: str | None = None
    roles: frozenset[str] = frozenset()

    def pack(self) -> bytes:
        return msgpack.packb([_VERSION, self.user_id, self.methods,
                              self.project_id, self.issued_at,
                              self.expires_at, self.audit_ids,
                              self.app_cred_id])

    @classmethod
    def unpack(cls, data: bytes) -> tuple:
        """The payload's fields, to build a ``Token`` from."""
        values = msgpack.unpackb(data)
        if not isinstance(values, list) or len(values) != 8 or \
                values[0] != _VERSION:
            raise ValueError("unknown token payload")
        return tuple(values[1:])


def isotime(timestamp: float) -> str:
    """Keystone's time format: UTC with microseconds and a Z."""
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class TokenProvider:
    """Issues and validates tokens for one process."""

    def __init__(self, keys: fernet_keys.KeyRepository,
                 cache: identity_cache.IdentityCache,
                 expiration: int) -> None:
        self.keys = keys
        self.cache = cache
        self.expiration = expiration
        self._crypto: fernet.MultiFernet | None = None
        self._keys_version: int | None = None
        # sealed token -> payload fields; a payload is what the keys
        # authenticated, so it stays true until the keys change.
        self._decrypted: dict[str, tuple] = {}
        # A rotation on disk is picked up when the cache next refreshes.
        cache.listeners.append(self._reload_keys_if_changed)

    def _reload_keys_if_changed(self) -> None:
        version = self.keys.version()
        if version != self._keys_version:
            self._crypto = self.keys.load()
            self._keys_version = version
            self._decrypted = {}  # a removed key's tokens must fail

    @property
    def crypto(self) -> fernet.MultiFernet:
        if self._crypto is None:
            self._reload_keys_if_changed()
        return self._crypto

    def issue(self, user_id: str, methods: list[str],
              project_id: str | None, *, expires_at: float | None = None,
              parent_audit_id: str | None = None,
              app_cred_id: str | None = None) -> tuple[str, Token]:
        self.cache.get()  # refreshes the keys too, when due
        now = time.time()
        token = Token(
            user_id=user_id, methods=methods, project_id=project_id,
            issued_at=now, expires_at=expires_at or now + self.expiration,
            audit_ids=[new_audit_id()] + (
                [parent_audit_id] if parent_audit_id else []),
            app_cred_id=app_cred_id)
        sealed = self.crypto.encrypt(token.pack()).rstrip(b"=").decode()
        return sealed, self.validate(sealed)

    def validate(self, sealed: str) -> Token:
        """The token with its roles now; ``Unauthorized`` if it is
        malformed, expired or revoked, or its user lost every role on its
        project. One message for all: a caller learns nothing more."""
        fields = self._decrypted.get(sealed)
        if fields is None:
            fields = self._decrypt(sealed)
            if len(self._decrypted) >= _DECRYPTED_MAX:
                self._decrypted = {}
            self._decrypted[sealed] = fields
        token = Token(*fields)
        if token.expires_at <= time.time():
            raise exception.Unauthorized()
        snapshot = self.cache.get()
        if snapshot.revoked(token.user_id, token.project_id,
                            token.audit_ids, token.issued_at):
            raise exception.Unauthorized()
        if token.project_id:
            roles = snapshot.roles.get((token.user_id, token.project_id))
            if token.app_cred_id:
                roles = self._delegated(snapshot, token, roles)
            if not roles:
                raise exception.Unauthorized()
            token.roles = roles
        return token

    def _decrypt(self, sealed: str) -> tuple:
        try:
            padded = sealed + "=" * (-len(sealed) % 4)
            return Token.unpack(self.crypto.decrypt(padded.encode("ascii")))
        except (fernet.InvalidToken, ValueError, TypeError,
                msgpack.UnpackException):
            raise exception.Unauthorized() from None

    @staticmethod
    def _delegated(snapshot: identity_cache.Snapshot, token: Token,
                   roles: frozenset[str] | None) -> frozenset[str] | None:
        cred = snapshot.app_creds.get(token.app_cred_id)
        if cred is None or roles is None:
            return None
        if cred.expires_at is not None and cred.expires_at <= time.time():
            return None
        return cred.roles & roles

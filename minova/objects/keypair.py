"""The KeyPair object: a user's public key (``/os-keypairs``)."""

from __future__ import annotations

from typing import Any

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from minova import exception
from minova import quota
from minova.db import keypairs as db_keypairs
from minova.objects import base


@base.MinovaObjectRegistry.register
class KeyPair(base.MinovaObject, ovo_base.VersionedObjectDictCompat):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {
        "id": fields.IntegerField(read_only=True),
        "name": fields.StringField(),
        "user_id": fields.StringField(),
        "fingerprint": fields.StringField(nullable=True),
        "public_key": fields.StringField(nullable=True),
        "type": fields.StringField(default="ssh"),
        "created_at": fields.DateTimeField(nullable=True),
        "updated_at": fields.DateTimeField(nullable=True),
    }

    @classmethod
    @ovo_base.remotable
    def get_by_name(cls, context: Any, user_id: str, name: str) -> KeyPair:
        row = db_keypairs.get(cls._db(context), user_id, name)
        return cls._from_db_object(context, cls(), row)

    @ovo_base.remotable
    def create(self, limit: int = quota.UNLIMITED) -> None:
        """Insert it unless its user would hold more than ``limit`` keys
        (``KeypairLimitExceeded``); ``KeyPairExists`` for a taken name."""
        db = self._db(self._context)

        def check_count(count: int) -> None:
            if limit != quota.UNLIMITED and count + 1 > limit:
                raise exception.KeypairLimitExceeded()

        row = db_keypairs.create(db, self.obj_get_changes(), check_count)
        # Nova's recheck: two racing creates may both have counted before
        # either inserted; whichever finds the user over the limit after
        # its insert takes its key back.
        if limit != quota.UNLIMITED and \
                db_keypairs.count(db, self.user_id) > limit:
            db_keypairs.destroy(db, self.user_id, self.name)
            raise exception.KeypairLimitExceeded()
        self._from_db_object(self._context, self, row)

    @classmethod
    @ovo_base.remotable
    def destroy_by_name(cls, context: Any, user_id: str, name: str) -> None:
        db_keypairs.destroy(cls._db(context), user_id, name)


@base.MinovaObjectRegistry.register
class KeyPairList(ovo_base.ObjectListBase, base.MinovaObject):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {"objects": fields.ListOfObjectsField("KeyPair")}

    @classmethod
    @ovo_base.remotable
    def get_by_user(cls, context: Any, user_id: str,
                    limit: int | None = None,
                    marker: str | None = None) -> KeyPairList:
        rows = db_keypairs.get_all(cls._db(context), user_id, limit=limit,
                                   marker=marker)
        return ovo_base.obj_make_list(context, cls(context), rows)

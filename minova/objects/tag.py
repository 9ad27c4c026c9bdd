"""Server tags (2.26) as objects: what handlers and the compute API use
to read and change them."""

from __future__ import annotations

from typing import Any

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from minova.db import tags as db_tags
from minova.objects import base


@base.MinovaObjectRegistry.register
class Tag(base.MinovaObject, ovo_base.VersionedObjectDictCompat):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {
        "resource_id": fields.StringField(),
        "tag": fields.StringField(),
    }

    @classmethod
    @ovo_base.remotable
    def add(cls, context: Any, resource_id: str, tag: str) -> bool:
        """Add ``tag``; False if the server had it. ``TooManyTags`` past
        the per-server limit."""
        return db_tags.add(cls._db(context), resource_id, tag)

    @classmethod
    @ovo_base.remotable
    def destroy(cls, context: Any, resource_id: str, tag: str) -> None:
        db_tags.delete(cls._db(context), resource_id, tag)


@base.MinovaObjectRegistry.register
class TagList(ovo_base.ObjectListBase, base.MinovaObject):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {"objects": fields.ListOfObjectsField("Tag")}

    @classmethod
    def _of(cls, context: Any, resource_id: str, tags: list[str]) -> Any:
        result = cls(context)
        result.objects = [Tag(context, resource_id=resource_id, tag=tag)
                          for tag in tags]
        result.obj_reset_changes()
        return result

    @classmethod
    @ovo_base.remotable
    def get_by_resource_id(cls, context: Any, resource_id: str) -> Any:
        return cls._of(context, resource_id,
                       db_tags.get(cls._db(context), resource_id))

    @classmethod
    @ovo_base.remotable
    def create(cls, context: Any, resource_id: str, tags: list) -> Any:
        """The server's tags become ``tags``."""
        return cls._of(context, resource_id,
                       db_tags.replace(cls._db(context), resource_id, tags))

    @classmethod
    @ovo_base.remotable
    def destroy(cls, context: Any, resource_id: str) -> None:
        db_tags.delete_all(cls._db(context), resource_id)

    def names(self) -> list[str]:
        return [tag.tag for tag in self.objects]

"""The image API's tables (a Glance v2 subset: minova/image/,
minova/api/image/)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from minova.db.models.base import Base
from minova.db.models.base import TimestampMixin

# image ----------------------------------------------------------------------

class Image(Base, TimestampMixin):
    """An image of the image API (a Glance v2 subset). Its data is a file
    of the store (``minova.image.store``) once ``status`` is active;
    ``properties`` are Glance's additional properties."""

    __tablename__ = "images"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255),
                                                     index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(30))
    visibility: orm.Mapped[str] = orm.mapped_column(sa.String(30))
    owner: orm.Mapped[str | None] = orm.mapped_column(sa.String(255),
                                                      index=True)
    protected: orm.Mapped[bool] = orm.mapped_column(sa.Boolean,
                                                    default=False)
    os_hidden: orm.Mapped[bool] = orm.mapped_column(sa.Boolean,
                                                    default=False)
    disk_format: orm.Mapped[str | None] = orm.mapped_column(sa.String(30))
    container_format: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(30))
    min_disk: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    min_ram: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    size: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    checksum: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    os_hash_algo: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    os_hash_value: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(128))
    properties: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)


class ImageTag(Base):
    __tablename__ = "image_tags"

    image_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("images.id", ondelete="CASCADE"),
        primary_key=True)
    value: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                               primary_key=True, index=True)

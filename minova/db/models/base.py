"""What every table's model shares: the declarative base, timestamps and
Nova's soft delete."""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy import orm


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class Base(orm.DeclarativeBase):
    pass


class TimestampMixin:
    created_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime, default=utcnow)
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime, onupdate=utcnow)


class SoftDeleteMixin:
    deleted_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime)
    deleted: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)

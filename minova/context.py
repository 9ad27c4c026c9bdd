"""The request context: who is asking, carried through API and RPC."""

from __future__ import annotations

from typing import Any

from oslo_context import context


class RequestContext(context.RequestContext):
    """oslo.context's context plus what minova needs to carry over RPC.

    ``is_admin`` follows the roles unless given; ``read_deleted`` decides
    whether soft-deleted rows are visible to the DB layer.

    Two attributes are local to the service handling the request and are
    never sent over RPC (like Nova's ``db_connection`` for cells):

    - ``db``: the service's ``minova.db.api.Database``, or None in a
      service that may not touch the database (minova-compute). All DB
      code reaches the database through it, so a compute that tries gets
      ``DBNotAllowed`` even when it shares a process with the conductor.
    - ``indirection_api``: where versioned objects send their remotable
      calls instead of running them locally (the conductor, in compute).
    """

    def __init__(self, *args: Any, read_deleted: str = "no",
                 db: Any = None, indirection_api: Any = None,
                 **kwargs: Any) -> None:
        roles = kwargs.get("roles") or []
        if kwargs.get("is_admin") is None:
            kwargs["is_admin"] = "admin" in roles
        super().__init__(*args, **kwargs)
        self.read_deleted = read_deleted
        self.db = db
        self.indirection_api = indirection_api

    def to_dict(self) -> dict:
        values = super().to_dict()
        values["read_deleted"] = self.read_deleted
        return values

    @classmethod
    def from_dict(cls, values: dict, **kwargs: Any) -> RequestContext:
        kwargs.setdefault("read_deleted", values.get("read_deleted", "no"))
        kwargs.setdefault("is_admin", values.get("is_admin"))
        return super().from_dict(values, **kwargs)

    def elevated(self) -> RequestContext:
        ctx = self.from_dict(self.to_dict(), db=self.db,
                             indirection_api=self.indirection_api)
        ctx.is_admin = True
        if "admin" not in ctx.roles:
            ctx.roles = list(ctx.roles) + ["admin"]
        return ctx


def get_admin_context(db: Any = None, indirection_api: Any = None,
                      read_deleted: str = "no") -> RequestContext:
    """A context for a service's own work (no user, admin rights)."""
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          roles=["admin"], read_deleted=read_deleted,
                          db=db, indirection_api=indirection_api,
                          overwrite=False)

"""Persistence: SQLAlchemy models, queries and Alembic migrations.

Only services allowed to use the database reach this package, always
through ``minova.db.api.Database`` taken from the request context.
"""

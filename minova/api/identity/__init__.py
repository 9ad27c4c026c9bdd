"""The identity API: a Keystone v3 subset (routes, handlers, schemas).

Domain code is in ``minova.identity``; queries in ``minova.db.identity``
and ``minova.db.identity_state``.
"""

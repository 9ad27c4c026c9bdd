"""Salted password hashes through bcrypt.

bcrypt is CPU-bound for a noticeable time (0.4 s at cost 12): it runs in
eventlet's native thread pool so the process's other green threads (every
other request, in minova-all every service) go on meanwhile.
"""

from __future__ import annotations

import functools

import bcrypt
from eventlet import tpool

from minova import exception

# bcrypt looks at the first 72 bytes only; Keystone refuses longer ones
# rather than silently truncating, and so does minova.
MAX_PASSWORD_BYTES = 72


def hash_password(password: str, rounds: int) -> str:
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_PASSWORD_BYTES:
        raise exception.ValidationError(
            field="password",
            reason="longer than %d bytes (UTF-8)" % MAX_PASSWORD_BYTES)
    salt = bcrypt.gensalt(rounds)
    hashed = tpool.execute(bcrypt.hashpw, encoded, salt)
    return hashed.decode("ascii")


@functools.lru_cache(maxsize=8)
def _dummy_hash(rounds: int) -> bytes:
    return bcrypt.hashpw(b"not a password", bcrypt.gensalt(rounds))


def check_password(password: str, hashed: str | None, rounds: int) -> bool:
    """Whether ``password`` matches ``hashed``.

    With no hash (no such user, or a user without a password) a dummy
    hash of the same cost is checked anyway, so that the answer takes as
    long as for a wrong password: timing does not tell whether a user
    exists.
    """
    candidate = password.encode("utf-8")[:MAX_PASSWORD_BYTES]
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        hashed = None  # could not have been set: fail the same way
    if hashed is None:
        tpool.execute(bcrypt.checkpw, candidate, _dummy_hash(rounds))
        return False
    try:
        return bool(tpool.execute(bcrypt.checkpw, candidate,
                                  hashed.encode("ascii")))
    except ValueError:  # not a bcrypt hash
        return False

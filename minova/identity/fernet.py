"""The Fernet key repository, in Keystone's layout.

A directory of files named by integers, each one key
(``cryptography.fernet.Fernet.generate_key``): ``0`` is the *staged* key
(the next primary, already accepted so that every process knows it before
it signs with it), the highest number is the *primary* (new tokens are
encrypted with it), the others are *secondary* (only decrypt tokens issued
before a rotation). A rotation promotes the staged key to primary, stages a
new one and drops the oldest secondaries beyond ``max_active_keys``.
"""

from __future__ import annotations

import logging
import os
import tempfile

from cryptography import fernet

from minova import exception

LOG = logging.getLogger(__name__)


class KeyRepository:
    def __init__(self, path: str, max_active_keys: int = 3) -> None:
        self.path = path
        self.max_active_keys = max_active_keys

    def _indexes(self) -> list[int]:
        try:
            names = os.listdir(self.path)
        except FileNotFoundError:
            return []
        return sorted(int(name) for name in names if name.isdigit())

    def _write(self, index: int) -> None:
        # Written under a temporary name and renamed: a process loading
        # the keys meanwhile never reads half a key.
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".key-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(fernet.Fernet.generate_key())
        os.chmod(tmp, 0o600)
        os.replace(tmp, os.path.join(self.path, str(index)))

    def exists(self) -> bool:
        return bool(self._indexes())

    def setup(self) -> bool:
        """Create the repository with a staged and a primary key, unless it
        has keys already. Returns whether it created them."""
        if self.exists():
            return False
        os.makedirs(self.path, mode=0o700, exist_ok=True)
        self._write(0)
        self._write(1)
        LOG.info("Created the Fernet key repository %s.", self.path)
        return True

    def rotate(self) -> int:
        """Promote the staged key, stage a new one, drop the oldest
        secondaries. Returns the new primary's index."""
        indexes = self._indexes()
        if not indexes:
            raise exception.IdentityKeysMissing(path=self.path)
        primary = max(indexes) + 1
        os.replace(os.path.join(self.path, "0"),
                   os.path.join(self.path, str(primary)))
        self._write(0)
        secondaries = sorted(i for i in indexes if i != 0)
        # Keep staged + primary + (max_active_keys - 2) secondaries.
        keep = max(self.max_active_keys - 2, 0)
        for index in secondaries[:max(len(secondaries) - keep, 0)]:
            os.remove(os.path.join(self.path, str(index)))
        return primary

    def load(self) -> fernet.MultiFernet:
        """The keys as a MultiFernet: primary first (it encrypts), then
        the others, newest first."""
        indexes = self._indexes()
        if not indexes:
            raise exception.IdentityKeysMissing(path=self.path)
        order = sorted((i for i in indexes if i != 0), reverse=True)
        order.append(0)
        keys = []
        for index in order:
            with open(os.path.join(self.path, str(index)), "rb") as handle:
                keys.append(fernet.Fernet(handle.read().strip()))
        return fernet.MultiFernet(keys)

    def version(self) -> int:
        """Changes whenever a rotation renames or writes a key file."""
        try:
            return os.stat(self.path).st_mtime_ns
        except FileNotFoundError:
            return 0

"""The Fernet key repository follows Keystone's: staged 0, primary the
highest, rotation promotes the staged key and drops the oldest."""

from __future__ import annotations

import os

import pytest
from cryptography import fernet as crypto

from minova import exception
from minova.identity import cache
from minova.identity import fernet


def _keys(path) -> list[str]:
    return sorted(os.listdir(path), key=int)


def test_setup_rotate_and_prune(tmp_path):
    repository = fernet.KeyRepository(str(tmp_path / "keys"),
                                      max_active_keys=3)
    assert repository.setup() is True
    assert repository.setup() is False
    assert _keys(repository.path) == ["0", "1"]
    with open(os.path.join(repository.path, "0"), "rb") as handle:
        staged = handle.read()
    sealed = repository.load().encrypt(b"x")  # with primary 1
    assert repository.rotate() == 2
    with open(os.path.join(repository.path, "2"), "rb") as handle:
        assert handle.read() == staged  # the staged key became primary
    assert _keys(repository.path) == ["0", "1", "2"]
    assert repository.rotate() == 3
    assert _keys(repository.path) == ["0", "2", "3"]
    # Key 1 is gone: what it sealed no longer opens.
    with pytest.raises(crypto.InvalidToken):
        repository.load().decrypt(sealed)


def test_the_staged_key_already_decrypts(tmp_path):
    repository = fernet.KeyRepository(str(tmp_path))
    repository.setup()
    with open(os.path.join(repository.path, "0"), "rb") as handle:
        staged = crypto.Fernet(handle.read())
    # Another process rotated first and seals with the promoted key.
    assert repository.load().decrypt(staged.encrypt(b"x")) == b"x"


def test_no_keys_is_a_clear_error(tmp_path):
    with pytest.raises(exception.IdentityKeysMissing) as info:
        fernet.KeyRepository(str(tmp_path / "none")).load()
    assert "minova-manage bootstrap" in info.value.format_message()


def test_implied_roles_expand_transitively():
    implied = {"admin": {"member"}, "member": {"reader"}}
    assert cache.expand_roles({"admin"}, implied) == {"admin", "member",
                                                      "reader"}
    assert cache.expand_roles({"reader"}, implied) == {"reader"}

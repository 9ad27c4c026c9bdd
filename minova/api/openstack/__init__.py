"""The OpenStack compute API (v2.1, microversioned)."""

"""Fixtures the functional tests share beyond tests.fixtures."""

from typing import Any

import pytest

from tests.compute_fixtures import compute  # noqa: F401
from tests.compute_fixtures import compute_api  # noqa: F401
from tests.compute_fixtures import scheduler  # noqa: F401
from tests.compute_fixtures import tiny_flavor  # noqa: F401
from tests.compute_fixtures import user_context  # noqa: F401


@pytest.fixture(autouse=True)
def _nova_schemas(nova_schema_judge: Any) -> Any:
    """Every compute API response is judged by Nova's schema
    (tests/functional/nova_schemas.py)."""
    return nova_schema_judge

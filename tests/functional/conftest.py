"""Fixtures the functional tests share beyond tests.fixtures."""

from tests.compute_fixtures import compute  # noqa: F401
from tests.compute_fixtures import compute_api  # noqa: F401
from tests.compute_fixtures import scheduler  # noqa: F401
from tests.compute_fixtures import tiny_flavor  # noqa: F401
from tests.compute_fixtures import user_context  # noqa: F401

"""Test set-up shared by every suite.

Tests run on eventlet like the services do, so the patching comes first.
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

pytest_plugins = ["tests.fixtures", "tests.functional.nova_schemas"]

"""Console scripts. The only code that touches process globals.

Importing this package green-patches the standard library with eventlet,
before anything else imports ``socket`` or ``threading``: every minova
process runs on eventlet, as Nova's services did.
"""

import warnings

# eventlet warns on import that it is in maintenance mode; minova knows
# (docs/architecture.md) and operators can do nothing about it.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

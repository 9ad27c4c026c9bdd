"""Console scripts. The only code that touches process globals.

Importing this package green-patches the standard library with eventlet,
before anything else imports ``socket`` or ``threading``: every minova
process runs on eventlet, as Nova's services did.
"""

import logging
import os
import warnings

# eventlet's green DNS resolver loads dnspython and cryptography: about
# 17 MB per process (docs/performance.md) for lookups minova does only
# when it connects to its broker and database. Nova turned it off too.
# EVENTLET_NO_GREENDNS=no in the environment turns it back on.
os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")

# eventlet warns on import that it is in maintenance mode; minova knows
# (docs/architecture.md) and operators can do nothing about it.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

# Every log record asks for the current thread's name, which under
# eventlet's patched threading lists the green threads: about 4 us a
# record, a few percent of a cheap API request with its access line. All
# green threads share one OS thread; oslo.log's formats do not show it.
logging.logThreads = False

import eventlet  # noqa: E402

eventlet.monkey_patch()

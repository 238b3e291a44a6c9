"""``python -m confarchive``: the ``confarchive`` command (:mod:`confarchive.cli`)."""

import sys

from .cli import main

sys.exit(main())

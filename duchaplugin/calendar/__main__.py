"""``python -m duchaplugin.calendar``: the ``calendar`` command on its own."""

import sys

from duchaplugin.calendar.cli import main

sys.exit(main())

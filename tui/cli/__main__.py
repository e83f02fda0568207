"""`python -m crosswire.tui.cli`: the same as the `crosswire` command."""

import sys

from . import main

sys.exit(main())

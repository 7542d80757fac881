"""``python -m lev2040_mcda.cli`` is ``lev2040``."""

import sys

from . import main

sys.exit(main())

"""``python -m spacemarket.experiments.cli``: the ``spacemarket`` command."""

import sys

from spacemarket.experiments.cli.app import main

sys.exit(main())

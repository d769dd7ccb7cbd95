"""spacemarket: a strategic-market model of AI data centers in orbit.

Layers (docs/architecture.md): ``spacemarket.market.physics`` (physical-cost core, pure
numpy), ``spacemarket.market.economics`` (IO economics), ``spacemarket.market.games`` (game
theory), ``spacemarket.market.scenario`` (scenario files and their one load pipeline),
``spacemarket.agents`` (Mesa agents), ``spacemarket.market.model`` (the Mesa model, quarter by
quarter), ``spacemarket.experiments`` (CLI, sweeps, plots, the integration game over model
runs) and ``spacemarket.errors`` (one error hierarchy). Imports go down only; the test of the
rule is ``tests/test_architecture.py``.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

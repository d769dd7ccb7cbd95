"""spacemarket: a strategic-market model of AI data centers in orbit.

Layers (see DESIGN): ``spacemarket.market.physics`` (physical-cost core, pure numpy),
``spacemarket.market.economics`` (IO economics), ``spacemarket.agents`` (Mesa agents),
``spacemarket.experiments`` (CLI, scenarios, plots).
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

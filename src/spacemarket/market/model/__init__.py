"""The Mesa model of the market: ``SpaceMarket``, its quarter's stages, metrics and results.

``SpaceMarket`` (:mod:`.space_market`) owns one object per stage of a quarter and calls them in
order in ``step()``: :mod:`.state_update`, :mod:`.structure`, :mod:`.contracts` (with
:mod:`.offers`), :mod:`.spot` (with :mod:`.launch_clearing`), :mod:`.deployment` (with
:mod:`.allocation` and :mod:`.compute_costs`), :mod:`.accounting`, :mod:`.metrics`.

>>> from spacemarket.market.model import run_scenario
>>> r = run_scenario("backtest-2023", seed=1, steps=2)
>>> len(r.market)
2
"""

from spacemarket.market.model.results import ScenarioResult, run_scenario
from spacemarket.market.model.space_market import SpaceMarket

__all__ = ["ScenarioResult", "SpaceMarket", "run_scenario"]

"""Running a scenario and collecting its tidy output frames."""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd

from spacemarket.market.model import SpaceMarket
from spacemarket.market.scenario import Scenario, load_scenario

__all__ = ["ScenarioResult", "run_scenario"]


@dataclass(frozen=True)
class ScenarioResult:
    """Frames of one run.

    ``firms``: one row per quarter and firm (launch providers, captive markets, clouds, labs).
    ``market``: one row per quarter. ``vehicles``: one row per quarter and vehicle.
    ``milestones``: first-flight quarter drawn for each entering vehicle.
    """

    scenario: str
    seed: int | None
    firms: pd.DataFrame
    market: pd.DataFrame
    vehicles: pd.DataFrame
    milestones: dict[str, str]


def run_scenario(
    scenario: Scenario | str, seed: int | None = None, steps: int | None = None, rng=None
) -> ScenarioResult:
    """Run ``scenario`` for ``steps`` quarters (default: start to end) and return its frames.

    ``seed`` (an int) or ``rng`` (a Generator or SeedSequence) makes the run reproducible: the
    same seed gives identical frames.

    Examples
    --------
    >>> r = run_scenario("backtest-2023", seed=7, steps=2)
    >>> list(r.market["quarter"])
    ['2023Q1', '2023Q2']
    """
    s = load_scenario(scenario) if isinstance(scenario, str) else scenario
    if seed is not None and rng is not None:
        raise ValueError("give seed or rng, not both")
    model = SpaceMarket(scenario=s, rng=np.random.default_rng(seed if rng is None else rng))
    n = s.n_quarters if steps is None else int(steps)
    if n < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    for _ in range(n):
        if not model.running:
            break
        model.step()
    firms = model.datacollector.get_table_dataframe("firms")
    vehicles = model.datacollector.get_table_dataframe("vehicles")
    market = pd.DataFrame(model.market_rows)
    result = ScenarioResult(s.name, seed, firms, market, vehicles, dict(model.milestones))
    release_model(model)
    return result


def release_model(model: SpaceMarket) -> None:
    """Drop Mesa 3.3's class-level reference to a finished model so its memory is freed.

    ``mesa.Agent._ids`` is a class-level dict keyed by model (Mesa issue #3179, fixed upstream
    in PR #3180); without this a process that runs many models keeps every one alive.
    """
    ids = getattr(mesa.Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)

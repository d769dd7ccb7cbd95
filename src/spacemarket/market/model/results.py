"""Running a scenario and collecting its tidy output frames."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np
import pandas as pd

from spacemarket.errors import InputError
from spacemarket.market.model.contracts import ContractTerms
from spacemarket.market.model.decisions import EVENT_COLUMNS
from spacemarket.market.model.space_market import SpaceMarket
from spacemarket.market.scenario import Scenario, load_scenario

__all__ = ["CONTRACT_COLUMNS", "EVENT_COLUMNS", "ScenarioResult", "run_scenario"]

#: Columns of the contracts frame (``contracts.parquet``).
CONTRACT_COLUMNS = ["quarter", *(f.name for f in dataclasses.fields(ContractTerms))]


@dataclass(frozen=True)
class ScenarioResult:
    """Frames of one run.

    ``firms``: one row per quarter and firm (launch providers, captive markets, clouds, labs).
    ``market``: one row per quarter. ``vehicles``: one row per quarter and vehicle.
    ``milestones``: first-flight quarter drawn for each entering vehicle. ``contracts``: one row
    per quarter and bargained launch edge (seller, buyer, vehicle, status, price, kg, gains,
    bargaining weight). ``graph``: node-link snapshots of the market graph at ``"start"`` and
    ``"end"``. ``events``: in endogenous mode, one row per option weighed by a player at a
    decision epoch (quarter, player, decision, option, value_usd, chosen, price_usd, status);
    empty in committed mode. ``mode``: "committed" or "endogenous".
    """

    scenario: str
    seed: int | None
    firms: pd.DataFrame
    market: pd.DataFrame
    vehicles: pd.DataFrame
    milestones: dict[str, str]
    contracts: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    graph: dict[str, dict] = dataclasses.field(default_factory=dict)
    events: pd.DataFrame = dataclasses.field(
        default_factory=lambda: pd.DataFrame(columns=EVENT_COLUMNS)
    )
    mode: str = "committed"


def _check_seed(argument: str, value: Any) -> Any:
    """``value`` if it is None, an integer >= 0 or a numpy SeedSequence, Generator or
    BitGenerator (what ``numpy.random.default_rng`` turns into a reproducible stream)."""
    if value is None or isinstance(value, np.random.SeedSequence | np.random.Generator):
        return value
    if isinstance(value, np.random.BitGenerator):
        return value
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        if value < 0:
            raise InputError(argument, f"must be an integer >= 0, got {value}")
        return int(value)
    raise InputError(
        argument,
        "must be an integer >= 0, a numpy SeedSequence or a numpy Generator, got "
        f"{value!r} ({type(value).__name__})",
    )


def _check_steps(steps: Any, s: Scenario) -> int:
    """The number of quarters to run: ``steps`` (an integer in [1, n_quarters]) or all."""
    n = s.n_quarters
    if steps is None:
        return n
    if not isinstance(steps, int | np.integer) or isinstance(steps, bool | np.bool_):
        raise InputError(
            "steps",
            f"must be an integer number of quarters, got {steps!r} ({type(steps).__name__})",
        )
    if not 1 <= steps <= n:
        raise InputError(
            "steps",
            f"must be in [1, {n}] (scenario {s.name} runs {s.start} to {s.end}), got {steps}",
        )
    return int(steps)


def run_scenario(
    scenario: Scenario | str,
    seed: int | None = None,
    steps: int | None = None,
    rng=None,
    mode: str | None = None,
) -> ScenarioResult:
    """Run ``scenario`` for ``steps`` quarters (default: start to end) and return its frames.

    ``seed`` (an integer >= 0) or ``rng`` (a Generator or SeedSequence) makes the run
    reproducible: the same seed gives identical frames. ``steps`` is an integer from 1 to the
    scenario's number of quarters. ``mode`` ("committed" or "endogenous") overrides the
    scenario's ``game.mode``. Bad arguments raise :class:`~spacemarket.errors.InputError`
    naming the argument.

    Examples
    --------
    >>> r = run_scenario("backtest-2023", seed=7, steps=2)
    >>> list(r.market["quarter"])
    ['2023Q1', '2023Q2']
    """
    if isinstance(scenario, str | os.PathLike):
        s = load_scenario(scenario)
    elif isinstance(scenario, Scenario):
        s = scenario
    else:
        raise InputError(
            "scenario",
            f"must be a Scenario, a preset name or a path, got {type(scenario).__name__}",
        )
    seed = _check_seed("seed", seed)
    rng = _check_seed("rng", rng)
    if seed is not None and rng is not None:
        raise InputError("seed", "give seed or rng, not both")
    n = _check_steps(steps, s)
    model = SpaceMarket(scenario=s, rng=np.random.default_rng(seed if rng is None else rng),
                        mode=mode)  # fmt: skip
    for _ in range(n):
        if not model.running:
            break
        model.step()
    firms = model.datacollector.get_table_dataframe("firms")
    vehicles = model.datacollector.get_table_dataframe("vehicles")
    market = pd.DataFrame(model.market_rows)
    contracts = pd.DataFrame(model.contract_rows, columns=CONTRACT_COLUMNS)
    snapshots = dict(model.graph_snapshots)
    snapshots.setdefault("end", model.graph.node_link())
    events = pd.DataFrame(model.event_rows, columns=EVENT_COLUMNS)
    events = events.astype({"value_usd": float, "price_usd": float, "chosen": bool})
    result = ScenarioResult(s.name, seed, firms, market, vehicles, dict(model.milestones),
                            contracts, snapshots, events, model.mode)  # fmt: skip
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

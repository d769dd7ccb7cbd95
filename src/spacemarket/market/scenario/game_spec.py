"""The integration game a scenario defines: players, their action sets and their payoffs.

A scenario's optional ``[game]`` table::

    [game]
    discount_rate_per_year = 0.08   # payoffs are discounted quarterly at this annual rate
    seller_weight = 0.5             # target owners' Nash weight in acquisition prices
    replications = 8                # seeds per profile (common random numbers)
    payoff_firms = { OpenAI = { OpenAI = 1.0 }, SpaceX = { SpaceX = 1.0, xAI = 1.0 } }
    mode = "committed"              # or "endogenous": the players decide during the run
    epoch_quarters = 4              # endogenous mode: a decision epoch every 4 quarters
    horizon_years = 5.0             # an option's value: profit projected over 5 years
    lookahead_quarters = 1          # ... from this many quarters simulated under it

    [game.players]
    OpenAI = ["independent", "control-of-stoke"]
    SpaceX = ["open-access", "foreclose-launch"]

``players`` maps each player to its strategies (names from
:mod:`spacemarket.market.scenario.strategies`); ``payoff_firms`` maps each player to the firms whose
discounted profit it counts, with weights (cash-flow rights). A lab's profit is minus its cost
of compute (its demand is the same in every profile). Stakes a player acquires through a
strategy (control edges owned by its controller) are added by the game with their weight
over time, and the acquisition price is subtracted.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Any

from spacemarket.market.scenario.spec import ScenarioError
from spacemarket.market.scenario.strategies import get_strategy
from spacemarket.validation import bounded, check_keys, check_value

__all__ = ["MODES", "GameSpec", "parse_game_spec"]

#: A payoff weight (a share of cash-flow rights): a number in [0, 1].
_WEIGHT = bounded(0.0, 1.0)

MODES = ("committed", "endogenous")

_KEYS = (
    "mode",
    "epoch_quarters",
    "horizon_years",
    "lookahead_quarters",
    "players",
    "payoff_firms",
    "discount_rate_per_year",
    "seller_weight",
    "replications",
    "source",
)


@dataclass(frozen=True, kw_only=True)
class GameSpec:
    """A validated ``[game]`` table (see the module docstring)."""

    players: dict[str, tuple[str, ...]]
    payoff_firms: dict[str, dict[str, float]]
    discount_rate_per_year: float = bounded(0.0, 1.0, 0.08, high_open=True)
    seller_weight: float = bounded(0.0, 1.0, 0.5)
    replications: int = bounded(1, 10_000, 8)
    mode: str = "committed"
    epoch_quarters: int = bounded(1, 400, 4)
    horizon_years: float = bounded(0.25, 100.0, 5.0)
    lookahead_quarters: int = bounded(1, 40, 1)
    source: str = ""

    def to_document(self) -> dict[str, Any]:
        """The table as a TOML-ready dict (inverse of :func:`parse_game_spec`)."""
        return {
            "players": {p: list(a) for p, a in self.players.items()},
            "payoff_firms": {p: dict(w) for p, w in self.payoff_firms.items()},
            "discount_rate_per_year": self.discount_rate_per_year,
            "seller_weight": self.seller_weight,
            "replications": self.replications,
            "mode": self.mode,
            "epoch_quarters": self.epoch_quarters,
            "horizon_years": self.horizon_years,
            "lookahead_quarters": self.lookahead_quarters,
            "source": self.source,
        }


def parse_game_spec(raw: Any, firms: set[str], src: str = "") -> GameSpec:
    """Validate a ``[game]`` table against the strategy registry and the scenario's firms."""
    if not isinstance(raw, dict):
        raise ScenarioError("game", "expected a table", src)
    check_keys(raw, _KEYS, "game", src, ScenarioError, word="known")
    players = raw.get("players")
    if not isinstance(players, dict) or not players:
        raise ScenarioError("game.players", "expected a non-empty table player = [strategies]", src)
    actions: dict[str, tuple[str, ...]] = {}
    for player, names in players.items():
        key = f"game.players.{player}"
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise ScenarioError(key, "expected a non-empty array of strategy names", src)
        if len(set(names)) != len(names):
            raise ScenarioError(key, "repeated strategy", src)
        for n in names:
            try:
                get_strategy(player, n, src)
            except ScenarioError as exc:
                raise ScenarioError(key, exc.reason, src) from None
        actions[player] = tuple(names)
    weights_raw = raw.get("payoff_firms", {})
    if not isinstance(weights_raw, dict):
        raise ScenarioError("game.payoff_firms", "expected a table", src)
    weights: dict[str, dict[str, float]] = {}
    for player in actions:
        w = weights_raw.get(player)
        key = f"game.payoff_firms.{player}"
        if not isinstance(w, dict) or not w:
            raise ScenarioError(key, "expected a table of firm = weight for every player", src)
        for firm in w:
            if firm not in firms:
                raise ScenarioError(f"{key}.{firm}", f"unknown firm {firm!r}", src)
        weights[player] = check_value(key, w, dict[str, float], _WEIGHT, src, ScenarioError)
    for player in weights_raw:
        if player not in actions:
            raise ScenarioError(f"game.payoff_firms.{player}", "not a player of the game", src)
    hints = typing.get_type_hints(GameSpec)
    fields = {f.name: f for f in dataclasses.fields(GameSpec)}
    scalars = {
        name: check_value(f"game.{name}", raw[name], hints[name], fields[name], src, ScenarioError)
        for name in ("discount_rate_per_year", "seller_weight", "replications", "mode",
                     "epoch_quarters", "horizon_years", "lookahead_quarters", "source")
        if name in raw
    }  # fmt: skip
    if scalars.get("mode", "committed") not in MODES:
        raise ScenarioError("game.mode", f"expected one of {', '.join(MODES)}", src)
    return GameSpec(players=actions, payoff_firms=weights, **scalars)

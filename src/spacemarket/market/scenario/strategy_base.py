"""The strategy registry and the base class of a strategy (the catalogue is
:mod:`spacemarket.market.scenario.strategies`, which registers every strategy on import).

A strategy acts on a scenario *document* (the parsed TOML, before validation); the helpers
below find and change its elements.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from spacemarket.market.scenario.spec import ScenarioError, quarter_index, quarter_label

__all__ = [
    "CONTRACT_INVESTMENT_RESPONSE",
    "CONTRACT_WEIGHT",
    "STRATEGIES",
    "Strategy",
    "UnknownStrategyError",
    "apply_profile",
    "get_strategy",
    "players",
    "register",
    "status_quo",
    "strategies_for",
    "strategy_names",
]

STRATEGIES: dict[tuple[str, str], type[Strategy]] = {}


class UnknownStrategyError(ScenarioError):
    """A player or strategy name the registry does not know."""


def register(cls: type[Strategy]) -> type[Strategy]:
    """Class decorator: add ``cls`` to :data:`STRATEGIES` under (player, name)."""
    key = (cls.metadata["player"], cls.name)
    if key in STRATEGIES:
        raise ValueError(f"strategy {key} registered twice")
    STRATEGIES[key] = cls
    return cls


def strategy_names(player: str) -> list[str]:
    """Names of the registered strategies of ``player`` (in catalogue order)."""
    return [name for (p, name) in STRATEGIES if p == player]


def strategies_for(player: str) -> list[Strategy]:
    """Instances of every registered strategy of ``player``."""
    return [STRATEGIES[(player, n)]() for n in strategy_names(player)]


def status_quo(player: str) -> str:
    """The player's status-quo strategy (marked ``status_quo = True``; the baseline's choice)."""
    marked = [n for n in strategy_names(player) if STRATEGIES[(player, n)].status_quo]
    return marked[0] if marked else strategy_names(player)[0]


def players() -> list[str]:
    """Players with at least one registered strategy."""
    return list(dict.fromkeys(p for p, _ in STRATEGIES))


def get_strategy(player: str, name: str, src: str = "") -> Strategy:
    """The strategy ``name`` of ``player``; :class:`UnknownStrategyError` names the options."""
    if player not in players():
        raise UnknownStrategyError(
            f"strategy.{player}", f"unknown player (known: {', '.join(players())})", src
        )
    if (player, name) not in STRATEGIES:
        known = ", ".join(strategy_names(player))
        raise UnknownStrategyError(
            f"strategy.{player}", f"unknown strategy {name!r} (known: {known})", src
        )
    return STRATEGIES[(player, name)]()


def apply_profile(doc: dict[str, Any], profile: dict[str, str], src: str = "") -> dict[str, Any]:
    """A copy of the scenario document with each player's strategy applied.

    Players are applied in catalogue order, so a profile gives the same document whatever
    order it is written in.
    """
    out = copy.deepcopy(doc)
    chosen = {p: get_strategy(p, n, src) for p, n in profile.items()}
    for player in players():
        if player in chosen:
            chosen[player].apply(out, src)
    return out


# --------------------------------------------------------------------------- helpers


def _element(doc: dict, array: str, name: str, strategy: Strategy, src: str) -> dict:
    for item in doc.get(array, []):
        if isinstance(item, dict) and item.get("name") == name:
            return item
    raise ScenarioError(
        f"strategy.{strategy.metadata['player']}",
        f"{strategy.name} needs {array} entry {name!r}, which the scenario lacks",
        src,
    )


def _quarter_after(doc: dict, quarters: int) -> str:
    return quarter_label(quarter_index(doc["start"]) + quarters)


def _raise_investment(doc: dict, provider: str, response: float) -> None:
    for v in doc.get("vehicles", []):
        if v.get("provider") == provider:
            v["investment_response"] = max(float(v.get("investment_response", 0.0)), response)


#: A long-term contract's launcher bargaining weight (A: below the symmetric 0.5 of per-launch
#: contracts, for the volume commitment) and the supplier's investment response to it (A).
CONTRACT_WEIGHT = 0.3
CONTRACT_INVESTMENT_RESPONSE = 0.5


def _long_term_contract(doc: dict, strategy: Strategy, lab: str, supplier: str, src: str) -> None:
    """A binding contract of ``lab`` with ``supplier`` over the whole horizon."""
    entry = _element(doc, "labs", lab, strategy, src)
    _element(doc, "providers", supplier, strategy, src)
    entry["contract_supplier"] = supplier
    entry["contract_until"] = ""
    entry["contract_bargaining_weight"] = CONTRACT_WEIGHT
    _raise_investment(doc, supplier, CONTRACT_INVESTMENT_RESPONSE)


class Strategy:
    """Base class: a player's structural choice, applied to a scenario document in place."""

    name: ClassVar[str] = ""
    metadata: ClassVar[dict[str, Any]] = {}
    #: The firm this strategy acquires control of, if any (priced by the game).
    acquires: ClassVar[str | None] = None
    #: (quarters after the start, cumulative stake) of each equity tranche of an acquisition.
    TRANCHES: ClassVar[tuple[tuple[int, float], ...]] = ()
    #: For a foreclosure: the same structure without it (the ex-post "supply" alternative).
    supply_alternative: ClassVar[str | None] = None
    #: The player's status quo (what the shipped baseline scenario already does).
    status_quo: ClassVar[bool] = False

    def stake_by_step(self, n_steps: int) -> list[float]:
        """The acquirer's cumulative stake in each quarter 1..n_steps (0 before a tranche)."""
        out = []
        for step in range(1, n_steps + 1):
            held = [stake for quarters, stake in self.TRANCHES if step >= quarters + 1]
            out.append(max(held) if held else 0.0)
        return out

    def apply(self, doc: dict[str, Any], src: str = "") -> None:
        """Set the scenario fields this strategy chooses (no-op for the status quo)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()  # {self.metadata['player']}: {self.name}"


def _meta(
    player: str,
    vertical: bool,
    needs_partner: str | None,
    credible_afterwards: bool | None,
    assumptions: str = "",
) -> dict[str, Any]:
    return {
        "player": player,
        "vertical": vertical,
        "needs_partner": needs_partner,
        "credible_afterwards": credible_afterwards,
        "assumptions": assumptions,
    }

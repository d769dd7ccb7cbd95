"""What a player's option does to a running model (endogenous mode's counterpart of the strategies).

A strategy of :mod:`spacemarket.market.scenario.strategies` rewrites a scenario *before* a run
(committed mode). In endogenous mode a player takes the same choice *during* a run, at a
decision epoch (:mod:`.decisions`): the classes here apply it to the live model from the
current quarter on, with the same parameters as the strategy of the same name (its stake, its
contract terms, its investment response). One class per (player, strategy), in a registry;
a strategy without a class here is committed-only (e.g. ``open-access``: undoing SpaceX's
merger with xAI during a run is not modelled) and is left out of the player's options.

``irreversible`` options bind the player once taken: an acquisition is never undone and a
long-term contract runs to the end of the horizon. Access terms (foreclosure) and an orbital
programme can change at every epoch.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from spacemarket.market.scenario.spec import ControlSpec, quarter_label
from spacemarket.market.scenario.strategies import get_strategy
from spacemarket.market.scenario.strategy_base import (
    CONTRACT_INVESTMENT_RESPONSE,
    CONTRACT_WEIGHT,
)

__all__ = ["LIVE_OPTIONS", "LiveOption", "live_option", "live_options_for"]


class LiveOption:
    """Base class: a player's option applied to a running :class:`SpaceMarket` in quarter q."""

    player: ClassVar[str] = ""
    name: ClassVar[str] = ""
    #: "structure" (control, contracts) or "access terms" (an integrated firm's supply terms)
    decision: ClassVar[str] = "structure"
    irreversible: ClassVar[bool] = False
    #: the firm whose control this option takes (priced by Nash bargaining), if any
    acquires: ClassVar[str | None] = None
    #: the stake it takes (cash-flow rights and, above 1/2, control)
    stake: ClassVar[float] = 0.0

    def act(self, model, q: int) -> None:
        """Apply the option to ``model`` from quarter ``q`` (no-op for staying put)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()  # {self.player}: {self.name}"


LIVE_OPTIONS: dict[tuple[str, str], type[LiveOption]] = {}


def _register(cls: type[LiveOption]) -> type[LiveOption]:
    get_strategy(cls.player, cls.name)  # the strategy of the same name exists
    LIVE_OPTIONS[(cls.player, cls.name)] = cls
    return cls


def live_option(player: str, name: str) -> LiveOption | None:
    """The live form of ``player``'s strategy ``name``, or None if it is committed-only."""
    cls = LIVE_OPTIONS.get((player, name))
    return cls() if cls else None


def live_options_for(player: str, names) -> list[str]:
    """The strategies among ``names`` that a player can take during a run, in order."""
    return [n for n in names if (player, n) in LIVE_OPTIONS]


# --------------------------------------------------------------------------- helpers


def _raise_investment(model, provider: str, response: float) -> None:
    for p in model.providers:
        if p.name == provider:
            for v in p.vehicles.values():
                if v.spec.investment_response < response:
                    v.spec = dataclasses.replace(v.spec, investment_response=response)


def _lab(model, name: str):
    return next(lab for lab in model.labs if lab.name == name)


def _provider(model, name: str):
    return next(p for p in model.providers if p.name == name)


def _long_term_contract(model, lab: str, supplier: str) -> None:
    agent = _lab(model, lab)
    agent.spec = dataclasses.replace(agent.spec, contract_supplier=supplier, contract_until="",
                                     contract_bargaining_weight=CONTRACT_WEIGHT)  # fmt: skip
    _raise_investment(model, supplier, CONTRACT_INVESTMENT_RESPONSE)


# --------------------------------------------------------------------------- OpenAI


@_register
class OpenAIIndependentLive(LiveOption):
    """Stay independent (buy launch on the quarter's bargained contracts)."""

    player, name = "OpenAI", "independent"


@_register
class OpenAILongTermContractLive(LiveOption):
    """Sign a long-term contract with Stoke now, binding to the end of the horizon, at the
    launcher weight of the ``long-term-contract`` strategy; Stoke adds cadence for it."""

    player, name = "OpenAI", "long-term-contract"
    irreversible = True

    def act(self, model, q: int) -> None:
        _long_term_contract(model, "OpenAI", "Stoke")


@_register
class OpenAIControlOfStokeLive(LiveOption):
    """Take control of Stoke now: the stake the ``control-of-stoke`` strategy ends with (0.6),
    at once rather than in tranches, at a Nash-bargained price; Stoke invests as under it."""

    player, name = "OpenAI", "control-of-stoke"
    irreversible = True
    acquires = "Stoke"
    stake = max(s for _, s in get_strategy("OpenAI", "control-of-stoke").TRANCHES)

    def act(self, model, q: int) -> None:
        owner = _lab(model, "OpenAI").controller
        record = ControlSpec(owner=owner, firm="Stoke", kappa=self.stake, start=quarter_label(q),
                             source="endogenous decision: control-of-stoke")  # fmt: skip
        model.structure.add(record)
        model.contracts.add_control(record)
        _raise_investment(model, "Stoke", 1.0)


# --------------------------------------------------------------------------- SpaceX


class _AccessTerms(LiveOption):
    player, decision = "SpaceX", "access terms"
    launch = backhaul = False

    def act(self, model, q: int) -> None:
        spacex = _provider(model, "SpaceX")
        spacex.forecloses_launch, spacex.forecloses_backhaul = self.launch, self.backhaul


@_register
class SpaceXIntegrateXAILive(_AccessTerms):
    """Integrated with xAI, supply every lab (open access to rivals)."""

    name = "integrate-xai"


@_register
class SpaceXForecloseLaunchLive(_AccessTerms):
    """Integrated with xAI, refuse launch to rival labs (until it chooses otherwise)."""

    name, launch = "foreclose-launch", True


@_register
class SpaceXForecloseBackhaulLive(_AccessTerms):
    """Integrated with xAI, refuse Starlink backhaul to rival labs (until it chooses otherwise)."""

    name, backhaul = "foreclose-backhaul", True


# --------------------------------------------------------------------------- Amazon, Google


@_register
class AmazonBuyLaunchesLive(LiveOption):
    """Buy launch on the quarter's bargained contracts."""

    player, name = "Amazon", "buy-launches"


@_register
class AmazonAlignWithBlueOriginLive(LiveOption):
    """Sign a long-term New Glenn contract now, binding to the end of the horizon."""

    player, name = "Amazon", "align-with-blue-origin"
    irreversible = True

    def act(self, model, q: int) -> None:
        _long_term_contract(model, "Amazon", "Blue Origin")


class _GoogleOrbit(LiveOption):
    player = "Google"
    interest = 0.0

    def act(self, model, q: int) -> None:
        lab = _lab(model, "Google DeepMind")
        lab.spec = dataclasses.replace(lab.spec, orbital_interest=self.interest)


@_register
class GoogleBuyComputeLive(_GoogleOrbit):
    """Build on the ground only (no orbital programme) from now on."""

    name = "buy-compute"


@_register
class GoogleOwnOrbitalProgramLive(_GoogleOrbit):
    """Build in orbit whenever it is cheaper, from now on."""

    name, interest = "own-orbital-program", 1.0

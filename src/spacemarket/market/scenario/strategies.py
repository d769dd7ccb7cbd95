"""The strategy catalogue of the integration game: classes with a name, metadata and a source.

A strategy is one player's structural choice. It acts on a scenario *document* (the parsed
TOML, before validation): it sets the fields that the model's mechanics read (control edges
with dates and stakes, long-term contracts, foreclosure flags, programme choices), so a
strategy profile is just a scenario, and everything that runs scenarios (``spacemarket run``,
sweeps, designs) runs profiles too. In a scenario override a strategy is selected as
``strategy.PLAYER = "NAME"`` (e.g. ``--set strategy.OpenAI=control-of-stoke``).

Strategies are selected through a registry, as Axelrod's strategies are (Knight et al.
2016, J. Open Research Software 4(1)): :func:`get_strategy`, :func:`strategies_for`,
:func:`strategy_names`. Each class carries ``metadata``:

- ``player``: who chooses it;
- ``vertical``: whether it changes vertical structure (control across layers, or the
  terms on which an integrated firm supplies rivals);
- ``needs_partner``: the counterparty whose agreement it presumes (None if unilateral);
- ``credible_afterwards``: True if nothing must be carried out against the player's own
  interest later; None if it is a commitment whose ex-post credibility depends on payoffs
  (a foreclosure: the game checks it, see :mod:`spacemarket.experiments.integration.game`);
- ``assumptions``: the parameters it sets that are project assumptions (marked "A" in the
  docstrings below).

The sources cited in the docstrings are listed in full in docs/references.md.

Examples
--------
>>> sorted(strategy_names("OpenAI"))
['control-of-stoke', 'independent', 'long-term-contract']
>>> get_strategy("SpaceX", "foreclose-launch").metadata["credible_afterwards"] is None
True
"""

from __future__ import annotations

from typing import Any, ClassVar

from spacemarket.market.scenario.strategy_base import (
    STRATEGIES,
    Strategy,
    UnknownStrategyError,
    _element,
    _long_term_contract,
    _meta,
    _quarter_after,
    _raise_investment,
    apply_profile,
    get_strategy,
    players,
    register,
    status_quo,
    strategies_for,
    strategy_names,
)

__all__ = [
    "STRATEGIES",
    "Strategy",
    "UnknownStrategyError",
    "apply_profile",
    "get_strategy",
    "players",
    "status_quo",
    "strategies_for",
    "strategy_names",
]


# --------------------------------------------------------------------------- OpenAI


@register
class OpenAIIndependent(Strategy):
    """Stay independent: buy launches from SpaceX on bargained per-launch contracts.

    The status quo of the baseline: at t0 OpenAI bought compute from clouds (Microsoft, Oracle,
    CoreWeave, AWS; contracts of Jul-Nov 2025) and had no launch relationship (see
    docs/references.md, "OpenAI's compute contracts").
    """

    name = "independent"
    status_quo = True
    metadata = _meta("OpenAI", False, None, True)


@register
class OpenAILongTermContract(Strategy):
    """A long-term launch contract with Stoke Space instead of control (the partnership option).

    The WSJ (4 Dec 2025, as relayed by GeekWire) reported that Altman looked into funding Stoke
    "with an eye toward either forging a partnership or ending up with a controlling stake"
    (docs/references.md, "The seed event"). A contract over the whole horizon is binding (Stoke
    cannot foreclose OpenAI), is priced by Nash bargaining at a launcher weight of 0.3, below
    the symmetric 0.5 of spot contracts, for the volume commitment (A), and the commitment leads
    Stoke to add cadence when OpenAI's demand exceeds it (investment response 0.5, A). Prices
    stay above Stoke's cost (double marginalization remains, Spengler 1950).
    """

    name = "long-term-contract"
    metadata = _meta(
        "OpenAI",
        False,
        "Stoke",
        True,
        "contract_bargaining_weight 0.3; Stoke investment_response 0.5",
    )

    def apply(self, doc: dict[str, Any], src: str = "") -> None:
        _long_term_contract(doc, self, "OpenAI", "Stoke", src)


@register
class OpenAIControlOfStoke(Strategy):
    """Take control of Stoke Space in stages, through equity investments totalling billions.

    Reported proposal (WSJ, 4 Dec 2025, as syndicated by Lumida News and ua.news, 4-5 Dec 2025;
    docs/references.md, "The seed event"): OpenAI would invest "billions over time" for a
    controlling stake; no price or stake size was reported. Modelled as three equity tranches of
    20 % each, one, five and nine quarters after the start (A): OpenAI's cash-flow weight in
    Stoke is 0.2, 0.4 and then 0.6, and control (kappa > 0.5) arrives with the third, after
    which OpenAI launches on Nova at cost (elimination of double marginalization) and Stoke is
    never foreclosed to it. The price of each tranche is Nash-bargained against Stoke's
    standalone value from the model (:mod:`spacemarket.market.economics.acquisition`, applied by
    the game); the capital lets Stoke add cadence faster (investment response 1.0, A).
    """

    name = "control-of-stoke"
    metadata = _meta(
        "OpenAI",
        True,
        "Stoke's owners",
        True,
        "tranches 0.2/0.2/0.2 at +1/+5/+9 quarters; Stoke investment_response 1.0",
    )
    acquires = "Stoke"
    #: (quarters after start, cumulative stake) of each tranche.
    TRANCHES: ClassVar[tuple[tuple[int, float], ...]] = ((1, 0.2), (5, 0.4), (9, 0.6))

    def apply(self, doc: dict[str, Any], src: str = "") -> None:
        _element(doc, "labs", "OpenAI", self, src)
        stoke = _element(doc, "providers", "Stoke", self, src)
        owner = _element(doc, "labs", "OpenAI", self, src)["controller"]
        doc.setdefault("control", [])
        for quarters, stake in self.TRANCHES:
            doc["control"].append(
                {
                    "owner": owner,
                    "firm": stoke["name"],
                    "kappa": stake,
                    "start": _quarter_after(doc, quarters),
                    "source": "strategy control-of-stoke (WSJ Dec 2025: billions over time)",
                }
            )
        _raise_investment(doc, "Stoke", 1.0)


# --------------------------------------------------------------------------- SpaceX


def _musk_group_labs(doc: dict, strategy: Strategy, src: str) -> tuple[str, list[dict]]:
    spacex = _element(doc, "providers", "SpaceX", strategy, src)
    owner = spacex["controller"]
    return owner, [lab for lab in doc.get("labs", []) if lab.get("controller") == owner]


@register
class SpaceXOpenAccess(Strategy):
    """Open access at arm's length: every lab, xAI included, buys on equal terms.

    No self-preferencing: labs under SpaceX's controller are treated as separate firms
    (related-party dealing at market terms), so xAI pays the bargained price like any rival
    (the non-discrimination benchmark of access remedies; 2023 Merger Guidelines, Guideline 5).
    """

    name = "open-access"
    metadata = _meta("SpaceX", False, None, True)

    def apply(self, doc: dict[str, Any], src: str = "") -> None:
        owner, group = _musk_group_labs(doc, self, src)
        for lab in group:
            lab["controller"] = lab["name"]
        labs = {lab.get("name") for lab in doc.get("labs", [])}
        doc["control"] = [c for c in doc.get("control", [])
                          if not (c.get("owner") == owner and c.get("firm") in labs)]  # fmt: skip


@register
class SpaceXIntegrateXAI(Strategy):
    """Integrate with xAI: the SpaceX-xAI group launches its own orbital compute at cost.

    SpaceX acquired xAI on 2 Feb 2026 (Entrepreneur and SlashGear, Feb 2026; after t0, so not
    used to calibrate).
    Under common control xAI's launches are priced at SpaceX's marginal cost (elimination of
    double marginalization, Spengler 1950) and never foreclosed; rivals are still supplied.
    This is the baseline scenario's structure (xAI under Musk's control).
    """

    name = "integrate-xai"
    status_quo = True
    metadata = _meta("SpaceX", True, "xAI", True)

    def apply(self, doc: dict[str, Any], src: str = "") -> None:
        owner, _ = _musk_group_labs(doc, self, src)
        _element(doc, "labs", "xAI", self, src)["controller"] = owner


@register
class SpaceXForecloseLaunch(Strategy):
    """Integrated with xAI, refuse launch to rival orbital data centers (input foreclosure).

    Raising rivals' costs (Salop and Scheffman 1983; Ordover, Saloner and Salop 1990): rival
    labs lose SpaceX launch and fall back on their contract or fallback suppliers, or stay on
    the ground. Credible only if refusing pays SpaceX's group more ex post than supplying
    (Hart and Tirole 1990; Rey and Tirole 2007): checked by the game.
    """

    name = "foreclose-launch"
    metadata = _meta("SpaceX", True, None, None)
    supply_alternative = "integrate-xai"

    def apply(self, doc: dict[str, Any], src: str = "") -> None:
        SpaceXIntegrateXAI().apply(doc, src)
        _element(doc, "providers", "SpaceX", self, src)["forecloses_launch"] = True


@register
class SpaceXForecloseBackhaul(Strategy):
    """Integrated with xAI, refuse Starlink backhaul to rival orbital data centers.

    Foreclosure of a complementary input (2023 Merger Guidelines, Guideline 5, "related
    products"): rivals' orbital capacity needs an alternative downlink, which adds
    ``compute.alternative_backhaul_usd_per_kw_year`` to their orbital cost. Credibility is
    checked by the game, as for launch foreclosure.
    """

    name = "foreclose-backhaul"
    metadata = _meta("SpaceX", True, None, None)
    supply_alternative = "integrate-xai"

    def apply(self, doc: dict[str, Any], src: str = "") -> None:
        SpaceXIntegrateXAI().apply(doc, src)
        _element(doc, "providers", "SpaceX", self, src)["forecloses_backhaul"] = True


# --------------------------------------------------------------------------- Amazon


@register
class AmazonBuyLaunches(Strategy):
    """Buy launches on the market (from SpaceX, the cheapest supplier), as Amazon Leo did.

    Amazon bought 3 and then 10 more Falcon 9 launches for Leo (Spaceflight Now, 1 Dec 2023;
    Amazon's FCC filing of 30 Jan 2026, reported by Flying to Mars) after first contracting only
    ULA, Arianespace and Blue Origin (docs/references.md, "Amazon Leo").
    """

    name = "buy-launches"
    status_quo = True
    metadata = _meta("Amazon", False, None, True)


@register
class AmazonAlignWithBlueOrigin(Strategy):
    """Align with Blue Origin: a long-term New Glenn contract for Amazon's orbital compute.

    Amazon's Kuiper contracts (Apr 2022; TechSpot, SpaceNews) chose ULA, Arianespace and Blue
    Origin to "reduce risk associated with launch vehicle stand-downs"; Bezos owns Blue Origin
    and has announced orbital data centers (Italian Tech Week, 3 Oct 2025, via Reuters; WSJ,
    10 Dec 2025; docs/references.md, "Orbital data centres"). A binding contract over the
    horizon at launcher weight 0.3 (A); Blue Origin adds New Glenn cadence for it
    (investment response 0.5, A). Amazon still buys from SpaceX when that is cheaper.
    """

    name = "align-with-blue-origin"
    metadata = _meta(
        "Amazon",
        False,
        "Blue Origin",
        True,
        "contract_bargaining_weight 0.3; Blue Origin investment_response 0.5",
    )

    def apply(self, doc: dict[str, Any], src: str = "") -> None:
        _long_term_contract(doc, self, "Amazon", "Blue Origin", src)


# --------------------------------------------------------------------------- Google


@register
class GoogleBuyCompute(Strategy):
    """Buy compute on the ground through Google Cloud; no orbital programme of its own."""

    name = "buy-compute"
    metadata = _meta("Google", False, None, True)

    def apply(self, doc: dict[str, Any], src: str = "") -> None:
        _element(doc, "labs", "Google DeepMind", self, src)["orbital_interest"] = 0.0


@register
class GoogleOwnOrbitalProgram(Strategy):
    """Its own orbital programme (Project Suncatcher), launched on the market.

    Announced 4 Nov 2025 (Google Research blog; Data Center Dynamics, Nov 2025): prototypes by
    early 2027, viable when launch falls below ~$200/kg (Aguera y Arcas et al. 2025,
    arXiv:2511.19468, sec. 2.4). Google DeepMind builds orbital capacity whenever it is cheaper.
    """

    name = "own-orbital-program"
    status_quo = True
    metadata = _meta("Google", True, None, True)

    def apply(self, doc: dict[str, Any], src: str = "") -> None:
        _element(doc, "labs", "Google DeepMind", self, src)["orbital_interest"] = 1.0

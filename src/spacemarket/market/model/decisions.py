"""Stage 2 in endogenous mode: the players of the scenario's ``[game]`` decide at epochs.

At every decision epoch (the first quarter, then every ``game.epoch_quarters``) each strategic
player weighs its options (:mod:`.options`: the strategies it can take during a run) against
the state of the market that quarter. The protocol:

1. **Valuation.** A profile (one option per player) is valued by the model's own equilibria: a
   copy of the model (same state, same random stream: common random numbers across options)
   takes the profile and runs the quarter's contracts, spot, downstream, deployment and
   accounting stages, then ``lookahead_quarters - 1`` more quarters without further decisions.
   A player's value is its firms' discounted profit (``game.payoff_firms``, plus the stakes it
   acquired in the run) over the simulated quarters, with the last one's profit held for the
   rest of ``horizon_years`` (static expectations), at ``game.discount_rate_per_year``.
2. **Acquisitions** are priced by Nash bargaining against the target's standalone value
   (:func:`~spacemarket.market.economics.acquisition_price`; Nash 1950): the target's owners
   give up ``stake`` x its value in the profile without the acquisition, the acquirer gains
   its own value change plus ``stake`` x the target's value under its control; the price
   splits the surplus at ``game.seller_weight``, and with no surplus there is no deal (the
   option is worth what staying put is).
3. **Best-response rounds.** From the current profile, players in the order of ``[game]``
   switch to their best option given the others' (ties keep the current option); rounds repeat
   until nobody switches, a pure Nash equilibrium of the epoch's stage game, or for at most
   ``2 x players + 2`` rounds, after which the current profile stays (status "cycle").
4. **Commitment.** The chosen options act on the live model. Irreversible options bind: an
   acquisition is never undone, a long-term contract runs to the end of the horizon; access
   terms and programmes may change at any later epoch.

Every option of every player, valued against the others' final choices, is an event row
(``events.parquet``): quarter, player, decision, option, value_usd, chosen, price_usd, and the
epoch's status.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import math
from collections.abc import Mapping

from spacemarket.market.economics import acquisition_price
from spacemarket.market.model.options import live_option, live_options_for
from spacemarket.market.scenario.game_spec import GameSpec
from spacemarket.market.scenario.spec import quarter_label
from spacemarket.market.scenario.strategy_base import status_quo

__all__ = ["EVENT_COLUMNS", "Decisions", "firm_profits"]

log = logging.getLogger(__name__)

EVENT_COLUMNS = ["quarter", "player", "decision", "option", "value_usd", "chosen", "price_usd",
                 "status"]  # fmt: skip


def firm_profits(model) -> dict[str, float]:
    """Every firm's profit this quarter for valuing an option, USD (after accounting):
    launchers' revenue less launch cost, clouds' margin, and labs' AI-services revenue less the
    lifetime cost of the capacity they added this quarter (:attr:`AILab.compute_cost_usd`: its
    launch payments plus the present value of the rest over the design's life). Held for the
    horizon (static expectations: every quarter adds a vintage like this one), each projected
    quarter pays for one vintage, orbit and ground alike, so an option that makes every
    vintage cheaper (control of a launcher) or dearer (a refusal) counts that for every
    quarter. (The firms frame books the rest of a vintage's cost as a flow instead,
    :attr:`AILab.compute_cost_flow_usd`: right over a whole run, but held static it would
    charge an orbital vintage's launch bill every quarter and a ground vintage's cost never,
    and make a lab refused launch look better off.) Inside a group a lab pays launch at cost,
    so the launcher earns nothing on it and the group pays for the vintage once."""
    out = {p.name: p.revenue_usd - p.cost_usd for p in model.providers}
    out.update({c.name: c.revenue_usd - c.cost_usd for c in model.clouds})
    out.update({lab.name: lab.revenue_usd - lab.compute_cost_usd for lab in model.labs})
    return out


class Decisions:
    """The decision stage (see the module doc).

    Parameters
    ----------
    game : GameSpec
        The scenario's ``[game]`` table (players, payoff firms, epochs, horizon, rates).
    start_q : int
        The model's first quarter (the first epoch).
    """

    def __init__(self, game: GameSpec, start_q: int) -> None:
        self.game = game
        self.start_q = start_q
        self.options = {p: live_options_for(p, names) for p, names in game.players.items()}
        self.options = {p: o for p, o in self.options.items() if o}
        self.current = {}
        for p, names in self.options.items():
            quo = status_quo(p)
            self.current[p] = quo if quo in names else names[0]
        self.bound: set[str] = set()  # players whose irreversible option binds them
        #: stakes acquired during the run: player -> {firm: stake}
        self.stakes: dict[str, dict[str, float]] = {p: {} for p in self.options}
        self.rows: list[dict] = []
        #: acquisitions made: (quarter label, player, target, stake, price USD)
        self.acquisitions: list[tuple[str, str, str, float, float]] = []
        r = game.discount_rate_per_year
        self._delta = (1.0 + r) ** -0.25

    def is_epoch(self, q: int) -> bool:
        """Whether quarter ``q`` is a decision epoch."""
        return (q - self.start_q) % self.game.epoch_quarters == 0

    # ------------------------------------------------------------------ valuation
    def _weights(self, player: str) -> dict[str, float]:
        w = dict(self.game.payoff_firms.get(player, {}))
        for firm, stake in self.stakes.get(player, {}).items():
            w[firm] = w.get(firm, 0.0) + stake
        return w

    def _simulate(self, model, q: int, profile: Mapping[str, str]) -> dict[str, float]:
        """Every firm's value (USD) under ``profile`` from quarter ``q`` (see the module doc)."""
        sim = model.counterfactual()
        for player, name in profile.items():
            if player not in self.bound:  # a bound option is already in the copied state
                live_option(player, name).act(sim, q)
        sim.structure.update([*sim.providers, *sim.clouds, *sim.labs], q)
        horizon = max(round(self.game.horizon_years * 4), 1)
        lookahead = min(self.game.lookahead_quarters, horizon)
        value: dict[str, float] = {}
        last: dict[str, float] = {}
        for k in range(lookahead):
            if k == 0:
                sim.market_stages(q)
            elif sim.running:
                sim.step()
            last = firm_profits(sim)
            for firm, profit in last.items():
                value[firm] = value.get(firm, 0.0) + self._delta**k * profit
        tail = sum(self._delta**k for k in range(lookahead, horizon))
        return {firm: v + tail * last[firm] for firm, v in value.items()}

    def _firms(self, model, q, profile, cache) -> dict[str, float]:
        """Every firm's value under ``profile`` (simulated once per epoch and profile)."""
        key = tuple(sorted(profile.items()))
        if key not in cache:
            cache[key] = self._simulate(model, q, profile)
        return cache[key]

    def _player_values(self, model, q, profile, cache) -> tuple[dict[str, float], dict]:
        """Each player's value of ``profile`` and the acquisition prices it implies."""
        firms = self._firms(model, q, profile, cache)
        values, prices = {}, {}
        for player, name in profile.items():
            v = sum(w * firms.get(f, 0.0) for f, w in self._weights(player).items())
            option = live_option(player, name)
            if option.acquires and player not in self.bound:
                stay = self.current[player]
                if stay == name:  # (an unbound acquisition as the current choice)
                    stay = next(o for o in self.options[player] if o != name)
                without = self._firms(model, q, dict(profile, **{player: stay}), cache)
                base = sum(w * without.get(f, 0.0) for f, w in self._weights(player).items())
                target = option.acquires
                standalone = option.stake * without[target]
                acquirer = (v - base) + option.stake * firms[target]
                deal = acquisition_price(standalone, acquirer, self.game.seller_weight)
                if deal.agreement:
                    v = base + deal.acquirer_gain_usd
                    prices[player] = deal.price_usd
                else:  # no surplus, no deal: the option is worth staying put
                    v, prices[player] = base, math.nan
            values[player] = v
        return values, prices

    # ------------------------------------------------------------------ the epoch
    def run(self, model, q: int) -> None:
        """Decide at quarter ``q`` if it is an epoch; apply the chosen options to ``model``."""
        if not self.options or not self.is_epoch(q):
            return
        cache: dict = {}
        choices = {p: ([self.current[p]] if p in self.bound else o)
                   for p, o in self.options.items()}  # fmt: skip
        profile = dict(self.current)
        status, max_rounds = "cycle", 2 * len(profile) + 2
        for _ in range(max_rounds):
            changed = False
            for player, names in choices.items():
                values = {n: self._player_values(model, q, dict(profile, **{player: n}), cache)[0]
                          [player] for n in names}  # fmt: skip
                best = max(names, key=lambda n: (values[n], n == profile[player]))
                if values[best] > values[profile[player]]:
                    profile[player], changed = best, True
            if not changed:
                status = "equilibrium"
                break
        if status == "cycle":
            log.info("decisions at %s: best responses cycle; the profile stays", quarter_label(q))
            profile = dict(self.current)
        self._record(model, q, choices, profile, status, cache)
        prices = self._player_values(model, q, profile, cache)[1]
        for player, name in profile.items():
            option = live_option(player, name)
            if player not in self.bound:
                option.act(model, q)
            if option.irreversible:
                self.bound.add(player)
            if option.acquires and self.current[player] != name:
                price = prices.get(player, math.nan)
                self.stakes[player][option.acquires] = option.stake
                self.acquisitions.append((quarter_label(q), player, option.acquires,
                                          option.stake, price))  # fmt: skip
        self.current = profile

    def _record(self, model, q, choices, profile, status, cache) -> None:
        label = quarter_label(q)
        for player, names in choices.items():
            for n in names:
                values, prices = self._player_values(model, q, dict(profile, **{player: n}), cache)
                self.rows.append({
                    "quarter": label, "player": player, "decision": live_option(player, n).decision,
                    "option": n, "value_usd": float(values[player]), "chosen": n == profile[player],
                    "price_usd": float(prices.get(player, math.nan)), "status": status,
                })  # fmt: skip


def _scenario_records(model) -> dict[int, object]:
    """The scenario's frozen records and the containers inside them, by id: every copy shares
    them instead of copying them (nothing in a run mutates a record; a change, e.g. an
    option's, replaces it). Gathered once per model."""
    shared = model.__dict__.get("_shared_records")
    if shared is None:
        shared = {}

        def walk(x, inside_record: bool) -> None:
            if id(x) in shared:
                return
            if dataclasses.is_dataclass(x) and not isinstance(x, type):
                if not x.__dataclass_params__.frozen:
                    return
                shared[id(x)] = x
                for f in dataclasses.fields(x):
                    walk(getattr(x, f.name), True)
            elif inside_record and isinstance(x, (tuple, list, dict, frozenset)):
                shared[id(x)] = x
                for v in x.values() if isinstance(x, dict) else x:
                    walk(v, True)

        walk(model.scenario, False)
        shared[id(shared)] = shared
        model.__dict__["_shared_records"] = shared
    return shared


def counterfactual_copy(model):
    """A copy of ``model`` for valuation: same state and random stream, no output collection
    (nor the market graph, which only the outputs read) and no decisions of its own
    (package-internal; :meth:`SpaceMarket.counterfactual`)."""
    memo = dict(_scenario_records(model))
    memo[id(model.decisions)] = None
    for name in ("collection", "datacollector", "market_rows", "contract_rows", "graph_snapshots",
                 "graph"):  # fmt: skip
        memo[id(getattr(model, name))] = None
    sim = copy.deepcopy(model, memo)
    sim.collecting = False
    return sim

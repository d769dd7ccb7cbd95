"""Acquisition tranches, foreclosure credibility and the sequential tree of the integration game.

Pure post-processing of per-run summaries (:mod:`.game_runs`) for
:mod:`.integration_game`: the Nash-bargained price of each equity tranche against the
target's standalone value, the ex-post credibility of each foreclosure (Hart and Tirole
1990), and the perfect-information tree that backward induction solves.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from spacemarket.market.economics.acquisition import acquisition_price
from spacemarket.market.games import Decision, GameTree, Terminal
from spacemarket.market.strategies import get_strategy, status_quo

from .game_runs import profile_label

__all__ = ["acquisition_payoffs", "credibility_table", "sequential_tree", "with_action"]


def with_action(profile: dict[str, str], player: str, action: str) -> dict[str, str]:
    """A copy of ``profile`` with ``player`` playing ``action``."""
    out = dict(profile)
    out[player] = action
    return out


def acquisition_payoffs(setup, sums, base, prof, player, strat, rows) -> np.ndarray:
    """Per replication: the stake-weighted target profit minus the tranches' prices (USD).

    Tranche ``k`` buys the fraction ``f_k`` of the target at quarter ``t_k``; its price is
    ``f_k`` times the Nash-bargained price of the whole target from ``t_k`` on: the
    standalone value ``S_k`` (the target's discounted profit from ``t_k`` with the acquirer
    at its status quo) plus the owners' weight times the surplus ``V_k - S_k``, where
    ``V_k`` is the target's discounted profit from ``t_k`` under the acquirer plus the
    acquirer's own gain from the strategy from ``t_k`` on (its payoff firms' discounted
    profit against the status quo). Means over replications (the bargain is ex ante).
    ``base`` is unused (kept for the call signature).
    """
    reps = range(setup.replications)
    label = profile_label(prof)
    cf = profile_label(with_action(prof, player, status_quo(player)))
    target = strat.acquires
    weights = setup.payoff_firms[player]

    def own(key: str, r: int) -> np.ndarray:  # the player's discounted profit by quarter
        return sum(w * sums[(key, r)].discounted_profit_usd[f] for f, w in weights.items())

    gain_by_quarter = np.mean([own(label, r) - own(cf, r) for r in reps], axis=0)
    n = len(sums[(label, 0)].discounted_profit_usd[target])
    held = 0.0
    paid = 0.0
    for quarters, stake in strat.TRANCHES:
        if quarters >= n:  # the tranche would come after the run's last quarter: not bought
            break
        fraction, held = stake - held, stake
        first = quarters  # index of the tranche's first quarter (step quarters + 1)
        standalone = float(
            np.mean([sums[(cf, r)].discounted_profit_usd[target][first:].sum() for r in reps])
        )
        controlled = float(
            np.mean([sums[(label, r)].discounted_profit_usd[target][first:].sum() for r in reps])
        )
        own_gain = float(np.sum(gain_by_quarter[first:]))
        deal = acquisition_price(standalone, controlled + own_gain, setup.seller_weight)
        price = deal.price_usd if deal.agreement else standalone
        paid += fraction * price
        rows.append(
            {
                "profile": label,
                "acquirer": player,
                "target": target,
                "tranche_quarter": quarters + 1,
                "fraction": fraction,
                "stake": stake,
                "standalone_value_usd": standalone,
                "acquirer_value_usd": controlled + own_gain,
                "agreement": bool(deal.agreement),
                "price_100pct_usd": price,
                "tranche_price_usd": fraction * price,
            }
        )
    extra = []
    for r in reps:
        series = sums[(label, r)].discounted_profit_usd[target]
        stake = np.array(strat.stake_by_step(len(series)))
        extra.append(float(np.dot(stake, series)) - paid)
    return np.array(extra)


def credibility_table(setup, profiles, pay) -> pd.DataFrame:
    rows = []
    game_labels = {
        profile_label(p) for p in profiles[: math.prod(len(a) for a in setup.players.values())]
    }
    for prof in profiles:
        label = profile_label(prof)
        if label not in game_labels:
            continue
        for p, a in prof.items():
            alt = get_strategy(p, a).supply_alternative
            if alt is None:
                continue
            v_f = float(pay[label][p].mean())
            v_s = float(pay[profile_label(with_action(prof, p, alt))][p].mean())
            rows.append(
                {
                    "profile": label,
                    "player": p,
                    "action": a,
                    "supply_action": alt,
                    "payoff_foreclose": v_f,
                    "payoff_supply": v_s,
                    "credible": bool(v_f >= v_s),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "profile",
            "player",
            "action",
            "supply_action",
            "payoff_foreclose",
            "payoff_supply",
            "credible",
        ],
    )


def sequential_tree(setup, arr: np.ndarray) -> GameTree:
    names = list(setup.players)

    def node(depth: int, idx: tuple[int, ...], path: str):
        if depth == len(names):
            return Terminal(tuple(float(x) for x in arr[idx]), name=path)
        p = names[depth]
        return Decision(
            f"{p} after {path}" if path else p,
            depth,
            {
                a: node(depth + 1, (*idx, i), f"{path}{',' if path else ''}{a}")
                for i, a in enumerate(setup.players[p])
            },
        )

    return GameTree(node(0, (), ""), player_names=names)

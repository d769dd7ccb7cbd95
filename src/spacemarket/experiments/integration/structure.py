"""Acquisition tranches, foreclosure credibility and the sequential tree of the integration game.

Pure post-processing of per-run summaries (:mod:`.game_runs`) for
:mod:`.integration_game`: the Nash-bargained price of each equity tranche against the
target's standalone value, the ex-post credibility of each foreclosure (Hart and Tirole
1990) with the paired difference over seeds behind it, and the perfect-information tree that
backward induction solves (terminals carry the per-seed payoffs, so each choice can be given
its interval).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from spacemarket.experiments.integration.runs import profile_label
from spacemarket.market.economics.acquisition import acquisition_price
from spacemarket.market.games import Decision, GameTree, PairedDifference, Terminal
from spacemarket.market.scenario.strategies import get_strategy, status_quo

__all__ = [
    "CREDIBILITY_COLUMNS",
    "acquisition_lines",
    "acquisition_payoffs",
    "credibility_difference",
    "credibility_lines",
    "credibility_row_difference",
    "credibility_table",
    "sequential_tree",
    "with_action",
]


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


#: Columns of :func:`credibility_table`.
CREDIBILITY_COLUMNS = [
    "profile",
    "player",
    "action",
    "supply_action",
    "payoff_foreclose",
    "payoff_supply",
    "credible",
    "diff_mean_usd",
    "diff_ci_low_usd",
    "diff_ci_high_usd",
    "n_seeds",
    "significance",
    "seeds_needed",
]


def credibility_difference(prof, player, alt, pay) -> PairedDifference:
    """Foreclosing minus supplying for ``player`` in ``prof``, paired seed by seed (USD)."""
    supply = profile_label(with_action(prof, player, alt))
    return PairedDifference.of(pay[profile_label(prof)][player], pay[supply][player])


def credibility_table(setup, profiles, pay) -> pd.DataFrame:
    """One row per game profile and foreclosing player: is foreclosure credible ex post?

    ``credible``: the mean payoff of foreclosing is at least that of the supply alternative
    (a tie is credible); ``diff_*``: foreclosing minus supplying, paired over the seeds
    (mean and 95 % t-interval, USD); ``significance``: ``"significant"`` when the interval
    excludes zero, ``"not significant"`` when noise could flip the verdict (then
    ``seeds_needed`` estimates how many seeds would settle it), ``"tie in every seed"``.
    """
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
            d = credibility_difference(prof, p, alt, pay)
            rows.append(
                {
                    "profile": label,
                    "player": p,
                    "action": a,
                    "supply_action": alt,
                    "payoff_foreclose": v_f,
                    "payoff_supply": v_s,
                    "credible": bool(v_f >= v_s),
                    "diff_mean_usd": d.mean,
                    "diff_ci_low_usd": d.ci_low,
                    "diff_ci_high_usd": d.ci_high,
                    "n_seeds": d.n,
                    "significance": d.verdict,
                    "seeds_needed": d.seeds_needed if not d.significant else None,
                }
            )
    return pd.DataFrame(rows, columns=CREDIBILITY_COLUMNS)


def credibility_row_difference(row) -> PairedDifference:
    """The paired difference of a :func:`credibility_table` row (USD; sd not kept)."""
    return PairedDifference(
        row.diff_mean_usd,
        math.nan,
        int(row.n_seeds),
        row.diff_ci_low_usd,
        row.diff_ci_high_usd,
        tie=row.significance == "tie in every seed",
    )


def credibility_lines(frame: pd.DataFrame) -> list[str]:
    """The credibility section of the game's text report (empty without foreclosures)."""
    if frame.empty:
        return []
    lines = [
        "",
        "Foreclosure credibility (vs supplying, given the others' actions; foreclose minus "
        "supply, paired over seeds, USD bn):",
    ]
    for r in frame.itertuples():
        need = ""
        if r.significance == "not significant" and not pd.isna(r.seeds_needed):
            need = f" (~{int(r.seeds_needed)} seeds would settle it)"
        lines.append(
            f"  {r.profile}: {r.player} {r.action} "
            f"{'credible' if r.credible else 'NOT credible'} "
            f"(foreclose {r.payoff_foreclose / 1e9:.2f} vs supply {r.payoff_supply / 1e9:.2f}; "
            f"difference {credibility_row_difference(r).interval_text(1e9)} "
            f"{r.significance}{need})"
        )
    return lines


def acquisition_lines(frame: pd.DataFrame) -> list[str]:
    """The acquisition section of the game's text report (empty without acquisitions)."""
    if frame.empty:
        return []
    lines = [
        "",
        "Acquisition tranches (Nash bargain against standalone value, "
        "values of 100 % from the tranche's quarter on, USD bn):",
    ]
    for r in frame.itertuples():
        lines.append(
            f"  {r.profile}: {r.acquirer} buys {r.fraction:.0%} of {r.target} "
            f"in quarter {r.tranche_quarter}: standalone "
            f"{r.standalone_value_usd / 1e9:.2f}, acquirer's value "
            f"{r.acquirer_value_usd / 1e9:.2f}, tranche price "
            f"{r.tranche_price_usd / 1e9:.2f}"
        )
    return lines


def sequential_tree(setup, arr: np.ndarray, samples: np.ndarray | None = None) -> GameTree:
    """The perfect-information tree: players move in the order of ``setup.players``.

    ``arr``: mean payoffs, shape ``(n_1, ..., n_k, k)``; ``samples``, optional: per-seed
    payoffs, shape ``(n_1, ..., n_k, k, S)``, attached to the terminals.
    """
    names = list(setup.players)

    def node(depth: int, idx: tuple[int, ...], path: str):
        if depth == len(names):
            per_seed = None if samples is None else samples[idx]
            return Terminal(tuple(float(x) for x in arr[idx]), name=path, samples=per_seed)
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

"""The check that a strategy moves something: no-effect strategies and tied payoffs, reported.

DESIGN: "A strategy whose effect on every outcome is nil, or a game whose payoffs tie, is
reported as such (it usually means a missing channel)." Two checks, both on paired values over
common random numbers (seed r is the same draw in every profile), so "the same" means equal in
every seed, not equal on average:

* :func:`compare_effect_lines`: in ``compare`` output, a profile whose difference from the
  first ties in every seed on every metric has no effect on any outcome; on some metrics only,
  those metrics are named;
* :func:`game_tie_lines`: in ``game`` output, two strategies of a player whose payoffs to that
  player are the same in every seed against every profile of the others are indistinguishable
  to it (the game cannot separate them); a game in which this holds for every player's every
  pair has payoffs that tie throughout.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["compare_effect_lines", "game_tie_lines"]

TIE = "tie in every seed"


def compare_effect_lines(table: pd.DataFrame, labels: list[str]) -> list[str]:
    """Lines naming the profiles of a comparison with no effect, in all or some metrics.

    ``table`` is :attr:`CompareResult.table` (one row per profile and metric, with
    ``diff_significance``); ``labels`` the profiles, the first the reference.
    """
    lines = []
    for i, label in enumerate(labels[1:], 2):
        rows = table[table["profile"] == label]
        tied = rows.loc[rows["diff_significance"] == TIE, "metric"].tolist()
        if not len(rows) or not tied:
            continue
        if len(tied) == len(rows):
            lines.append(f"  ({i}) {label}: no effect on any outcome, identical to (1) in "
                         "every seed (a strategy that moves nothing: a missing channel?)"
                         )  # fmt: skip
        else:
            lines.append(f"  ({i}) {label}: no effect on " + ", ".join(tied))
    return ["", "Effect check (paired over seeds):", *lines] if lines else []


def game_tie_lines(seed_payoffs: pd.DataFrame | None, players: dict[str, Any],
                   rtol: float = 1e-12) -> list[str]:  # fmt: skip
    """Lines naming, for each player, pairs of its strategies that the game cannot tell apart.

    ``seed_payoffs``: one row per profile, player and replication with a column per player
    holding its action and ``payoff_usd`` (:attr:`IntegrationGameResult.seed_payoffs`).
    """
    if seed_payoffs is None or not len(seed_payoffs):
        return []
    lines, pairs, tied_pairs = [], 0, 0
    names = list(players)
    for player, actions in players.items():
        mine = seed_payoffs[seed_payoffs["player"] == player]
        others = [p for p in names if p != player]
        for a, b in itertools.combinations(actions, 2):
            pairs += 1
            pa = mine[mine[player] == a].set_index([*others, "replication"])["payoff_usd"]
            pb = mine[mine[player] == b].set_index([*others, "replication"])["payoff_usd"]
            common = pa.index.intersection(pb.index)
            if not len(common):
                continue
            x, y = pa.loc[common].to_numpy(float), pb.loc[common].to_numpy(float)
            scale = max(1.0, float(np.abs(np.concatenate([x, y])).max()))
            if np.all(np.abs(x - y) <= rtol * scale):
                tied_pairs += 1
                lines.append(f"  {player}: {a} and {b} give it the same payoff in every seed "
                             "against every profile of the others")  # fmt: skip
    if not lines:
        return []
    head = ["", "Payoff ties (paired over seeds; the game cannot separate these strategies):"]
    if tied_pairs == pairs:
        head.append("  every player's strategies tie: the game's payoffs tie throughout")
    return head + lines

"""What would they do? Endogenous runs over many seeds: who decides what, when, at what price.

Runs a scenario in endogenous mode (its ``[game]`` players decide at epochs:
:mod:`spacemarket.market.model.decisions`) over ``seeds`` seeds, each seed its own draws of
Starship's and the entrants' first-flight slips and of anomalies, and reads every run's
``events.parquet``. Reports, per player and option:

* the probability that the player ever takes the option (share of seeds, 95 % Wilson
  interval, Wilson 1927) and when it first does (median and range of the first quarter);
* the share of the epochs at which the option is in force;
* for acquisitions, the distribution of the Nash-bargained price;

and, quarter by quarter, the share of seeds in which each non-status-quo option is in force
(``endogenous_paths.png``). Beside it, when given, the pure equilibria of the committed-profile
game (what ``spacemarket game`` finds when each profile is fixed for the whole run).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from spacemarket.experiments.integration.runs import run_profiles
from spacemarket.experiments.outputs.files import atomic_write_text, write_frame
from spacemarket.experiments.sweeps import store

__all__ = ["ENDOGENOUS_SCENARIO", "EndogenousResult", "run_endogenous", "summarize_events"]

ENDOGENOUS_SCENARIO = "baseline-2026-endogenous"


def _wilson(k: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion k/n (Wilson 1927, JASA 22(158))."""
    from scipy.stats import binomtest

    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def summarize_events(events: pd.DataFrame) -> pd.DataFrame:
    """One row per (player, option) over the seeds of ``events`` (the runs' events, with a
    ``replication`` column): ``seeds``, ``ever`` (seeds in which the option is chosen at
    some epoch), ``p_ever`` with ``p_low``/``p_high`` (95 % Wilson), ``first_median``,
    ``first_min``, ``first_max`` (the first quarter chosen, over the seeds that chose it),
    ``share_of_epochs`` in force, and the acquisition ``price_*_usd`` (mean, 5th and 95th
    percentiles over the acquisitions made)."""
    chosen = events[events["chosen"]]
    n = int(events["replication"].nunique())
    rows = []
    for player, option in sorted(set(zip(events["player"], events["option"], strict=True))):
        mine = chosen[(chosen["player"] == player) & (chosen["option"] == option)]
        first = mine.groupby("replication")["quarter"].min()
        k = int(first.size)
        low, high = _wilson(k, n) if n else (np.nan, np.nan)
        epochs = chosen[chosen["player"] == player]
        paid = mine.sort_values("quarter").groupby("replication")["price_usd"].first().dropna()
        ordered = sorted(first)
        rows.append({
            "player": player, "option": option, "seeds": n, "ever": k,
            "p_ever": k / n if n else np.nan, "p_low": low, "p_high": high,
            "first_median": ordered[(k - 1) // 2] if k else "",
            "first_min": ordered[0] if k else "", "first_max": ordered[-1] if k else "",
            "share_of_epochs": len(mine) / len(epochs) if len(epochs) else np.nan,
            "acquisitions": int(paid.size),
            "price_mean_usd": float(paid.mean()) if paid.size else np.nan,
            "price_p05_usd": float(paid.quantile(0.05)) if paid.size else np.nan,
            "price_p95_usd": float(paid.quantile(0.95)) if paid.size else np.nan,
        })  # fmt: skip
    return pd.DataFrame(rows)


def paths(events: pd.DataFrame) -> pd.DataFrame:
    """Share of seeds in which each (player, option) is the choice in force, by epoch
    (rows: quarter; columns: ``player: option``)."""
    chosen = events[events["chosen"]]
    n = chosen["replication"].nunique()
    counts = chosen.groupby(["quarter", "player", "option"]).size() / max(n, 1)
    wide = counts.unstack(["player", "option"]).fillna(0.0).sort_index()
    wide.columns = [f"{p}: {o}" for p, o in wide.columns]
    return wide


@dataclass(frozen=True)
class EndogenousResult:
    """The events of every seed, their summary and paths, and the committed game's equilibria
    (labels) when given."""

    scenario: str
    events: pd.DataFrame
    summary: pd.DataFrame
    paths: pd.DataFrame
    committed_equilibria: tuple[str, ...] = ()

    def to_text(self) -> str:
        """The report: per player and option, how often and when it is taken, and prices."""
        n = int(self.summary["seeds"].max()) if len(self.summary) else 0
        lines = [f"What would they do? {self.scenario} in endogenous mode over {n} seeds",
                 "(probability ever chosen [95% Wilson interval]; first quarter chosen: median "
                 "(range); share of epochs in force)"]  # fmt: skip
        for player, rows in self.summary.groupby("player", sort=False):
            lines.append(f"  {player}")
            for r in rows.itertuples():
                when = f"{r.first_median} ({r.first_min}-{r.first_max})" if r.ever else "never"
                text = (f"    {r.option:<24} {r.p_ever:5.0%} [{r.p_low:.0%}, {r.p_high:.0%}]"
                        f"  first {when}; {r.share_of_epochs:.0%} of epochs")  # fmt: skip
                if r.acquisitions:
                    low, high = r.price_p05_usd / 1e9, r.price_p95_usd / 1e9
                    text += (f"; price {r.price_mean_usd / 1e9:.2f} bn USD (5-95%: "
                             f"{low:.2f}-{high:.2f})")  # fmt: skip
                lines.append(text)
        if self.committed_equilibria:
            lines += ["", "Committed-profile game (each profile fixed for the whole run), pure "
                      "equilibria: " + "; ".join(self.committed_equilibria)]  # fmt: skip
        return "\n".join(lines) + "\n"


def plot_paths(result: EndogenousResult, path: str | Path) -> Path:
    """Share of seeds with each non-status-quo option in force, by epoch."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from spacemarket.experiments.plots.figure import save_figure
    from spacemarket.market.scenario.strategy_base import status_quo

    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    drawn = 0
    for column in result.paths.columns:
        player, option = column.split(": ", 1)
        if option == status_quo(player):
            continue
        ax.plot(np.arange(len(result.paths)), result.paths[column].to_numpy(), marker="o",
                ms=3, lw=1.5, label=column)  # fmt: skip
        drawn += 1
    ticks = np.arange(len(result.paths))
    ax.set_xticks(ticks, list(result.paths.index), fontsize=7, rotation=45)
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("share of seeds")
    ax.grid(alpha=0.3)
    if drawn:
        ax.legend(fontsize=7, loc="upper left")
    else:
        ax.text(0.5, 0.5, "every player kept its status quo at every epoch", ha="center",
                va="center", transform=ax.transAxes, fontsize=9)  # fmt: skip
    n = int(result.summary["seeds"].max()) if len(result.summary) else 0
    ax.set_title(f"Options in force at each decision epoch, {n} seeds", fontsize=9)
    fig.tight_layout()
    saved = save_figure(fig, path)
    plt.close(fig)
    return saved


def run_endogenous(
    out: str | Path,
    *,
    scenario: str = ENDOGENOUS_SCENARIO,
    seeds: int = 32,
    workers: int | None = None,
    steps: int | None = None,
    overrides: dict[str, Any] | None = None,
    quiet: bool = True,
    resume: bool = False,
    committed_equilibria: tuple[str, ...] = (),
) -> EndogenousResult:
    """Run ``scenario`` in endogenous mode over ``seeds`` seeds into ``out/endogenous`` and
    write ``endogenous.txt``, ``endogenous.csv`` (the summary), ``endogenous_events.parquet``
    (every seed's events) and ``endogenous_paths.png`` into ``out``."""
    out = Path(out)
    settings = {"game.mode": "endogenous", **(overrides or {})}
    table = run_profiles(scenario, [{}], out / "endogenous", replications=seeds,
                         overrides=settings, steps=steps, workers=workers, resume=resume,
                         quiet=quiet)  # fmt: skip
    failed = table[table["status"] != "ok"]
    if len(failed):
        raise RuntimeError(f"{len(failed)} of {len(table)} endogenous runs failed; see "
                           f"{out / 'endogenous' / 'sweep'}")  # fmt: skip
    frames = [pd.read_parquet(store.run_dir(out / "endogenous" / "sweep", rid) / "events.parquet")
              for rid in table.sort_values("replication")["run_id"]]  # fmt: skip
    events = pd.concat(frames, ignore_index=True)
    result = EndogenousResult(scenario, events, summarize_events(events), paths(events),
                              tuple(committed_equilibria))  # fmt: skip
    atomic_write_text(out / "endogenous.txt", result.to_text())
    write_frame(result.summary, out / "endogenous.csv")
    write_frame(events, out / "endogenous_events.parquet")
    plot_paths(result, out / "endogenous_paths.png")
    return result

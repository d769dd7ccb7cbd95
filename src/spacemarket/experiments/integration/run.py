"""One market run's outputs: frames (firms, market, vehicles, contracts, events), the market
graph at the start and end (``graph.json``, node-link), the market-share plot, a yearly summary,
a manifest.

:func:`compute_run` runs a validated scenario and :func:`prepare_run_outputs` computes
everything (the yearly summary, the figure, the text) from a
:class:`~spacemarket.market.ScenarioResult`; :func:`write_run_outputs` then writes it, each
file atomically. Nothing is written until everything has been computed, so a run that fails
leaves no partial directory behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from spacemarket.errors import InputError
from spacemarket.experiments.outputs.files import (
    atomic_write_text,
    ensure_dir,
    write_frame,
    write_manifest,
)
from spacemarket.experiments.plots.figure import save_figure
from spacemarket.experiments.plots.shares import plot_mass_shares

__all__ = [
    "RunOutputs",
    "check_seed",
    "compute_run",
    "prepare_run_outputs",
    "write_run_outputs",
    "yearly_summary",
]

log = logging.getLogger(__name__)

#: The incumbent whose share the summary reports.
INCUMBENT = "SpaceX"

FRAMES = ("firms", "market", "vehicles", "contracts", "events")


def yearly_summary(result: Any, incumbent: str = INCUMBENT) -> pd.DataFrame:
    """Per calendar year: launches, the incumbent's share of mass, launch price, orbital MW.

    Columns: ``year``, ``quarters`` (simulated quarters in that year), ``global_launches``
    (sum over the quarters, captive markets included), ``spacex_share_mass`` (the
    incumbent's mass over global mass in the year, fraction), ``launch_price_index_usd_per_kg``
    (external spend over external mass in the year, i.e. the quarterly index weighted by mass;
    NaN when no external mass flew) and ``orbital_mw`` (orbital IT load in service at the end
    of the year's last simulated quarter, MW).
    """
    m = result.market.copy()
    if m.empty:
        return pd.DataFrame(
            columns=["year", "quarters", "global_launches", "spacex_share_mass",
                     "launch_price_index_usd_per_kg", "orbital_mw"]
        )  # fmt: skip
    m["cal_year"] = m["quarter"].str.slice(0, 4).astype(int)
    index = m["launch_price_index_usd_per_kg"]
    # the quarterly index is spend / external kg: recover external kg to weight it by mass
    m["external_kg"] = (m["external_spend_usd"] / index).where(index > 0, 0.0).fillna(0.0)
    f = result.firms
    inc = f[(f["firm"] == incumbent) & (f["kind"] == "launch")]
    inc_mass = inc.groupby("quarter")["mass_launched_kg"].sum()
    m["incumbent_kg"] = m["quarter"].map(inc_mass).fillna(0.0)
    rows = []
    for year, g in m.groupby("cal_year", sort=True):
        g = g.sort_values("step")
        mass = float(g["global_mass_kg"].sum())
        inc_kg = float(g["incumbent_kg"].sum())
        ext_kg = float(g["external_kg"].sum())
        rows.append(
            {
                "year": int(year),
                "quarters": len(g),
                "global_launches": float(g["global_launches"].sum()),
                "spacex_share_mass": inc_kg / mass if mass > 0 else math.nan,
                "launch_price_index_usd_per_kg": (
                    float(g["external_spend_usd"].sum()) / ext_kg if ext_kg > 0 else math.nan
                ),
                "orbital_mw": float(g["orbital_mw"].iloc[-1]),
            }
        )
    return pd.DataFrame(rows)


def format_summary(result: Any, table: pd.DataFrame) -> str:
    """The printed summary: a heading and the yearly table with units."""

    def cell(v: float, fmt: str) -> str:
        return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt.format(v)

    first = result.market["quarter"].iloc[0] if len(result.market) else "-"
    last = result.market["quarter"].iloc[-1] if len(result.market) else "-"
    lines = [
        f"scenario {result.scenario}, seed {result.seed}: {len(result.market)} quarters "
        f"({first} to {last})",
        "",
    ]
    header = (
        f"{'year':>6} {'quarters':>8} {'launches':>9} {'SpaceX share':>13} "
        f"{'launch price':>13} {'orbital':>9}"
    )
    units = f"{'':>6} {'':>8} {'(global)':>9} {'of mass (%)':>13} {'(USD/kg)':>13} {'(MW)':>9}"
    lines += [header, units]
    for r in table.itertuples():
        lines.append(
            f"{r.year:>6} {r.quarters:>8} {cell(r.global_launches, '{:,.0f}'):>9} "
            f"{cell(100 * r.spacex_share_mass, '{:.1f}'):>13} "
            f"{cell(r.launch_price_index_usd_per_kg, '{:,.0f}'):>13} "
            f"{cell(r.orbital_mw, '{:,.1f}'):>9}"
        )
    if result.milestones:
        firsts = ", ".join(f"{v} {q}" for v, q in sorted(result.milestones.items()))
        lines += ["", f"first flights drawn for this seed: {firsts}"]
    lines += [
        "",
        "launch price: external (contestable) spend / mass, per year; orbital: IT load in "
        "service at year end",
    ]
    return "\n".join(lines)


@dataclass
class RunOutputs:
    """Everything one run writes, computed up front."""

    result: Any
    summary_table: pd.DataFrame
    summary_text: str
    figure: Figure
    manifest: dict[str, Any] = field(default_factory=dict)


def prepare_run_outputs(
    result: Any, manifest: dict[str, Any] | None = None, title: str | None = None
) -> RunOutputs:
    """Compute the yearly summary, its text and the market-share figure of ``result``."""
    table = yearly_summary(result)
    text = format_summary(result, table)
    default = f"Share of mass to orbit by launch provider: {result.scenario}, seed {result.seed}"
    fig = plot_mass_shares(result.firms, result.milestones, title=title or default)
    return RunOutputs(result, table, text, fig, dict(manifest or {}))


def check_seed(seed: Any) -> None:
    """Raise :class:`InputError` (``--seed``) unless ``seed`` is an integer >= 0."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("--seed", f"must be an integer >= 0, got {seed!r}")


def compute_run(
    scenario: Any,
    *,
    seed: int,
    steps: int | None = None,
    started: float | None = None,
    scenario_argument: str | None = None,
    file_sha256: str | None = None,
    overrides: dict | None = None,
    mode: str | None = None,
) -> RunOutputs:
    """Check ``steps``, run the validated ``scenario`` and prepare (not write) its outputs;
    ``mode`` overrides the scenario's ``game.mode``.

    ``scenario_argument``, ``file_sha256`` (of the scenario file as written) and ``overrides``
    are recorded in the manifest. Raises :class:`InputError` naming ``--steps`` before the run.
    """
    from spacemarket.market.model import run_scenario

    started = time.perf_counter() if started is None else started
    check_seed(seed)
    n = scenario.n_quarters
    if steps is not None and not 1 <= steps <= n:
        raise InputError(
            "--steps",
            f"must be between 1 and {n} (scenario {scenario.name} runs {scenario.start} to "
            f"{scenario.end}), got {steps}",
        )
    n_steps = n if steps is None else steps
    log.info("running %s (seed %d) for %d of %d quarters", scenario.name, seed, n_steps, n)
    result = run_scenario(scenario, seed=seed, steps=n_steps, mode=mode)
    log.info("run finished in %.1f s; preparing outputs", time.perf_counter() - started)
    manifest = {
        "job": "market run (agent-based model)",
        "scenario_argument": scenario_argument,
        "scenario_source": scenario.source_file,
        "scenario_sha256": file_sha256,
        "scenario_period": [scenario.start, scenario.end],
        "scenario_overrides": overrides,
        "steps_requested": steps,
        "mode": result.mode,
    }
    return prepare_run_outputs(result, manifest)


def scenario_sha256(data: bytes) -> str:
    """Hex SHA-256 of the scenario file's bytes (recorded in the manifest)."""
    return hashlib.sha256(data).hexdigest()


def write_run_outputs(
    outputs: RunOutputs, out_dir: str | Path, csv: bool = False, started: float | None = None
) -> list[Path]:
    """Write frames (Parquet, and CSV if ``csv``), plots, summary and manifest; return paths.

    ``started`` is the ``time.perf_counter()`` value when the run began; the manifest then
    records the wall time up to its own writing. The manifest is written last, so its
    presence marks a complete output directory.
    """
    out = ensure_dir(out_dir)
    r = outputs.result
    written: list[Path] = []
    for name in FRAMES:
        frame = getattr(r, name)
        written.append(write_frame(frame, out / f"{name}.parquet"))
        if csv:
            written.append(write_frame(frame, out / f"{name}.csv"))
    graph = json.dumps(r.graph, indent=1, sort_keys=True, allow_nan=False)
    written.append(atomic_write_text(out / "graph.json", graph + "\n"))
    for fmt in ("png", "svg"):
        written.append(save_figure(outputs.figure, out / f"shares.{fmt}"))
    written.append(atomic_write_text(out / "summary.txt", outputs.summary_text + "\n"))
    fields = dict(outputs.manifest)
    fields.update(
        scenario=r.scenario,
        seed=r.seed,
        steps=len(r.market),
        quarters=[str(r.market["quarter"].iloc[0]), str(r.market["quarter"].iloc[-1])]
        if len(r.market)
        else [],
        milestones=dict(sorted(r.milestones.items())),
        files=sorted(p.name for p in written),
    )
    if started is not None:
        fields["wall_time_s"] = round(time.perf_counter() - started, 3)
    written.append(write_manifest(out / "manifest.json", **fields))
    log.info("wrote %d files to %s", len(written), out)
    return written

"""The Sobol-index bar plot of a sensitivity result, and the files it is written to."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from spacemarket.experiments.outputs.files import ensure_dir, write_frame, write_manifest
from spacemarket.experiments.plots.figure import freeze_layout, save_figure
from spacemarket.experiments.sweeps.sensitivity import CONF_LEVEL, SensitivityResult

__all__ = ["plot_sobol_indices", "write_sensitivity"]


def plot_sobol_indices(result: SensitivityResult) -> Figure:
    """Horizontal bars of S1 and ST per uncertainty, with their 95 % bootstrap intervals."""
    t = result.indices
    k = len(t)
    fig = Figure(figsize=(9.5, 1.4 + 0.7 * k), layout="constrained")
    ax = fig.subplots()
    y = np.arange(k)[::-1]
    h = 0.38
    ax.barh(y + h / 2, t["S1"], h, xerr=t["S1_conf"], color="C0", label="first order S1",
            error_kw={"lw": 1, "capsize": 3})  # fmt: skip
    ax.barh(y - h / 2, t["ST"], h, xerr=t["ST_conf"], color="C1", label="total ST",
            error_kw={"lw": 1, "capsize": 3})  # fmt: skip
    rows = zip(t["parameter"], t["low"], t["high"], strict=True)
    labels = [f"{p}\n[{lo} .. {hi}]" for p, lo, hi in rows]
    ax.set_yticks(y, labels, fontsize=8)
    ax.axvline(0.0, color="0.3", lw=0.8)
    hi = float(np.nanmax(np.concatenate([t["S1"] + t["S1_conf"], t["ST"] + t["ST_conf"]])))
    lo = float(np.nanmin(np.concatenate([t["S1"] - t["S1_conf"], t["ST"] - t["ST_conf"]])))
    ax.set_xlim(min(lo, 0.0) - 0.02, max(hi, 1.0) + 0.02)
    ax.set_xlabel("Sobol index (fraction of the outcome's variance)")
    ax.set_ylabel("uncertain parameter [range]")
    ax.grid(True, axis="x", alpha=0.25)
    ax.legend(fontsize=8, loc="lower right")
    fig.suptitle(f"Sensitivity of {result.outcome} ({result.units}), policy {result.policy}")
    fig.supxlabel(
        f"Saltelli sample: N = {result.n} base points x (D + 2) = {len(result.samples)} points, "
        f"{result.replications} seed(s) each ({result.evaluations} model runs); "
        "bars: 95% bootstrap intervals",
        x=0.01, ha="left", fontsize=7, color="0.35",
    )  # fmt: skip
    return freeze_layout(fig)  # solve the layout once: PNG and SVG then match every time


def write_sensitivity(result: SensitivityResult, out: str | Path, csv: bool = True) -> list[Path]:
    """Write the indices (Parquet, CSV), the sample, the bar plot (PNG, SVG) and a manifest."""
    fig = plot_sobol_indices(result)
    d = ensure_dir(out)
    stem = f"sobol_{result.outcome}"
    written = [write_frame(result.indices, d / f"{stem}.parquet")]
    if csv:
        written.append(write_frame(result.indices, d / f"{stem}.csv"))
    written.append(write_frame(result.samples, d / f"{stem}_samples.parquet"))
    written += [save_figure(fig, d / f"{stem}.{ext}") for ext in ("png", "svg")]
    written.append(
        write_manifest(
            d / f"{stem}_manifest.json",
            job="Sobol sensitivity (SALib, Saltelli sample)",
            design=result.design_source,
            outcome=result.outcome,
            units=result.units,
            policy=result.policy,
            base_samples=result.n,
            points=len(result.samples),
            replications=result.replications,
            model_runs=result.evaluations,
            steps=result.steps,
            root_seed=result.root_seed,
            seeding="Saltelli sample and bootstrap seeded with root_seed; replication r runs "
            "with SeedSequence(root_seed, spawn_key=(1, 0, r)) at every point",
            conf_level=CONF_LEVEL,
            wall_time_s=result.wall_time_s,
            files=sorted(p.name for p in written),
        )
    )
    return written

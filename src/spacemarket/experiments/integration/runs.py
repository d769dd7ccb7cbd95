"""Run strategy profiles over seeds through the sweep runner and reduce each run to a summary.

A strategy profile (``{"OpenAI": "control-of-stoke", "SpaceX": "open-access"}``) is a
policy of an ordinary sweep design whose settings are ``strategy.PLAYER`` overrides, so the
profiles run on the same process pool or Dask cluster, with the same atomic per-run files,
resume and error handling as any sweep (:mod:`.sweep`). Every profile sees the same seeds
(common random numbers: replication ``r`` has the seed ``SeedSequence(root_seed,
spawn_key=(1, 0, r))`` in every profile), so differences between profiles are not seed noise.

Each run is then reduced to a :class:`RunSummary`: discounted profit by firm and quarter
(a lab's profit is minus its cost of compute) and the comparison metrics.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import spacemarket.experiments.sweeps.store as store

__all__ = ["RunSummary", "profile_label", "run_profiles", "summarize_run"]

#: Quarters averaged for "final" metrics (the last year).
FINAL_QUARTERS = 4


def profile_label(profile: dict[str, str]) -> str:
    """``"OpenAI=control-of-stoke,SpaceX=open-access"``: players in catalogue order, so a
    profile has one label however it is written."""
    from spacemarket.market.scenario.strategies import players

    order = {p: i for i, p in enumerate(players())}
    ranked = sorted(profile.items(), key=lambda item: order.get(item[0], len(order)))
    return ",".join(f"{p}={s}" for p, s in ranked) or "scenario as given"


def scenario_reference(scenario: str) -> str:
    """A preset name as is, a scenario file as an absolute path (the design lives elsewhere)."""
    from spacemarket.errors import InputError
    from spacemarket.market.scenario import preset_names

    if scenario in preset_names():
        return scenario
    path = Path(scenario)
    if not path.is_file():
        raise InputError("scenario", f"{scenario!r} is neither a preset nor a scenario file")
    return str(path.resolve())


def _toml_string(s: str) -> str:
    return json.dumps(s)  # a JSON string literal is a valid TOML basic string


def _toml_scalar(key: str, value: Any) -> str:
    """A scalar override value as TOML; tables and arrays are set key by key instead."""
    from spacemarket.errors import InputError

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    raise InputError(
        "--set",
        f"{key}: compare and game take numbers, strings and booleans only (the values of a "
        f"sweep design); set a table's entries one by one, e.g. --set {key}.NAME=VALUE",
    )


def _design_text(
    scenario_ref: str,
    profiles: list[dict[str, str]],
    overrides: dict[str, Any],
    replications: int,
    root_seed: int,
    steps: int | None,
) -> str:
    lines = [
        f"scenario = {_toml_string(scenario_ref)}",
        '"description" = "strategy profiles (spacemarket game/compare)"',
        f"replications = {replications}",
        f"root_seed = {root_seed}",
        'outcomes = ["orbital_mw_final", "launch_price_index_final"]',
    ]
    if steps is not None:
        lines.append(f"steps = {steps}")
    for profile in profiles:
        settings = dict(overrides)
        settings.update({f"strategy.{p}": s for p, s in profile.items()})
        body = ", ".join(f"{_toml_string(k)} = {_toml_scalar(k, v)}" for k, v in settings.items())
        lines += [
            "",
            "[[policies]]",
            f"name = {_toml_string(profile_label(profile))}",
            f"set = {{ {body} }}",
        ]
    return "\n".join(lines) + "\n"


def run_profiles(
    scenario: str,
    profiles: list[dict[str, str]],
    out: str | Path,
    *,
    replications: int,
    root_seed: int = 2026,
    overrides: dict[str, Any] | None = None,
    steps: int | None = None,
    workers: int | None = None,
    dask_local: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    quiet: bool = True,
) -> pd.DataFrame:
    """Run every profile ``replications`` times into ``out/sweep``; return the run table.

    ``scenario`` is a preset name or a scenario file; ``overrides`` (dotted keys) apply to
    every profile. The design is written to ``out/design.toml``. Returns the sweep's outcome
    table (one row per run: ``run_id``, ``policy`` = the profile label, ``replication``,
    ``status``, ...). Raises the sweep's errors (``DesignError``, ``InputError``) before
    anything runs if a profile or override is invalid.
    """
    from spacemarket.errors import InputError
    from spacemarket.experiments.outputs.files import atomic_write_bytes, ensure_dir
    from spacemarket.experiments.sweeps.runner import run_sweep

    if not profiles:
        raise InputError("--strategy", "no strategy profiles to run")
    labels = [profile_label(p) for p in profiles]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise InputError("--strategy", f"profile {repeated[0]} is given twice")
    out = Path(out)
    ensure_dir(out)
    design = out / "design.toml"
    text = _design_text(
        scenario_reference(scenario), profiles, overrides or {}, replications, root_seed, steps
    )
    atomic_write_bytes(design, text.encode("utf-8"))
    run_sweep(
        design,
        out / "sweep",
        workers=workers,
        dask_local=dask_local,
        scheduler=scheduler,
        resume=resume,
        quiet=quiet,
    )
    return pd.read_parquet(out / "sweep" / store.OUTCOMES)


@dataclass(frozen=True)
class RunSummary:
    """One run reduced: discounted profits and the comparison metrics.

    ``discounted_profit_usd``: firm -> array over quarters of profit x discount factor
    (USD at the start; labs: AI-services revenue less their cost of compute). ``metrics``:
    metric -> value.
    ``shares``: DataFrame quarter x launch firm of mass shares.
    """

    discounted_profit_usd: dict[str, np.ndarray]
    metrics: dict[str, float]
    shares: pd.DataFrame


def discount_factors(steps: np.ndarray, rate_per_year: float) -> np.ndarray:
    """``(1 + r) ** -((step - 1) / 4)``: quarter 1 is undiscounted (shape of ``steps``)."""
    return (1.0 + rate_per_year) ** (-(np.asarray(steps, dtype=float) - 1.0) / 4.0)


def _final(series: pd.Series) -> float:
    x = series.to_numpy(dtype=float)[-FINAL_QUARTERS:]
    x = x[np.isfinite(x)]
    return float(x.mean()) if x.size else math.nan


def summarize_run(
    firms: pd.DataFrame, market: pd.DataFrame, rate_per_year: float, focus_lab: str = "OpenAI"
) -> RunSummary:
    """Reduce one run's frames (see :class:`RunSummary`); ``focus_lab`` names the lab whose
    cost of compute and exposure are reported."""
    firms = firms[firms.kind != "captive"]
    profit = firms.profit_usd  # labs: AI-services revenue less the cost of compute
    d = discount_factors(firms.step.to_numpy(), rate_per_year)
    frame = pd.DataFrame(
        {"firm": firms.firm.to_numpy(), "step": firms.step.to_numpy(), "v": profit.to_numpy() * d}
    )
    wide = frame.pivot(index="step", columns="firm", values="v").sort_index()
    discounted = {f: wide[f].to_numpy(dtype=float) for f in wide.columns}
    dm = discount_factors(market.step.to_numpy(), rate_per_year)
    metrics = {
        "launch_price_index_usd_per_kg": _final(market.launch_price_index_usd_per_kg),
        "hhi_launch_mass": _final(market.hhi_launch_mass),
        "consumer_surplus_usd": float(np.nansum(market.consumer_surplus_usd.to_numpy() * dm)),
        "orbital_mw": _final(market.orbital_mw),
    }
    for column in (f"cost_of_compute_usd_per_kw_year__{focus_lab}",
                   f"exposure_spacex__{focus_lab}"):  # fmt: skip
        if column in market:  # the focus lab may not exist in this scenario
            metrics[column] = _final(market[column])
    for firm, v in discounted.items():
        metrics[f"profit_usd__{firm}"] = float(v.sum())
    launch = firms[firms.kind == "launch"]
    shares = launch.pivot(index="quarter", columns="firm", values="share_mass").sort_index()
    for firm in shares.columns:
        metrics[f"share_mass__{firm}"] = _final(shares[firm])
    return RunSummary(discounted, metrics, shares)


def read_summaries(
    out: str | Path, table: pd.DataFrame, rate_per_year: float, focus_lab: str = "OpenAI"
) -> dict[tuple[str, int], RunSummary]:
    """Summaries of the successful runs in ``table``, keyed by (profile label, replication).

    Raises RuntimeError naming the failed runs if any run failed.
    """
    failed = table[table.status != "ok"]
    if len(failed):
        first = failed.iloc[0]
        doc = store.read_run_status(Path(out) / "sweep", first.run_id) or {}
        why = doc.get("error") or (
            f"status {first.status!r}: no result was written (did a worker process die? "
            "a script that starts runs needs an `if __name__ == '__main__':` guard)"
        )
        raise RuntimeError(
            f"{len(failed)} of {len(table)} runs failed (first: {first.run_id}: {why}); "
            f"see {Path(out) / 'sweep'}"
        )
    summaries = {}
    for row in table.itertuples():
        rdir = store.run_dir(Path(out) / "sweep", row.run_id)
        firms = pd.read_parquet(rdir / "firms.parquet")
        market = pd.read_parquet(rdir / "market.parquet")
        summaries[(row.policy, int(row.replication))] = summarize_run(
            firms, market, rate_per_year, focus_lab
        )
    return summaries

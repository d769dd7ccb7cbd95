"""The plan of a sweep: uncertainty samples x policies x replications, one row per run.

Seeds: one root :class:`numpy.random.SeedSequence` per design. The sampler draws from
``SeedSequence(root_seed, spawn_key=(0,))``; run ``(sample s, replication r)`` draws from
``SeedSequence(root_seed, spawn_key=(1, s, r))``, the same for every policy (common random
numbers). A run's seed does not depend on how many samples or replications the design has.

Examples
--------
>>> import tomllib
>>> from spacemarket.experiments.sweeps.design import parse_design
>>> d = parse_design(tomllib.loads('''
... scenario = "backtest-2023"
... steps = 2
... replications = 2
... root_seed = 7
... outcomes = ["spacex_mass_share_final"]
... [sampling]
... method = "lhs"
... samples = 2
... [uncertainties."external_demand.growth_per_year"]
... low = 0.05
... high = 0.20
... [levers]
... "compute.launch_bargaining_weight" = [0.3, 0.7]
... '''), "example.toml")
>>> plan = build_plan(d)
>>> len(plan), list(plan["run_id"][:3])
(8, ['s000-p00-r000', 's000-p00-r001', 's000-p01-r000'])
>>> sorted(plan["policy"].unique())
['compute.launch_bargaining_weight=0.3', 'compute.launch_bargaining_weight=0.7']
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from spacemarket.experiments.sweeps.design import PLAN_COLUMNS, Design

__all__ = [
    "build_plan",
    "run_id",
    "run_overrides",
    "run_seed",
    "sample_uncertainties",
]

# --------------------------------------------------------------------------- sampling and plan


def _qmc(method: str, d: int, rng: np.random.Generator):
    from scipy.stats import qmc

    cls = qmc.LatinHypercube if method == "lhs" else qmc.Sobol
    try:
        return cls(d, rng=rng)
    except TypeError:  # scipy < 1.15 names the argument seed
        return cls(d, seed=rng)


def sample_uncertainties(design: Design) -> list[dict[str, Any]]:
    """One ``{key path: value}`` dict per uncertainty sample (values as Python scalars)."""
    if design.method == "none":
        return [{}]
    d = len(design.uncertainties)
    rng = np.random.default_rng(np.random.SeedSequence(design.root_seed, spawn_key=(0,)))
    sampler = _qmc(design.method, d, rng)
    if design.method == "sobol":
        u = sampler.random_base2(int(math.log2(design.samples)))
    else:
        u = sampler.random(design.samples)
    return [
        {unc.key: unc.value(float(u[i, j])) for j, unc in enumerate(design.uncertainties)}
        for i in range(design.samples)
    ]


def run_seed(root_seed: int, sample: int, replication: int) -> np.random.SeedSequence:
    """The seed of run ``(sample, replication)``: the same for every policy."""
    return np.random.SeedSequence(root_seed, spawn_key=(1, sample, replication))


def _width(n: int, minimum: int) -> int:
    return max(minimum, len(str(max(n - 1, 0))))


def run_id(sample: int, policy: int, replication: int, design: Design) -> str:
    """A sortable run id such as ``"s003-p01-r002"`` (widths grow with the design)."""
    ws = _width(design.samples, 3)
    wp = _width(len(design.policies), 2)
    wr = _width(design.replications, 3)
    return f"s{sample:0{ws}d}-p{policy:0{wp}d}-r{replication:0{wr}d}"


def build_plan(design: Design) -> pd.DataFrame:
    """One row per run, sorted by ``run_id``.

    Columns: ``run_id``, ``sample``, ``policy`` (name), ``replication``, ``seed_entropy``
    (the root seed, as a string), ``spawn_key`` (``"1,s,r"``), one column per uncertainty key
    path with the sampled value, and ``policy_settings`` (JSON of the policy's overrides).
    """
    samples = sample_uncertainties(design)
    rows = []
    for s, values in enumerate(samples):
        for p, policy in enumerate(design.policies):
            settings = policy.settings_json()
            for r in range(design.replications):
                seed = run_seed(design.root_seed, s, r)
                row = {
                    "run_id": run_id(s, p, r, design),
                    "sample": s,
                    "policy": policy.name,
                    "replication": r,
                    "seed_entropy": str(seed.entropy),
                    "spawn_key": ",".join(str(k) for k in seed.spawn_key),
                }
                row.update(values)
                row["policy_settings"] = settings
                rows.append(row)
    columns = [*PLAN_COLUMNS, *(u.key for u in design.uncertainties), "policy_settings"]
    plan = pd.DataFrame(rows, columns=columns)
    plan["sample"] = plan["sample"].astype("int64")
    plan["replication"] = plan["replication"].astype("int64")
    for u in design.uncertainties:
        plan[u.key] = plan[u.key].astype({"float": "float64", "int": "int64"}.get(u.kind, str))
    for c in ("run_id", "policy", "seed_entropy", "spawn_key", "policy_settings"):
        plan[c] = plan[c].astype(str)
    return plan.sort_values("run_id", kind="stable").reset_index(drop=True)


def run_overrides(row: dict[str, Any], design: Design) -> dict[str, Any]:
    """The scenario overrides of one plan row: its sampled values, then its policy's settings."""
    out: dict[str, Any] = {}
    for u in design.uncertainties:
        v = row[u.key]
        out[u.key] = {"float": float, "int": int}.get(u.kind, str)(v)
    out.update(json.loads(row["policy_settings"]))
    return out

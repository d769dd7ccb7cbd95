"""Sobol sensitivity indices of a sweep outcome over the design's uncertainties (SALib).

Variance-based (Sobol) indices need a Saltelli-structured sample: base matrices A and B and,
for each input i, A with column i taken from B, so ``N * (D + 2)`` model evaluations for D
uncertainties (Saltelli 2002; Saltelli et al. 2010, as implemented by SALib's ``sobol``
sampler and analyzer). A sweep's own Latin-hypercube or Sobol-sequence plan lacks that
structure, so :func:`model_sensitivity` runs its own Saltelli sample of the model, in-process
(or on the sweeps' local process pool,
:class:`~spacemarket.experiments.sweeps.executors.LocalPool`), over the uncertainties of a
design file:

* each uncertainty is sampled on the unit interval and mapped to its range exactly as the
  sweep maps it (:meth:`~spacemarket.experiments.sweeps.design.Uncertainty.value`: uniform for
  ``float``, uniform over the integers or quarters for ``int`` and ``quarter``), so the
  indices are those of the design's input distribution;
* the design's chosen policy is applied on top, as in the sweep;
* each evaluation averages the outcome over ``replications`` seeds, the same seeds for every
  sample point (the sweep's ``run_seed(root_seed, 0, r)``): common random numbers, so the
  model's own randomness is held fixed and the indices apportion the variance of the
  seed-averaged outcome.

``S1`` (first order) is the share of the outcome's variance explained by an input alone,
``ST`` (total) includes its interactions; the confidence intervals are SALib's bootstrap
intervals (``conf_level`` 0.95). The bar plot and the files are
:mod:`spacemarket.experiments.plots.sensitivity`, the command ``spacemarket sensitivity``
:mod:`spacemarket.experiments.cli.sensitivity`. :func:`sobol_indices` is the machinery for any
vectorized function on the unit cube (tested on the Ishigami function against its analytic indices).

SALib is an optional extra: ``pip install spacemarket[sensitivity]``.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from spacemarket.errors import InputError
from spacemarket.experiments.sweeps.executors import LocalPool, single_threaded_children

if TYPE_CHECKING:  # pragma: no cover
    from spacemarket.experiments.sweeps.design import Design

__all__ = [
    "SensitivityResult",
    "format_indices",
    "model_sensitivity",
    "require_salib",
    "salib_problem",
    "saltelli_sample",
    "sobol_indices",
]

log = logging.getLogger(__name__)

INSTALL_HINT = "needs SALib: pip install spacemarket[sensitivity]"
CONF_LEVEL = 0.95


def require_salib():
    """Import SALib's Sobol sampler and analyzer, or raise :class:`InputError` saying how."""
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample
    except ImportError:
        raise InputError("sensitivity", INSTALL_HINT) from None
    return sample, analyze


# --------------------------------------------------------------------------- the machinery


def salib_problem(names: Sequence[str]) -> dict[str, Any]:
    """A SALib problem on the unit hypercube: one ``[0, 1]`` input per name."""
    if not names:
        raise ValueError("need at least one input")
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _power_of_two(n: int) -> bool:
    return n >= 2 and n & (n - 1) == 0


def saltelli_sample(d: int, n: int, seed: int) -> np.ndarray:
    """Saltelli's ``N * (D + 2)`` x D sample on the unit cube (scrambled Sobol sequence).

    ``n`` (base samples) must be a power of two; ``seed`` fixes the scrambling.
    """
    if not _power_of_two(n):
        raise ValueError(f"the number of base samples must be a power of two >= 2, got {n}")
    sample, _ = require_salib()
    problem = salib_problem([f"x{i}" for i in range(d)])
    return sample.sample(problem, n, calc_second_order=False, seed=seed)


def _analyze(names: Sequence[str], y: np.ndarray, seed: int, resamples: int) -> pd.DataFrame:
    _, analyze = require_salib()
    y = np.asarray(y, dtype=float)
    bad = int((~np.isfinite(y)).sum())
    if bad:
        raise ValueError(f"the outcome is undefined (NaN) in {bad} of {y.size} model evaluations")
    if float(np.var(y)) == 0.0:
        raise ValueError("the outcome is the same in every model evaluation: no variance to split")
    si = analyze.analyze(
        salib_problem(names),
        y,
        calc_second_order=False,
        num_resamples=resamples,
        conf_level=CONF_LEVEL,
        print_to_console=False,
        seed=seed,
    )
    return pd.DataFrame(
        {
            "parameter": list(names),
            "S1": si["S1"],
            "S1_conf": si["S1_conf"],
            "ST": si["ST"],
            "ST_conf": si["ST_conf"],
        }
    )


def sobol_indices(
    func: Callable[[np.ndarray], np.ndarray],
    names: Sequence[str],
    n: int,
    seed: int = 0,
    resamples: int = 100,
) -> pd.DataFrame:
    """First-order and total Sobol indices of ``func`` over the unit cube.

    ``func`` maps an ``(m, D)`` array of points in ``[0, 1]^D`` to ``m`` outputs. Columns:
    ``parameter``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (half-widths of the 95 %
    bootstrap intervals). Uses ``n * (D + 2)`` evaluations.
    """
    x = saltelli_sample(len(names), n, seed)
    return _analyze(names, func(x), seed, resamples)


# --------------------------------------------------------------------------- the model


@dataclass
class SensitivityResult:
    """Indices of one outcome, with the sample that produced them."""

    outcome: str
    units: str
    policy: str
    n: int
    replications: int
    indices: pd.DataFrame
    samples: pd.DataFrame
    design_source: str
    root_seed: int
    steps: int | None
    wall_time_s: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def evaluations(self) -> int:
        """Model runs: sample points times replications."""
        return len(self.samples) * self.replications


def _evaluate(task: tuple) -> list[float]:
    """Seed-averaged outcome at each of a chunk of points (runs in a worker process too)."""
    from spacemarket.experiments.sweeps.outcomes import get_outcome
    from spacemarket.experiments.sweeps.plan import run_seed
    from spacemarket.market.model.results import run_scenario
    from spacemarket.market.scenario import apply_scenario_overrides, parse_scenario

    doc, src, rows, steps, root_seed, replications, outcome = task
    func = get_outcome(outcome)
    out = []
    for overrides in rows:
        scenario = parse_scenario(apply_scenario_overrides(doc, overrides, src), src)
        values = [
            func(run_scenario(scenario, rng=run_seed(root_seed, 0, r), steps=steps))
            for r in range(replications)
        ]
        out.append(float(np.mean(values)))
    return out


def model_sensitivity(
    design: Design,
    outcome: str,
    n: int,
    policy: str | None = None,
    replications: int | None = None,
    workers: int = 1,
    quiet: bool = True,
    resamples: int = 100,
) -> SensitivityResult:
    """Sobol indices of ``outcome`` over ``design``'s uncertainties (see the module doc).

    ``n`` base samples (a power of two) give ``n * (D + 2)`` points, each run ``replications``
    times (default: the design's). ``policy`` defaults to the design's first. The Saltelli
    sample and the bootstrap are seeded from the design's ``root_seed``, so a call is
    reproducible; the result does not depend on ``workers``.
    """
    from spacemarket.experiments.sweeps.outcomes import get_outcome
    from spacemarket.market.scenario import resolved_document

    started = time.perf_counter()
    units = get_outcome(outcome).units  # UnknownOutcomeError lists the registry
    if not design.uncertainties:
        raise InputError("uncertainties", "the design samples no uncertainty", design.source)
    chosen = design.policies[0] if policy is None else None
    for p in design.policies:
        if p.name == policy:
            chosen = p
    if chosen is None:
        known = ", ".join(p.name for p in design.policies)
        raise InputError("--policy", f"no policy {policy!r} in the design (known: {known})")
    reps = design.replications if replications is None else replications
    if reps < 1:
        raise InputError("--replications", f"must be >= 1, got {reps}")
    if not _power_of_two(n):
        raise InputError("--samples", f"must be a power of two >= 2 (SALib's Sobol sampler), "
                         f"got {n}")  # fmt: skip
    names = [u.key for u in design.uncertainties]
    unit = saltelli_sample(len(names), n, design.root_seed)
    points = [
        {**{u.key: u.value(float(x[j])) for j, u in enumerate(design.uncertainties)},
         **chosen.settings}
        for x in unit
    ]  # fmt: skip
    doc, src = resolved_document(design.scenario_ref)
    log.info("sensitivity: %d points x %d replications", len(points), reps)

    from tqdm.auto import tqdm

    size = max(1, math.ceil(len(points) / (8 * max(workers, 1))))
    chunks = [points[i : i + size] for i in range(0, len(points), size)]
    tasks = [(doc, src, c, design.steps, design.root_seed, reps, outcome) for c in chunks]
    y: list[float] = []
    with tqdm(total=len(points), unit="point", desc="sensitivity", disable=quiet) as bar:
        if workers > 1 and len(tasks) > 1:
            with single_threaded_children(), LocalPool(workers) as pool:
                for part in pool.executor.map(_evaluate, tasks):  # in order: whatever workers
                    y += part
                    bar.update(len(part))
        else:
            for task in tasks:
                part = _evaluate(task)
                y += part
                bar.update(len(part))
    try:
        indices = _analyze(names, np.array(y), design.root_seed, resamples)
    except ValueError as exc:
        raise InputError("--outcome", f"{outcome}: {exc}") from None
    kinds = {u.key: u for u in design.uncertainties}
    indices.insert(0, "outcome", outcome)
    indices.insert(2, "kind", [kinds[k].kind for k in names])
    indices.insert(3, "low", [str(kinds[k].low) for k in names])
    indices.insert(4, "high", [str(kinds[k].high) for k in names])
    samples = pd.DataFrame(unit, columns=[f"u:{k}" for k in names])
    for u in design.uncertainties:
        samples[u.key] = [p[u.key] for p in points]
    samples[outcome] = y
    return SensitivityResult(
        outcome=outcome,
        units=units,
        policy=chosen.name,
        n=n,
        replications=reps,
        indices=indices,
        samples=samples,
        design_source=design.source,
        root_seed=design.root_seed,
        steps=design.steps,
        wall_time_s=round(time.perf_counter() - started, 3),
    )


def format_indices(result: SensitivityResult) -> str:
    """The indices as a printed table."""
    t = result.indices
    w = max([len(p) for p in t["parameter"]] + [9])
    lines = [
        f"Sobol indices of {result.outcome} ({result.units}), policy {result.policy}: "
        f"{result.evaluations} model runs",
        f"{'parameter':<{w}} {'S1':>7} {'+-95%':>7} {'ST':>7} {'+-95%':>7}",
    ]
    for r in t.itertuples():
        lines.append(
            f"{r.parameter:<{w}} {r.S1:>7.3f} {r.S1_conf:>7.3f} {r.ST:>7.3f} {r.ST_conf:>7.3f}"
        )
    return "\n".join(lines)

"""Shadow prices that clear launch capacity in the contracts solve.

Given ``excess(lambda)``, the demand assigned to each binding seller less its capacity (scaled by
capacity), find ``lambda >= 0`` with ``excess = 0``: jointly by a quasi-Newton method (a
forward-difference Jacobian, then Broyden's update), projected on the non-negative orthant,
with a backtracking line search on the residual norm (Kelley 1999, "Iterative Methods for
Optimization", ch. 5);
when that fails, seller by seller with Brent's method (Brent 1973), the others fixed, swept
until the prices settle (nonlinear Gauss-Seidel). Demand on a seller falls as its own shadow
price rises, so each one-dimensional root is bracketed.

Examples
--------
>>> x, ok = projected_newton(lambda x: (10.0 - x) / 10.0, np.array([0.0]))
>>> round(float(x[0]), 6), ok
(10.0, True)
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

__all__ = ["MAX_SHADOW", "gauss_seidel", "projected_newton"]

#: Largest shadow price of capacity considered, USD/kg (far above any launch price).
MAX_SHADOW = 1e7


def _fd_jacobian(excess, x: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Forward-difference Jacobian of ``excess`` at ``x`` (one evaluation per column)."""
    h = 1e-6 * (1.0 + np.abs(x))
    return np.column_stack([(excess(x + h[k] * np.eye(len(x))[k]) - f) / h[k]
                            for k in range(len(x))])  # fmt: skip


def projected_newton(excess, x0: np.ndarray, max_iter: int = 40, tol: float = 1e-9,
                     f0: np.ndarray | None = None):  # fmt: skip
    """Solve ``excess(x) = 0`` for ``x >= 0`` (shadow prices, USD/kg; ``excess`` scaled by
    capacity): quasi-Newton steps projected on ``x >= 0`` with a backtracking line search on
    the residual norm. The Jacobian is a forward difference at the start and then follows
    Broyden's ("good") rank-one update (Broyden 1965; Kelley 1995, "Iterative Methods for
    Linear and Nonlinear Equations", ch. 7), so a step costs one evaluation rather than one
    per unknown; when a step with the updated Jacobian finds no decrease (at full or half
    length), the Jacobian is differenced afresh, and only a failure with a fresh one ends the
    solve. ``f0`` is ``excess(x0)`` when the caller has it. Returns ``(x, solved)``."""
    x = np.maximum(np.asarray(x0, float), 0.0)
    f = excess(x) if f0 is None else np.asarray(f0, float)
    jac, fresh = None, False
    for _ in range(max_iter):
        norm = float(np.max(np.abs(f), initial=0.0))
        if norm <= tol:
            return x, True
        if jac is None:
            jac, fresh = _fd_jacobian(excess, x, f), True
        step = np.linalg.lstsq(jac, -f, rcond=None)[0]
        # backtrack along a step of a fresh Jacobian; an updated one gets one halving, then
        # is differenced afresh (a stale secant direction is not worth a long search)
        t, trial, f_trial, floor = 1.0, None, None, 1e-6 if fresh else 0.5
        while t >= floor:
            trial = np.minimum(np.maximum(x + t * step, 0.0), MAX_SHADOW)
            f_trial = excess(trial)
            if float(np.max(np.abs(f_trial), initial=0.0)) < (1.0 - 1e-4 * t) * norm:
                break
            t *= 0.5
        if t < floor:
            if fresh:
                return x, False
            jac = None  # the updated Jacobian has gone stale: difference it again
            continue
        dx, df = trial - x, f_trial - f
        size = float(dx @ dx)
        if size > 0.0:
            jac = jac + np.outer(df - jac @ dx, dx) / size
        x, f, fresh = trial, f_trial, False
    return x, bool(np.max(np.abs(f), initial=0.0) <= tol)


def gauss_seidel(lam, binding, assigned, cap, sweeps: int = 30) -> np.ndarray:
    """The robust path when the joint solve fails: each binding seller's shadow price by
    Brent's method with the others fixed (demand on a seller falls as its price rises), swept
    until the prices settle. ``assigned(lam, cols)`` is the kg assigned to the sellers
    ``cols`` at shadow prices ``lam``; ``cap`` their capacities (kg)."""
    lam = lam.copy()
    for _ in range(sweeps):
        before = lam.copy()
        for j in binding:

            def excess(x, j=j):
                trial = lam.copy()
                trial[j] = x
                return assigned(trial, [j])[0] - cap[j]

            if excess(0.0) <= 0.0:
                lam[j] = 0.0
                continue
            hi = max(1.0, 2.0 * lam[j])
            while excess(hi) > 0.0 and hi < MAX_SHADOW:
                hi = min(4.0 * hi, MAX_SHADOW)
            lam[j] = brentq(excess, 0.0, hi, xtol=1e-12 * (1.0 + hi)) if excess(hi) <= 0 else hi
        if np.max(np.abs(lam - before), initial=0.0) <= 1e-6 * (1.0 + lam.max(initial=0.0)):
            break
    return lam

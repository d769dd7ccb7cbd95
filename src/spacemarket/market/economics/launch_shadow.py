"""Shadow prices that clear launch capacity in the contracts solve.

Given ``excess(lambda)``, the demand assigned to each binding seller less its capacity (scaled by
capacity), find ``lambda >= 0`` with ``excess = 0``: jointly by Newton's method with a
forward-difference Jacobian, projected on the non-negative orthant, with a backtracking line
search on the residual norm (Kelley 1999, "Iterative Methods for Optimization", ch. 5);
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


def projected_newton(excess, x0: np.ndarray, max_iter: int = 40, tol: float = 1e-9):
    """Solve ``excess(x) = 0`` for ``x >= 0`` (shadow prices, USD/kg; ``excess`` scaled by
    capacity) by Newton steps with a forward-difference Jacobian, projected on ``x >= 0``, and a
    backtracking line search on the residual norm. Returns ``(x, solved)``."""
    x = np.maximum(np.asarray(x0, float), 0.0)
    f = excess(x)
    for _ in range(max_iter):
        norm = float(np.max(np.abs(f), initial=0.0))
        if norm <= tol:
            return x, True
        h = 1e-6 * (1.0 + np.abs(x))
        jac = np.column_stack([(excess(x + h[k] * np.eye(len(x))[k]) - f) / h[k]
                               for k in range(len(x))])  # fmt: skip
        step = np.linalg.lstsq(jac, -f, rcond=None)[0]
        t = 1.0
        while True:
            trial = np.minimum(np.maximum(x + t * step, 0.0), MAX_SHADOW)
            f_trial = excess(trial)
            if float(np.max(np.abs(f_trial), initial=0.0)) < (1.0 - 1e-4 * t) * norm:
                break
            t *= 0.5
            if t < 1e-6:
                return x, False
        x, f = trial, f_trial
    return x, bool(np.max(np.abs(f), initial=0.0) <= tol)


def gauss_seidel(lam, nash, binding, state, with_lam, cap, sweeps: int = 30):
    """The robust path when the joint solve fails: each binding seller's shadow price by
    Brent's method with the others fixed (demand on a seller falls as its price rises), swept
    until the prices settle."""
    lam = lam.copy()
    for _ in range(sweeps):
        before = lam.copy()
        for j in binding:

            def excess(x, j=j):
                trial = lam.copy()
                trial[j] = x
                return state(trial, with_lam(trial, binding))[2][:, j].sum() - cap[j]

            if excess(0.0) <= 0.0:
                lam[j] = 0.0
                continue
            hi = max(1.0, 2.0 * lam[j])
            while excess(hi) > 0.0 and hi < MAX_SHADOW:
                hi = min(4.0 * hi, MAX_SHADOW)
            lam[j] = brentq(excess, 0.0, hi, xtol=1e-12 * (1.0 + hi)) if excess(hi) <= 0 else hi
        nash = with_lam(lam, range(len(lam)))
        if np.max(np.abs(lam - before), initial=0.0) <= 1e-6 * (1.0 + lam.max(initial=0.0)):
            break
    return lam, nash

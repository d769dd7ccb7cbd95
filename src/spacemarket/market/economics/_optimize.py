"""Small numerical helpers shared by the bargaining solvers (package-internal).

Not part of the public API of :mod:`spacemarket.market.economics`.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["newton_polish"]


def newton_polish(objective: Callable[[float], float], x: float, h: float) -> float:
    """One Newton step on central differences of the objective.

    Brent's method compares function values, so near a smooth maximum it stops at about
    ``sqrt(noise)`` of the optimum (noise: the spot solver's tolerance); a derivative step
    reaches ``noise / h``. Skipped at kinks or boundaries (a penalised neighbour, below -1e3; wrong
    curvature, or a step longer than ``10 h``).

    Parameters
    ----------
    objective : callable
        ``x -> value`` to maximise; values at or below -1e3 mark penalised (infeasible) points.
    x : float
        Current estimate of the maximiser.
    h : float
        Step of the central differences (> 0), in the unit of ``x``.

    Returns
    -------
    float
        ``x`` moved by one Newton step, or ``x`` unchanged when the step is skipped.

    Examples
    --------
    >>> round(newton_polish(lambda x: -(x - 2.0) ** 2, 1.99, 0.01), 12)
    2.0
    """
    f0, fp, fm = objective(x), objective(x + h), objective(x - h)
    if min(f0, fp, fm) <= -1e3:
        return x
    curvature = (fp - 2.0 * f0 + fm) / h**2
    if not curvature < 0.0:
        return x
    step = -(fp - fm) / (2.0 * h) / curvature
    return x + step if abs(step) <= 10.0 * h else x

"""Shared exception types for the economics core.

Every iterative solver in :mod:`spacemarket.market.economics` (Bertrand-Nash pricing,
Nash-in-Nash bargaining, ...) raises :class:`EquilibriumNotConverged` instead of returning
NaN or a half-converged answer silently.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EconomicsError", "EquilibriumNotConverged"]


class EconomicsError(Exception):
    """Base class for errors raised by the economics core."""


class EquilibriumNotConverged(EconomicsError, ArithmeticError):  # noqa: N818 (public name)
    """An equilibrium solver stopped before its convergence criterion was met.

    Parameters
    ----------
    message : str
        Human-readable description (which solver, which criterion).
    residual : float
        The convergence measure at the last iterate (for pricing solvers: max absolute
        first-order-condition residual in USD; ``inf`` or ``nan`` if the iterate blew up).
    iterations : int
        Number of iterations performed.
    last_iterate : array_like, optional
        The last iterate (for pricing solvers: prices in USD, shape ``(J,)``), kept so the
        caller can inspect or warm-start from it.

    Examples
    --------
    >>> err = EquilibriumNotConverged("no luck", residual=0.5, iterations=3, last_iterate=[1.0])
    >>> err.residual, err.iterations, err.last_iterate.tolist()
    (0.5, 3, [1.0])
    >>> "residual=0.5" in str(err)
    True
    """

    def __init__(
        self,
        message: str,
        *,
        residual: float,
        iterations: int,
        last_iterate: object | None = None,
    ) -> None:
        self.residual = float(residual)
        self.iterations = int(iterations)
        self.last_iterate = (
            None if last_iterate is None else np.array(last_iterate, dtype=float, copy=True)
        )
        super().__init__(f"{message} (residual={self.residual:.6g}, iterations={self.iterations})")

    # Also expose the last iterate as ``last_prices`` for pricing solvers.
    @property
    def last_prices(self) -> np.ndarray | None:
        """Alias of :attr:`last_iterate` for pricing solvers (USD, shape ``(J,)``)."""
        return self.last_iterate

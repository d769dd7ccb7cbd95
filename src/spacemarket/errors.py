"""One error hierarchy for the whole package, and the exit code each maps to.

* :class:`InputError` (exit code 2): bad input, reported in one line naming the argument or
  field, before anything is written. :class:`ScenarioError` (a scenario, design or game file:
  the dotted key and the file) and :class:`DesignError` are kinds of it.
* :class:`OutputError` (exit code 1): an output that cannot be written (also an ``OSError``).
* :class:`SolverError`: a numerical solver that did not converge; :class:`EquilibriumNotConverged`
  carries the residual and the iterations. Every iterative solver raises it instead of
  returning NaN or a half-converged answer silently.

Every layer may import this module; it imports nothing of the package.

>>> str(InputError("--seeds", "must be >= 1, got 0"))
'--seeds: must be >= 1, got 0'
>>> issubclass(ScenarioError, InputError) and issubclass(OutputError, OSError)
True
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_OUTPUT",
    "DesignError",
    "EquilibriumNotConverged",
    "InputError",
    "OutputError",
    "ScenarioError",
    "SolverError",
    "SpacemarketError",
]

#: Exit code of the command line for bad input (:class:`InputError` and its kinds).
EXIT_BAD_INPUT = 2
#: Exit code for an output that cannot be written (:class:`OutputError`).
EXIT_OUTPUT = 1


class SpacemarketError(Exception):
    """Base class of every error the package raises on purpose."""


def _one_line(text: str) -> str:
    # keys, names and paths come from the user: escape newlines and other unprintables
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class InputError(SpacemarketError, ValueError):
    """Bad input: an argument, a data field or a file value.

    Parameters
    ----------
    argument : str
        Name of the argument (or data field, or dotted key) that is wrong.
    message : str
        What is wrong with it.
    source : str, optional
        File or record the value came from.
    """

    def __init__(self, argument: str, message: str, source: str | None = None) -> None:
        self.argument = argument
        self.reason = message
        self.source = source or ""
        where = f" (in {source})" if source else ""
        super().__init__(_one_line(f"{argument}: {message}{where}"))


class ScenarioError(InputError):
    """A scenario that fails validation; ``key`` is the dotted path, ``source`` the file."""

    def __init__(self, key: str, message: str, source: str = "") -> None:
        self.key = key
        super().__init__(key, message, source)


class DesignError(ScenarioError):
    """A design file that fails validation; ``key`` is the key path, ``source`` the file."""


class OutputError(SpacemarketError, OSError):
    """An output directory or file that cannot be written."""


class SolverError(SpacemarketError):
    """A numerical solver that stopped without meeting its criterion."""


class EquilibriumNotConverged(SolverError, ArithmeticError):  # noqa: N818 (public name)
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

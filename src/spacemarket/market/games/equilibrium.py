"""The :class:`Equilibrium` record returned by every solver in this package.

An equilibrium is stored as a mixed profile (pure equilibria as one-hot vectors) together with
the payoffs it gives and its regrets computed by :mod:`~spacemarket.market.games.regret`, so
that every reported profile can be audited: a solver result is accepted only if its max regret
is within the caller's tolerance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from spacemarket.market.games._arrays import PROB_ATOL, pure_of_mixed
from spacemarket.market.games.regret import _expected_payoffs, _regrets

__all__ = ["Equilibrium"]


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """A (candidate) equilibrium profile with its payoffs and regrets.

    Attributes
    ----------
    strategies : tuple of numpy.ndarray
        Mixed profile; ``strategies[i]`` has shape ``(n_i,)`` and sums to one.
    payoffs : numpy.ndarray, shape (k,)
        Expected payoff of each player at the profile (payoff units).
    regrets : numpy.ndarray, shape (k,)
        Each player's best unilateral deviation gain (payoff units, >= 0).
    max_regret : float
        ``max(regrets)``: 0 at an exact Nash equilibrium.
    method : str
        Which algorithm produced it (``"pure enumeration"``, ``"support enumeration"``,
        ``"gambit:gnm"``, ...).
    """

    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    regrets: np.ndarray
    max_regret: float
    method: str

    @classmethod
    def from_profile(
        cls, payoffs: np.ndarray, strategies: Sequence[np.ndarray], method: str
    ) -> Equilibrium:
        """Evaluate ``strategies`` in the game ``payoffs`` (validated arrays) and wrap it."""
        strats = tuple(np.array(x, dtype=float) for x in strategies)
        for x in strats:
            x.setflags(write=False)
        reg = _regrets(payoffs, strats)
        return cls(
            strategies=strats,
            payoffs=_expected_payoffs(payoffs, strats),
            regrets=reg,
            max_regret=float(reg.max()),
            method=method,
        )

    @property
    def pure_profile(self) -> tuple[int, ...] | None:
        """The pure profile if every player puts (within 1e-9) all mass on one action."""
        return pure_of_mixed(self.strategies, PROB_ATOL)

    @property
    def is_pure(self) -> bool:
        """Whether the profile is pure."""
        return self.pure_profile is not None

    @property
    def supports(self) -> tuple[tuple[int, ...], ...]:
        """Actions played with probability above 1e-9, per player."""
        return tuple(tuple(int(a) for a in np.flatnonzero(x > PROB_ATOL)) for x in self.strategies)

    def same_profile(self, other: Equilibrium, atol: float = 1e-7) -> bool:
        """Whether two equilibria are the same profile (probabilities within ``atol``)."""
        return all(
            x.shape == y.shape and np.allclose(x, y, atol=atol, rtol=0.0)
            for x, y in zip(self.strategies, other.strategies, strict=True)
        )

    def __repr__(self) -> str:
        strat = ", ".join(np.array2string(x, precision=4, separator=" ") for x in self.strategies)
        pay = np.array2string(self.payoffs, precision=6, separator=" ")
        return (
            f"Equilibrium(strategies=({strat}), payoffs={pay}, "
            f"max_regret={self.max_regret:.3g}, method={self.method!r})"
        )


def dedupe(equilibria: Sequence[Equilibrium], atol: float = 1e-7) -> list[Equilibrium]:
    """Drop repeated profiles (first occurrence kept)."""
    out: list[Equilibrium] = []
    for eq in equilibria:
        if not any(eq.same_profile(seen, atol) for seen in out):
            out.append(eq)
    return out

"""Two-party bargaining solutions: generalized Nash, Rubinstein alternating offers.

These are the building blocks of the contract stage (Nash-in-Nash over supply edges, see
:mod:`spacemarket.market.economics.nash_in_nash`) and of the acquisition-price stage.

* Generalized Nash bargaining (Nash 1950, Econometrica 18(2); asymmetric form as in
  Binmore, Rubinstein & Wolinsky 1986, RAND 17(2)): the agreement maximises
  ``(u_1 - d_1)**beta * (u_2 - d_2)**(1 - beta)`` over the feasible set. With transferable
  utility and a surplus ``S`` to divide, ``u_1 = d_1 + beta (S - d_1 - d_2)`` and
  ``u_2 = d_2 + (1 - beta)(S - d_1 - d_2)``; an agreement exists iff ``S > d_1 + d_2``.
* Rubinstein (1982, Econometrica 50(1)) alternating offers with discount factors
  ``delta_1, delta_2``: the unique subgame-perfect equilibrium gives the first proposer
  ``(1 - delta_2) / (1 - delta_1 delta_2)`` of the pie, agreed immediately.
* Binmore-Rubinstein-Wolinsky limit: with ``delta_i = exp(-r_i * Delta)`` and the time
  between offers ``Delta -> 0`` the Rubinstein split tends to the Nash solution with weight
  ``beta_1 = r_2 / (r_1 + r_2)``: bargaining weights measure relative patience.

Feasibility convention of :func:`nash_bargain`: when the surplus does not exceed the sum of
disagreement payoffs there is no agreement; each party keeps its disagreement payoff and the
result's ``agreement`` flag is ``False`` (``on_infeasible="raise"`` raises instead). Agreement
requires strictly positive gains from trade (a tie is treated as no agreement).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from spacemarket.market.economics._optimize import newton_polish

__all__ = [
    "BargainingOutcome",
    "NontransferableOutcome",
    "nash_bargain",
    "nash_bargain_nontransferable",
    "rubinstein_limit_weight",
    "rubinstein_share",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BargainingOutcome:
    """Result of :func:`nash_bargain` (arrays broadcast to a common shape).

    Attributes
    ----------
    payoff_1, payoff_2 : numpy.ndarray
        Payoffs of party 1 and party 2 (same unit as the surplus, e.g. USD).
    agreement : numpy.ndarray of bool
        ``True`` where the gains from trade ``S - d_1 - d_2`` are strictly positive.
    gains : numpy.ndarray
        Gains from trade ``S - d_1 - d_2`` (negative or zero where there is no agreement).
    """

    payoff_1: np.ndarray
    payoff_2: np.ndarray
    agreement: np.ndarray
    gains: np.ndarray


def _check_unit_interval(name: str, value: object, *, closed_right: bool = True) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    upper_ok = arr <= 1.0 if closed_right else arr < 1.0
    if not np.all(np.isfinite(arr) & (arr >= 0.0) & upper_ok):
        interval = "[0, 1]" if closed_right else "[0, 1)"
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return arr


def _check_finite(name: str, value: object) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def nash_bargain(
    surplus: object,
    disagreement: object,
    weight: object,
    *,
    on_infeasible: str = "disagree",
) -> BargainingOutcome:
    """Generalized Nash bargaining solution with transferable utility (Nash 1950).

    Maximises ``(u_1 - d_1)**w * (u_2 - d_2)**(1 - w)`` subject to ``u_1 + u_2 = S``, giving
    ``u_1 = d_1 + w (S - d_1 - d_2)`` and ``u_2 = d_2 + (1 - w)(S - d_1 - d_2)``.
    Vectorised: all arguments broadcast against each other.

    Parameters
    ----------
    surplus : array_like
        Total surplus ``S`` to divide if the parties agree (e.g. USD).
    disagreement : array_like, shape (2, ...)
        Disagreement payoffs ``(d_1, d_2)`` in the unit of ``surplus``; the first axis
        indexes the party.
    weight : array_like
        Bargaining weight ``w`` of party 1, in ``[0, 1]`` (party 2 has ``1 - w``).
    on_infeasible : {"disagree", "raise"}, default "disagree"
        What to do where ``S <= d_1 + d_2``: return the disagreement payoffs with
        ``agreement=False``, or raise ``ValueError``.

    Returns
    -------
    BargainingOutcome
        Payoffs, agreement flags and gains from trade, broadcast to a common shape.

    Raises
    ------
    ValueError
        If ``weight`` is outside ``[0, 1]``, an input is not finite, ``disagreement`` does
        not have a first axis of length 2, or (with ``on_infeasible="raise"``) there is no
        agreement.

    Examples
    --------
    Generalised Nash (1950) bargaining over ``S = 100`` with ``d = (20, 10)`` and weight 0.6: by
    hand ``u_1 = 20 + 0.6 * 70 = 62`` and ``u_2 = 10 + 0.4 * 70 = 38``:

    >>> out = nash_bargain(100.0, (20.0, 10.0), 0.6)
    >>> float(out.payoff_1), float(out.payoff_2), bool(out.agreement)
    (62.0, 38.0, True)
    >>> bool(nash_bargain(25.0, (20.0, 10.0), 0.6).agreement)
    False
    """
    if on_infeasible not in ("disagree", "raise"):
        raise ValueError(f"on_infeasible must be 'disagree' or 'raise', got {on_infeasible!r}")
    s = _check_finite("surplus", surplus)
    d = _check_finite("disagreement", disagreement)
    if d.ndim == 0 or d.shape[0] != 2:
        raise ValueError(
            f"disagreement must have a first axis of length 2 (d_1, d_2), got shape {d.shape}"
        )
    w = _check_unit_interval("weight", weight)
    d1, d2 = d[0], d[1]
    gains = s - d1 - d2
    agreement = gains > 0.0
    if on_infeasible == "raise" and not np.all(agreement):
        raise ValueError(
            "no agreement: surplus does not exceed the sum of disagreement payoffs "
            f"(gains from trade {gains!r})"
        )
    positive = np.where(agreement, gains, 0.0)
    payoff_1 = d1 + w * positive
    payoff_2 = d2 + (1.0 - w) * positive
    payoff_1, payoff_2, agreement, gains = np.broadcast_arrays(payoff_1, payoff_2, agreement, gains)
    return BargainingOutcome(
        payoff_1=np.array(payoff_1, dtype=float),
        payoff_2=np.array(payoff_2, dtype=float),
        agreement=np.array(agreement, dtype=bool),
        gains=np.array(gains, dtype=float),
    )


def rubinstein_share(delta_proposer: object, delta_responder: object) -> np.ndarray:
    """First proposer's share of a unit pie in Rubinstein's (1982) alternating-offers game.

    The unique subgame-perfect equilibrium has immediate agreement with the proposer
    receiving ``(1 - delta_r) / (1 - delta_p * delta_r)`` (the responder gets the rest).
    Vectorised over broadcastable arrays.

    Parameters
    ----------
    delta_proposer, delta_responder : array_like
        Per-round discount factors of the first proposer and of the responder, in ``[0, 1)``.

    Returns
    -------
    numpy.ndarray
        The proposer's share of the pie (dimensionless, in ``(0, 1]``).

    Raises
    ------
    ValueError
        If a discount factor is outside ``[0, 1)``.

    Examples
    --------
    >>> round(float(rubinstein_share(0.9, 0.9)), 6)
    0.526316
    >>> round(float(rubinstein_share(0.9, 0.8)), 6)
    0.714286
    """
    dp = _check_unit_interval("delta_proposer", delta_proposer, closed_right=False)
    dr = _check_unit_interval("delta_responder", delta_responder, closed_right=False)
    return np.asarray((1.0 - dr) / (1.0 - dp * dr), dtype=float)


def rubinstein_limit_weight(r_1: object, r_2: object) -> np.ndarray:
    """Nash bargaining weight of player 1 in the frequent-offers limit of Rubinstein's game.

    Binmore, Rubinstein & Wolinsky (1986): with ``delta_i = exp(-r_i * Delta)`` and
    ``Delta -> 0``, the alternating-offers split converges to the generalized Nash solution
    with weight ``r_2 / (r_1 + r_2)`` for player 1 (the more patient player gets more).

    Parameters
    ----------
    r_1, r_2 : array_like
        Discount (impatience) rates per unit of time, ``> 0``, in the same time unit.

    Returns
    -------
    numpy.ndarray
        Player 1's bargaining weight in ``(0, 1)``.

    Raises
    ------
    ValueError
        If a rate is not finite and strictly positive.

    Examples
    --------
    >>> round(float(rubinstein_limit_weight(0.05, 0.10)), 6)
    0.666667
    """
    a = _check_finite("r_1", r_1)
    b = _check_finite("r_2", r_2)
    if np.any(a <= 0.0):
        raise ValueError(f"r_1 must be > 0, got {r_1!r}")
    if np.any(b <= 0.0):
        raise ValueError(f"r_2 must be > 0, got {r_2!r}")
    return np.asarray(b / (a + b), dtype=float)


@dataclass(frozen=True)
class NontransferableOutcome:
    """Result of :func:`nash_bargain_nontransferable`.

    Attributes
    ----------
    allocation : float
        The agreed point ``t*`` on the frontier parameterisation (e.g. physical units of the
        good given to player 1).
    utility_1, utility_2 : float
        Utilities at ``t*`` (each in its player's own utility unit).
    nash_product_log : float
        ``w log(u_1 - d_1) + (1 - w) log(u_2 - d_2)`` at ``t*``.
    """

    allocation: float
    utility_1: float
    utility_2: float
    nash_product_log: float


def nash_bargain_nontransferable(
    utility_1: Callable[[float], float],
    utility_2: Callable[[float], float],
    disagreement: tuple[float, float],
    weight: float,
    *,
    bounds: tuple[float, float] = (0.0, 1.0),
    grid_points: int = 201,
    xtol: float = 1e-12,
) -> NontransferableOutcome:
    """Generalized Nash bargaining over a utility-possibility frontier (Nash 1950).

    The frontier is given parametrically by a physical allocation ``t`` in ``bounds`` (for
    example the amount of a good given to player 1, the rest going to player 2), with
    ``u_1(t)`` and ``u_2(t)`` the players' utilities along it. The solution maximises
    ``w log(u_1(t) - d_1) + (1 - w) log(u_2(t) - d_2)`` over the ``t`` where both gains are
    positive (``w = 1`` or ``0``: the favoured player's gain subject to the other's being
    non-negative). A grid of ``grid_points`` locates the best bracket and a bounded Brent
    search refines it, so the method is global up to the grid resolution for a quasi-concave
    Nash product, and two Newton steps on central differences polish it (Brent alone stops
    at about ``sqrt(machine epsilon)`` of the bound width). Because Nash's solution is
    invariant to positive affine transformations of utility, rescaling ``u_2`` and ``d_2``
    leaves ``t*`` unchanged (a tested property).

    Parameters
    ----------
    utility_1, utility_2 : callable
        ``t -> u_i(t)`` (float to float), in each player's own utility unit.
    disagreement : tuple of float
        ``(d_1, d_2)`` in the players' utility units.
    weight : float
        Player 1's bargaining weight in ``[0, 1]``.
    bounds : tuple of float, default (0.0, 1.0)
        Range of the physical allocation ``t``.
    grid_points : int, default 201
        Points of the initial grid (``>= 3``).
    xtol : float, default 1e-12
        Absolute tolerance on ``t`` of the Brent refinement, relative to the bound width.

    Returns
    -------
    NontransferableOutcome

    Raises
    ------
    ValueError
        If ``weight`` is outside ``[0, 1]``, the bounds are not increasing, or no point of
        the grid gives both players at least (strictly, for a positive weight) their
        disagreement utility.

    Examples
    --------
    Split 100 units; player 2's utility is concave (square root):

    >>> out = nash_bargain_nontransferable(
    ...     lambda t: t, lambda t: (100.0 - t) ** 0.5, (0.0, 0.0), 0.5, bounds=(0.0, 100.0)
    ... )
    >>> round(out.allocation, 6)   # maximises t * sqrt(100 - t)  ->  t = 200/3
    66.666667
    """
    w = float(_check_unit_interval("weight", weight))
    lo, hi = (float(b) for b in bounds)
    if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
        raise ValueError(f"bounds must be finite and increasing, got {bounds!r}")
    if grid_points < 3:
        raise ValueError(f"grid_points must be >= 3, got {grid_points}")
    d1, d2 = (float(x) for x in _check_finite("disagreement", disagreement))

    def objective(t: float) -> float:
        g1 = float(utility_1(t)) - d1
        g2 = float(utility_2(t)) - d2
        ok1 = g1 > 0.0 if w > 0.0 else g1 >= 0.0
        ok2 = g2 > 0.0 if w < 1.0 else g2 >= 0.0
        if not (ok1 and ok2):
            return -np.inf
        value = 0.0
        if w > 0.0:
            value += w * np.log(g1)
        if w < 1.0:
            value += (1.0 - w) * np.log(g2)
        return float(value)

    grid = np.linspace(lo, hi, grid_points)
    values = np.array([objective(t) for t in grid])
    if not np.any(np.isfinite(values)):
        raise ValueError("empty bargaining set: no allocation beats both disagreement payoffs")
    i = int(np.argmax(values))
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, grid_points - 1)]
    floor = float(values[i]) - 1e3  # finite penalty so Brent's parabolic steps stay defined
    res = minimize_scalar(
        lambda t: -max(objective(t), floor),
        bounds=(a, b),
        method="bounded",
        options={"xatol": xtol * (hi - lo)},
    )
    t_star = float(res.x) if -res.fun >= values[i] else float(grid[i])
    for _ in range(2):  # derivative steps beat the value-comparison limit of Brent
        t_star = min(max(newton_polish(objective, t_star, 1e-5 * (hi - lo)), lo), hi)
    logger.debug("nontransferable Nash bargain: t*=%.12g after %s evaluations", t_star, res.nfev)
    return NontransferableOutcome(
        allocation=t_star,
        utility_1=float(utility_1(t_star)),
        utility_2=float(utility_2(t_star)),
        nash_product_log=objective(t_star),
    )

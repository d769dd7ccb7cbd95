"""Launch contracts for orbital compute: Nash-in-Nash with threat of replacement and capacities.

``I`` buyers (labs building compute in orbit) and ``J`` sellers (launchers, each offering its
cheapest operational vehicle: marginal cost ``c_j`` USD/kg, capacity ``K_j`` kg this quarter).
Every available edge ``(i, j)`` is bargained given all the others (Horn & Wolinsky 1988,
"passive beliefs"; Collard-Wexler, Gowrisankaran & Lee 2019 give the non-cooperative
foundation).

Buyer. At launch price ``p`` (USD/kg) the buyer's builders put a logit share ``s(p)`` of its
addition in orbit (orbit against ground on delivered cost per kW-year, ``C_o(p) = F_i + m p``
against ``C_g``, spread ``sigma = dispersion x C_g``), so it wants ``q_i(p) = iota_i A_i k s(p)``
kg (``A_i`` kW added, ``k`` kg per kW, ``iota_i`` its orbital interest). Its expected cost per
kW-year is the logit inclusive value ``E_i(p)`` (McFadden 1978); without orbit it pays ``C_g``.
Its gain from an agreement at ``w`` against building on the ground is
``G_D(w) = A_i T (C_g - E_i(w))`` USD (``T``: present value of a dollar a year over the design
lifetime), with ``G_D'(w) = -A_i T iota_i s(w) m``.

Seller. Capacity has an opportunity cost: ``o_j = c_j + s_j + lambda_j`` USD/kg, with ``s_j`` the
value of a kg in its best other use (the spot market's shadow price of capacity last quarter;
Starlink is valued at cost, an assumption) and ``lambda_j`` the shadow price that clears its
contract capacity. Its gain at ``w`` is ``G_U(w) = (w - o_j) q_i(w)``.

Price. The generalized Nash bargain ``max b log G_U + (1 - b) log G_D`` over ``w`` in
``[o_j, w_m]`` (``w_m`` the seller's monopoly price against ground) is the root of
``f(w) = b G_U'(w) G_D(w) + (1 - b) G_D'(w) G_U(w)`` (``f(o_j) > 0 > f(w_m)``), found by
bisection, vectorised over edges. With inelastic demand it is Horn-Wolinsky's closed form
``w = o_j + b (v_i - o_j)`` for a buyer of value ``v_i``. A buyer's other launchers discipline
the price by the threat of replacement (Ho & Lee 2019, AER, "Equilibrium Provider Networks"):
the included seller's price is ``min(w_Nash, o_k)`` with ``o_k`` the lowest opportunity cost
among the buyer's other available sellers, the price at which a rival would take the business.
Each buyer buys from the seller with the lowest price; an edge whose joint gain is not positive
(no demand at ``o_j``) is dropped; an unavailable edge (a refusal) is never bargained.

Control. A buyer and seller under one controller trade at cost inside the group (the payment is
``c_j``); the group uses capacity while its value exceeds the opportunity cost, so the buyer's
quantity is ``q_i(o_j)``. Integration thereby takes capacity at a lower price than a rival pays,
raising ``lambda_j`` and the rival's price when capacity binds.

Choice and capacity. The seller with the lowest opportunity cost wins the buyer (it can always
undercut the others' floor); near-ties split by a logit whose scale is 1% of the lowest
(:data:`ASSIGNMENT_SCALE`), so the clearing is continuous. ``lambda_j`` solves "demand
assigned to ``j`` = ``K_j``" for every seller whose demand would exceed its capacity, jointly
(Powell's hybrid method, ``scipy.optimize.root``), in an active-set loop. ``converged`` and
``residual_kg`` (largest excess demand over capacity) report the outcome; demand still in excess is rationed pro rata.

Examples
--------
Inelastic-limit check: a buyer worth 100 USD/kg (ground parity), one seller at cost 40 with
weight 1/2, and a rival at 60 that caps the price by replacement:

>>> b = LaunchBuyers(added_kw=np.array([1e3]), interest=np.array([1.0]),
...     orbital_fixed_usd_per_kw_year=np.array([0.0]), ground_usd_per_kw_year=100.0,
...     slope_per_usd_per_kg=1.0, dispersion=1e-4, kg_per_kw=1.0, pv_factor=1.0)
>>> s = LaunchSellers(cost_usd_per_kg=np.array([40.0, 60.0]), capacity_kg=np.array([1e9, 1e9]))
>>> one = solve_launch_contracts(b, LaunchSellers(s.cost_usd_per_kg[:1], s.capacity_kg[:1]),
...                              weight=np.full((1, 1), 0.5))
>>> round(float(one.prices[0, 0]), 2)   # 40 + (100 - 40) / 2
70.0
>>> two = solve_launch_contracts(b, s, weight=np.full((1, 2), 0.5))
>>> round(float(two.prices[0, 0]), 2), str(two.status[0, 1])
(60.0, 'active')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import root

__all__ = ["LaunchBuyers", "LaunchContractsResult", "LaunchSellers", "solve_launch_contracts"]

_BISECTION_STEPS = 60
#: Scale of the buyers' logit split between launchers, as a fraction of the lowest price.
ASSIGNMENT_SCALE = 0.01


@dataclass(frozen=True)
class LaunchBuyers:
    """``I`` buyers of launch for orbital compute (arrays of shape ``(I,)``; units in names)."""

    added_kw: np.ndarray
    interest: np.ndarray
    orbital_fixed_usd_per_kw_year: np.ndarray
    ground_usd_per_kw_year: float
    slope_per_usd_per_kg: float
    dispersion: float
    kg_per_kw: float
    pv_factor: float

    @property
    def sigma(self) -> float:
        """Logit scale of builders' cost differences, USD per kW-year."""
        return self.dispersion * self.ground_usd_per_kw_year

    def logit(self, i: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Probability a builder of buyer ``i`` (who considers orbit) builds in orbit at ``p``."""
        c_o = self.orbital_fixed_usd_per_kw_year[i] + self.slope_per_usd_per_kg * p
        z = np.minimum((c_o - self.ground_usd_per_kw_year) / self.sigma, 700.0)
        return 1.0 / (1.0 + np.exp(z))

    def kg(self, i: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Launch mass buyer ``i`` wants at price ``p`` USD/kg, kg."""
        return self.interest[i] * self.added_kw[i] * self.kg_per_kw * self.logit(i, p)

    def gain(self, i: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Buyer ``i``'s gain from orbit at ``p`` against ground only, USD (present value)."""
        c_o = self.orbital_fixed_usd_per_kw_year[i] + self.slope_per_usd_per_kg * p
        c_g, sigma = self.ground_usd_per_kw_year, self.sigma
        inclusive = np.minimum(c_o, c_g) - sigma * np.log1p(np.exp(-np.abs(c_o - c_g) / sigma))
        saving = self.interest[i] * (c_g - inclusive)
        return self.added_kw[i] * self.pv_factor * saving

    def gain_slope(self, i: np.ndarray, p: np.ndarray) -> np.ndarray:
        """d gain / d p (negative), USD per USD/kg."""
        s = self.logit(i, p)
        return -self.added_kw[i] * self.pv_factor * self.interest[i] * s * self.slope_per_usd_per_kg


@dataclass(frozen=True)
class LaunchSellers:
    """``J`` sellers: marginal cost and contract capacity of the vehicle each offers, and the
    value of a kg of capacity in its best other use (default 0: at cost)."""

    cost_usd_per_kg: np.ndarray
    capacity_kg: np.ndarray
    other_use_usd_per_kg: np.ndarray | None = None

    def base_opportunity(self) -> np.ndarray:
        other = 0.0 if self.other_use_usd_per_kg is None else self.other_use_usd_per_kg
        return self.cost_usd_per_kg + other


@dataclass(frozen=True)
class LaunchContractsResult:
    """Contracts on every edge (arrays ``(I, J)``; prices NaN where not bargained).

    ``status``: "active" (bargained), "dropped" (no joint gain) or "refused" (unavailable);
    ``kg`` what each buyer buys on each edge; ``shadow_usd_per_kg`` (J,) the capacity shadow
    prices; ``converged`` and ``residual_kg`` (largest excess demand before rationing).
    """

    prices: np.ndarray
    kg: np.ndarray
    status: np.ndarray
    buyer_gain_usd: np.ndarray
    seller_gain_usd: np.ndarray
    shadow_usd_per_kg: np.ndarray
    iterations: int
    residual_kg: float
    converged: bool
    chosen: np.ndarray = field(repr=False)  # (I,) seller index per buyer, -1 for none


def _nash_price(b: LaunchBuyers, i: np.ndarray, o: np.ndarray, w8: np.ndarray) -> np.ndarray:
    """The Nash price of each edge ``(i, o, weight)`` against ground, by vectorised bisection."""
    lo = o.copy()
    # the seller's monopoly price lies below the price at which orbit costs 60 logit scales
    # more than ground (s ~ e^-60 there): f < 0 at that bound
    parity = b.ground_usd_per_kw_year - b.orbital_fixed_usd_per_kw_year[i] + 60.0 * b.sigma
    hi = np.maximum(o, parity / b.slope_per_usd_per_kg) + 1e-9
    for _ in range(_BISECTION_STEPS):
        w = 0.5 * (lo + hi)
        q, gd = b.kg(i, w), b.gain(i, w)
        s = b.logit(i, w)
        dq = -q * (1.0 - s) * b.slope_per_usd_per_kg / b.sigma
        gu, dgu = (w - o) * q, q + (w - o) * dq
        f = w8 * dgu * gd + (1.0 - w8) * b.gain_slope(i, w) * gu
        up = f > 0
        lo, hi = np.where(up, w, lo), np.where(up, hi, w)
    return 0.5 * (lo + hi)


def _nash_column(b, o_j, live_j, integrated_j, weight_j) -> np.ndarray:
    """Nash prices of every buyer with seller ``j`` (opportunity cost ``o_j``): NaN where the
    edge is not live, ``o_j`` inside a group."""
    out = np.full(live_j.shape, np.nan)
    rows = np.nonzero(live_j & ~integrated_j)[0]
    if rows.size:
        out[rows] = _nash_price(b, rows, np.full(rows.size, o_j), weight_j[rows])
    out[live_j & integrated_j] = o_j
    return out


def _with_replacement(nash: np.ndarray, o_eff: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Cap each price at the lowest opportunity cost among the buyer's other live sellers (the
    price at which a rival takes the business; Ho and Lee 2019), never below the seller's own."""
    n_j = nash.shape[1]
    opp = np.where(live, o_eff[None, :], np.inf)
    out = nash.copy()
    for j in range(n_j):
        cap = np.delete(opp, j, axis=1).min(axis=1) if n_j > 1 else np.inf
        out[:, j] = np.where(live[:, j], np.minimum(nash[:, j], np.maximum(cap, o_eff[j])), np.nan)
    return out


def _assign(prices: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Each buyer's split between its live sellers by their opportunity costs (``prices``): a
    logit with scale ``ASSIGNMENT_SCALE`` of the lowest, so near-ties split and the clearing is
    continuous (one seller when they differ by more than a few percent). Under replacement the
    seller with the lowest opportunity cost also quotes the lowest price."""
    p = np.where(live, prices, np.inf)
    best = p.min(axis=1, keepdims=True)
    ok = np.isfinite(best)
    scale = ASSIGNMENT_SCALE * np.where(ok, np.maximum(np.abs(best), 1e-9), 1.0)
    z = np.where(live & ok, np.exp(-(np.where(live, p, 0.0) - np.where(ok, best, 0.0)) / scale),
                 0.0)  # fmt: skip
    total = z.sum(axis=1, keepdims=True)
    return np.divide(z, total, out=np.zeros_like(z), where=total > 0)


def _edge_kg(b, prices, share, integrated, o_eff) -> np.ndarray:
    """Kg each buyer buys on each edge: its share of the demand at the price it acts on (the
    opportunity cost inside a group)."""
    n_i, n_j = prices.shape
    acted = np.where(integrated, o_eff[None, :], np.nan_to_num(prices, nan=0.0))
    ii = np.repeat(np.arange(n_i), n_j)
    return share * b.kg(ii, acted.ravel()).reshape(n_i, n_j)


def solve_launch_contracts(
    buyers: LaunchBuyers,
    sellers: LaunchSellers,
    available: np.ndarray | None = None,
    integrated: np.ndarray | None = None,
    weight: np.ndarray | float = 0.5,
    *,
    max_sweeps: int = 20,
    tol_kg: float = 1e-6,
) -> LaunchContractsResult:
    """Solve the quarter's launch contracts (see the module docstring).

    Parameters
    ----------
    buyers : LaunchBuyers
    sellers : LaunchSellers
    available : bool array (I, J), optional
        Edges that may trade (default all); False for a refusal or a seller without a vehicle.
    integrated : bool array (I, J), optional
        Buyer and seller under one controller (default none).
    weight : float or array (I, J)
        The seller's Nash bargaining weight on each edge, in [0, 1].
    """
    n_i, n_j = len(buyers.added_kw), len(sellers.cost_usd_per_kg)
    available = np.ones((n_i, n_j), bool) if available is None else np.asarray(available, bool)
    integrated = np.zeros((n_i, n_j), bool) if integrated is None else np.asarray(integrated, bool)
    weight = np.broadcast_to(np.asarray(weight, float), (n_i, n_j))
    base = sellers.base_opportunity()
    cap = np.maximum(np.asarray(sellers.capacity_kg, float), 0.0)
    # an edge with no demand even at the seller's opportunity cost has no joint gain: dropped
    i_all = np.repeat(np.arange(n_i), n_j)
    kg_at_cost = buyers.kg(i_all, np.tile(base, n_i)).reshape(n_i, n_j)
    live = available & (kg_at_cost > 1e-9)
    lam = np.zeros(n_j)
    nash = np.column_stack(
        [_nash_column(buyers, base[j], live[:, j], integrated[:, j], weight[:, j])
         for j in range(n_j)]
    ).reshape(n_i, n_j)  # fmt: skip

    def state(lam_now, nash_now):
        o_eff = base + lam_now
        prices = _with_replacement(nash_now, o_eff, live)
        share = _assign(np.broadcast_to(o_eff, live.shape), live)
        kg = _edge_kg(buyers, prices, share, integrated, o_eff)
        return o_eff, prices, kg

    def with_lam(lam_now: np.ndarray, cols) -> np.ndarray:
        trial = nash.copy()
        for j in cols:
            trial[:, j] = _nash_column(buyers, base[j] + lam_now[j], live[:, j],
                                       integrated[:, j], weight[:, j])  # fmt: skip
        return trial

    # Active-set loop: the binding sellers' shadow prices solve "assigned demand = capacity"
    # jointly (Powell's hybrid method); a seller joins the set when its demand exceeds its
    # capacity and leaves it when its shadow price would be negative.
    scale_j = np.maximum(cap, 1.0)
    binding = [j for j in range(n_j) if state(lam, nash)[2][:, j].sum() > cap[j] + tol_kg]
    sweeps, converged = 0, not binding
    for sweeps in range(1, max_sweeps + 1):  # noqa: B007 (reported)
        if not binding:
            converged = True
            break

        def excess(x, cols=tuple(binding)):
            trial_lam = lam.copy()
            trial_lam[list(cols)] = np.abs(x)  # |x|: the solver may step below zero
            kg_now = state(trial_lam, with_lam(trial_lam, cols))[2]
            return (kg_now[:, list(cols)].sum(axis=0) - cap[list(cols)]) / scale_j[list(cols)]

        x0 = np.maximum(lam[binding], 1e-3 * (base[binding] + 1.0))
        sol = root(excess, x0, method="hybr", options={"xtol": 1e-12})
        lam[binding] = np.abs(sol.x)
        nash = with_lam(lam, binding)
        kg_now = state(lam, nash)[2]
        over = [j for j in range(n_j) if j not in binding
                and kg_now[:, j].sum() > cap[j] + tol_kg]  # fmt: skip
        slack = [j for j in binding if kg_now[:, j].sum() < cap[j] - tol_kg and lam[j] <= 1e-9]
        if not over and not slack and sol.success:
            converged = True
            break
        binding = sorted(set(binding) - set(slack) | set(over))
        for j in slack:
            lam[j] = 0.0
        nash = with_lam(lam, range(n_j))
    o_eff, prices, kg = state(lam, nash)
    total = kg.sum(axis=0)
    residual = float(max((total - cap).max(initial=0.0), 0.0))
    converged = converged and residual <= max(tol_kg, 1e-9 * cap.max(initial=1.0))
    scale, over = np.ones(n_j), total > cap
    scale[over] = cap[over] / total[over]
    kg = kg * scale[None, :]  # ration what still exceeds capacity, pro rata
    paid = np.where(integrated, sellers.cost_usd_per_kg[None, :], prices)
    status = np.where(~available, "refused", np.where(live, "active", "dropped"))
    ii = np.repeat(np.arange(n_i), n_j)
    gain_b = buyers.gain(ii, np.nan_to_num(paid, nan=0.0).ravel()).reshape(n_i, n_j)
    has = kg.sum(axis=1) > 0
    chosen = np.where(has, np.argmax(kg, axis=1), -1)
    return LaunchContractsResult(
        prices=np.where(live, paid, np.nan), kg=kg, status=status,
        buyer_gain_usd=np.where(live, gain_b, np.nan),
        seller_gain_usd=np.where(live, (paid - o_eff[None, :]) * kg, np.nan),
        shadow_usd_per_kg=lam, iterations=sweeps, residual_kg=residual, converged=converged,
        chosen=chosen,
    )  # fmt: skip

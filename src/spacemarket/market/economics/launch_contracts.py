"""Launch contracts for orbital compute: Nash-in-Nash with threat of replacement and capacities.

``I`` buyers (labs building compute in orbit) and ``J`` sellers (launchers, each offering its
cheapest operational vehicle: marginal cost ``c_j`` USD/kg, capacity ``K_j`` kg this quarter).
Every available edge ``(i, j)`` is bargained given all the others (Horn & Wolinsky 1988,
"passive beliefs"; Collard-Wexler, Gowrisankaran & Lee 2019 give the non-cooperative
foundation).

Buyer. It wants ``q_i(p)`` kg at launch price ``p`` from its orbit-versus-ground choice (logit on
delivered cost per kW-year) and saves ``saving_i(p)`` per kW-year over ground
(:mod:`.launch_bargain`). Its disagreement with seller ``j`` is its fallback: its demand
re-allocated over its other live launchers ``k``, cheapest first, each at the price it would
then agree alone (its Nash price against ground; at its opportunity cost when ``k`` is in its
own group) and each for the share of its demand ``k``'s capacity can carry, the rest on ground
(the outside option as the value of the deals it would fall back on; Binmore, Shaked and
Sutton 1989). Controlling a launcher, or a second one
entering, so improves the buyer's disagreement point and lowers the price it pays.

Seller. Capacity has an opportunity cost: ``o_j = c_j + s_j + lambda_j`` USD/kg, with ``s_j`` the
value of a kg in its best other use (the spot market's shadow price of capacity last quarter;
Starlink is valued at cost, an assumption) and ``lambda_j`` the shadow price that clears its
contract capacity. Its gain at ``w`` is ``G_U(w) = (w - o_j) q_i(w)``.

Price. The generalized Nash price of each edge given its disagreement points
(:func:`.launch_bargain.nash_price`; Horn and Wolinsky's closed form ``o + b (v - o)`` in the
inelastic limit), capped by the threat of replacement (Ho and Lee 2019, AER, "Equilibrium
Provider Networks"): never above the lowest opportunity cost among the buyer's other live
sellers whose capacity could carry its whole demand, the price at which a rival would take the
business (a rival too small for that replaces only part of it, which is in the disagreement
point). An edge with no demand even at
``o_j`` has no joint gain and is dropped; an unavailable edge (a refusal) is never bargained.

Control. Stakes below control enter both objectives (the buyer's controller weighs the
seller's gain by its share of the seller's profit, and conversely; O'Brien and Salop 2000). A
buyer and seller under one controller trade at cost inside the group (the payment is
``c_j``); the group uses capacity while its value exceeds the opportunity cost, so the buyer's
quantity is ``q_i(o_j)``. Integration thereby takes capacity at a lower price than a rival pays,
raising ``lambda_j`` and the rival's price when capacity binds.

Choice and capacity. The seller with the lowest opportunity cost wins the buyer (it can always
undercut the others' floor); near-ties split by a logit whose scale is 3% of the lowest
(:data:`ASSIGNMENT_SCALE`), so the clearing is continuous. ``lambda_j`` solves "demand
assigned to ``j`` = ``K_j``" for every seller whose demand would exceed its capacity, jointly
(projected quasi-Newton with a line search, :mod:`.launch_shadow`; seller by seller with Brent's
method when that fails),
in an active-set loop. ``converged`` and ``residual_kg`` (largest excess demand
over capacity) report the outcome; demand still in excess is rationed pro rata.

Examples
--------
Inelastic-limit check: a buyer worth 100 USD/kg (ground parity), one seller at cost 40 with
weight 1/2, and a rival at 60 that caps the price by replacement:

>>> from spacemarket.market.economics.launch_bargain import LaunchBuyers
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

from spacemarket.market.economics.launch_bargain import LaunchBuyers, nash_price
from spacemarket.market.economics.launch_edges import (
    ASSIGNMENT_SCALE,
    OneSeller,
    assign,
    edge_kg,
    edge_prices,
)
from spacemarket.market.economics.launch_shadow import MAX_SHADOW, gauss_seidel, projected_newton

__all__ = ["ASSIGNMENT_SCALE", "LaunchContractsResult", "LaunchSellers", "solve_launch_contracts"]


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


def solve_launch_contracts(
    buyers: LaunchBuyers,
    sellers: LaunchSellers,
    available: np.ndarray | None = None,
    integrated: np.ndarray | None = None,
    weight: np.ndarray | float = 0.5,
    *,
    max_sweeps: int = 20,
    tol_kg: float = 1e-6,
    shadow_guess: np.ndarray | None = None,
    stakes: tuple[np.ndarray, np.ndarray] | None = None,
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
    shadow_guess : array (J,), optional
        Starting shadow prices (e.g. last quarter's): a warm start, not a constraint.
    stakes : pair of arrays (I, J), optional
        Below control: the buyer's controller's share of the seller's profit, and the seller's
        controller's share of the buyer's; they enter the two objectives
        (:func:`.launch_bargain.nash_price`). Default none.
    """
    n_i, n_j = len(buyers.added_kw), len(sellers.cost_usd_per_kg)
    if n_i == 0 or n_j == 0:  # nothing to bargain: every edge refused, nothing bought
        empty = np.zeros((n_i, n_j))
        return LaunchContractsResult(
            prices=np.full((n_i, n_j), np.nan), kg=empty, status=np.full((n_i, n_j), "refused"),
            buyer_gain_usd=np.full((n_i, n_j), np.nan), seller_gain_usd=np.full((n_i, n_j), np.nan),
            shadow_usd_per_kg=np.zeros(n_j), iterations=0, residual_kg=0.0, converged=True,
            chosen=np.full(n_i, -1),
        )  # fmt: skip
    available = np.ones((n_i, n_j), bool) if available is None else np.asarray(available, bool)
    integrated = np.zeros((n_i, n_j), bool) if integrated is None else np.asarray(integrated, bool)
    weight = np.broadcast_to(np.asarray(weight, float), (n_i, n_j))
    kd, ku = (np.zeros((n_i, n_j)), np.zeros((n_i, n_j))) if stakes is None else stakes
    base = sellers.base_opportunity()
    cap = np.maximum(np.asarray(sellers.capacity_kg, float), 0.0)
    # an edge with no demand even at the seller's opportunity cost has no joint gain: dropped
    i_all = np.repeat(np.arange(n_i), n_j)
    kg_at_cost = buyers.kg(i_all, np.tile(base, n_i)).reshape(n_i, n_j)
    live = available & (kg_at_cost > 1e-9)
    carries = kg_at_cost <= cap[None, :] * (1.0 + 1e-12)  # could take a buyer's whole demand
    memo = np.full((n_i, n_j), np.nan)  # each edge's last Nash price: the next solve's start
    i_free, j_free = np.nonzero(live & ~integrated)

    def with_lam(lam_now: np.ndarray, cols, nash_now: np.ndarray) -> np.ndarray:
        """The Nash prices against ground, with the columns ``cols`` re-solved at
        ``lam_now`` (one vectorised solve; inside a group, the opportunity cost)."""
        trial = nash_now.copy()
        o_eff = base + lam_now
        pick = np.isin(j_free, list(cols))
        fi, fj = i_free[pick], j_free[pick]
        if fi.size:
            trial[fi, fj] = nash_price(buyers, fi, o_eff[fj], weight[fi, fj], None, kd[fi, fj],
                                       ku[fi, fj], nash_now[fi, fj])  # fmt: skip
        inside = live & integrated
        for j in cols:
            trial[inside[:, j], j] = o_eff[j]
        return trial

    def state(lam_now, nash_now):
        """Opportunity costs, the price of every live edge and the kg bought on each (only
        edges a buyer assigns demand to carry kg)."""
        o_eff = base + lam_now
        prices = edge_prices(buyers, nash_now, o_eff, live, integrated, weight, cap, kd, ku,
                              carries, live, memo)  # fmt: skip
        share = assign(np.broadcast_to(o_eff, live.shape), live)
        kg = edge_kg(buyers, np.where(share > 0, prices, 0.0), share, integrated, o_eff)
        return o_eff, prices, kg

    def column_kg(lam_now: np.ndarray, cols, nash_now: np.ndarray) -> np.ndarray:
        """Kg assigned to each seller in ``cols`` at ``lam_now``: only the edges into those
        sellers that carry demand are priced. Their fallbacks read the other sellers' Nash
        prices against ground, of which only the other columns in ``cols`` move."""
        o_eff = base + lam_now
        share = assign(np.broadcast_to(o_eff, live.shape), live)
        need = np.zeros(live.shape, bool)
        need[:, cols] = share[:, cols] > 0
        ground = nash_now if len(cols) < 2 else with_lam(lam_now, cols, nash_now)
        prices = edge_prices(buyers, ground, o_eff, live, integrated, weight, cap, kd, ku,
                              carries, need, memo)  # fmt: skip
        kg = edge_kg(buyers, np.where(need, prices, 0.0), share, integrated, o_eff)
        return kg[:, cols].sum(axis=0)

    lam = np.zeros(n_j)
    nash = with_lam(lam, range(n_j), np.full((n_i, n_j), np.nan))
    # Active-set loop: the binding sellers' shadow prices solve "assigned demand = capacity"
    # jointly (projected quasi-Newton with a line search); a seller joins the set when
    # its demand exceeds its capacity and leaves it when its shadow price would be negative.
    scale_j = np.maximum(cap, 1.0)
    snapshot = state(lam, nash)  # (o_eff, prices, kg) at the current lam and nash
    demand = snapshot[2].sum(axis=0)
    binding = [j for j in range(n_j) if demand[j] > cap[j] + tol_kg]
    sweeps, converged = 0, not binding
    for sweeps in range(1, max_sweeps + 1):  # noqa: B007 (reported)
        if not binding:
            converged = True
            break
        cols, start, fixed = list(binding), lam.copy(), nash

        if len(cols) == 1:  # one binding seller (the common case): only its edges move
            one = OneSeller(buyers, cols[0], nash, base + start, live, integrated, weight, cap,
                            kd, ku, carries, memo)  # fmt: skip

            def excess(x, j=cols[0], one=one):
                return np.array([(one.kg(base[j] + x[0]) - cap[j]) / scale_j[j]])

        else:

            def excess(x, cols=cols, start=start, fixed=fixed):
                trial_lam = start.copy()
                trial_lam[cols] = x
                return (column_kg(trial_lam, cols, fixed) - cap[cols]) / scale_j[cols]

        guess = lam if shadow_guess is None else np.maximum(lam, shadow_guess)
        x0 = np.minimum(guess[cols], MAX_SHADOW)
        # a warm start that prices a seller out of all demand (excess -1) sits where the
        # excess is flat: start that seller from its current shadow price instead
        f0 = excess(x0)
        flat = f0 <= -1.0 + 1e-12
        if flat.any():
            x0 = np.where(flat, lam[cols], x0)
            f0 = excess(x0)
        x, solved = projected_newton(excess, x0, f0=f0)
        if not solved and not np.array_equal(x0, lam[cols]):
            # a warm start far from this quarter's prices can sit where the excess is nearly
            # flat and the Jacobian singular: start again from the current shadow prices
            x, solved = projected_newton(excess, lam[cols].copy())
        lam[cols] = x
        if not solved:

            def assigned(t, c, cols=cols, nash=nash):
                return column_kg(t, c, with_lam(t, cols, nash))

            lam = gauss_seidel(lam, cols, assigned, cap)
        nash = with_lam(lam, cols, nash)  # (the other sellers' shadow prices did not move)
        snapshot = state(lam, nash)
        demand = snapshot[2].sum(axis=0)
        misfit = np.abs(demand[cols] - cap[cols]) / scale_j[cols]
        fits = (misfit <= 1e-6) | ((lam[cols] <= 1e-9) & (demand[cols] <= cap[cols]))
        over = [j for j in range(n_j) if j not in binding and demand[j] > cap[j] + tol_kg]
        slack = [j for j in binding if demand[j] < cap[j] - tol_kg and lam[j] <= 1e-9]
        if not over and not slack and fits.all():
            converged = True
            break
        if not over and not slack:
            break  # the shadow prices cannot clear further: reported, rationed below
        binding = sorted(set(binding) - set(slack) | set(over))
        for j in slack:
            lam[j] = 0.0
        nash = with_lam(lam, slack, nash)
        snapshot = None
    o_eff, prices, kg = state(lam, nash) if snapshot is None else snapshot
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

"""One launch edge's Nash price: a buyer of launch for orbital compute against a launcher.

The buyer (:class:`LaunchBuyers`, one of ``I``) puts a logit share ``s(p)`` of its addition in
orbit at launch price ``p`` (orbit against ground on delivered cost per kW-year, ``C_o(p) =
F_i + m p`` against ``C_g``, logit scale ``sigma = dispersion x C_g``), so it wants ``q_i(p) =
iota_i A_i k s(p)`` kg; its saving over ground is the logit inclusive value, ``C_g - E_i(p) =
sigma log(1 + exp(-(C_o - C_g) / sigma))`` per kW-year (McFadden 1978; Small and Rosen 1981).
Against a seller of opportunity cost ``o`` and weight ``b`` the generalized Nash price maximises
``b log G_U + (1 - b) log G_D`` with ``G_U = (w - o) q_i(w)`` and ``G_D = A_i T (saving(w) -
alt)``, ``alt`` the saving from the buyer's fallback (0 for ground). :func:`nash_price` finds the
root of the first-order condition by vectorised Newton steps on its analytic slope, safeguarded
by bisection inside the bracket (rtsafe; Press et al. 2007). With inelastic
demand it is Horn and Wolinsky's (1988) closed form ``w = o + b (v - o)``.

Examples
--------
>>> b = LaunchBuyers(added_kw=np.array([1e3]), interest=np.array([1.0]),
...     orbital_fixed_usd_per_kw_year=np.array([0.0]), ground_usd_per_kw_year=100.0,
...     slope_per_usd_per_kg=1.0, dispersion=1e-4, kg_per_kw=1.0, pv_factor=1.0)
>>> round(float(nash_price(b, np.array([0]), np.array([40.0]), np.array([0.5]))[0]), 2)
70.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LaunchBuyers", "nash_price", "price_of_saving", "saving"]

_MAX_STEPS = 200


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


def saving(b: LaunchBuyers, i, w) -> np.ndarray:
    """``C_g - E_i(w)`` per kW-year of a builder considering orbit (0 for ``w`` = inf)."""
    d = b.orbital_fixed_usd_per_kw_year[i] + b.slope_per_usd_per_kg * w - b.ground_usd_per_kw_year
    with np.errstate(invalid="ignore"):
        out = np.maximum(-d, 0.0) + b.sigma * np.log1p(np.exp(-np.abs(d) / b.sigma))
    return np.where(np.isfinite(w), out, 0.0)


class _Foc:
    """The Nash first-order condition ``b G_U' G_D + (1 - b) G_D' G_U`` divided by the positive
    ``s^2`` (``s`` the orbital share) so it stays of order one far above parity: positive below
    the Nash price, negative above (and at the fallback price, where ``G_D`` vanishes).
    ``alt`` is the buyer's saving at its fallback price (:func:`saving`; 0 when its fallback
    is ground), so ``G_D`` is the saving over it. With stakes (O'Brien and Salop 2000) the
    buyer's controller maximises ``G_D + kd G_U`` and the seller's ``G_U + ku G_D``; divided
    by ``a t s^2`` (``a`` kg per kW, ``t`` the present-value factor, ``r = a / t``) the
    condition is the stake-free one plus ``kd r u M - ku (m / r) G_D / s``.

    :meth:`with_slope` evaluates it and its derivative at ``w``; the per-edge constants are
    gathered once (the solver evaluates it a few times per solve), and the stake terms are
    left out when every stake is zero."""

    def __init__(self, b: LaunchBuyers, i, o, w8, alt, kd=0.0, ku=0.0) -> None:
        self.fixed, self.ground = b.orbital_fixed_usd_per_kw_year[i], b.ground_usd_per_kw_year
        self.m, self.sigma, self.o, self.w8, self.alt = b.slope_per_usd_per_kg, b.sigma, o, w8, alt
        self.one_minus_w8_m = (1.0 - w8) * self.m
        self.m_over_sigma = self.m / self.sigma
        self.stakes = bool(np.any(kd) or np.any(ku))
        self.r, self.kd, self.ku = b.kg_per_kw / b.pv_factor, kd, ku

    def with_slope(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The condition and its derivative in ``w``: with ``k = m / sigma``, ``ds/dw = -k s
        (1 - s)``, ``d(G_D/s)/dw = -m + k (1 - s) G_D/s`` and ``du/dw = -k ((1 - s) + M k s
        (1 - s))``."""
        d = self.fixed + self.m * w - self.ground
        e = np.exp(-np.abs(d) / self.sigma)
        s = np.where(d > 0, e / (1.0 + e), 1.0 / (1.0 + e))
        gd = np.maximum(-d, 0.0) + self.sigma * np.log1p(e) - self.alt
        gd_over_s = np.minimum(np.maximum(gd / np.maximum(s, 1e-300), -1e250), 1e250)
        margin = w - self.o
        k, rest = self.m_over_sigma, 1.0 - s
        u = 1.0 - margin * rest * k
        out = self.w8 * u * gd_over_s - self.one_minus_w8_m * margin
        d_g = -self.m + k * rest * gd_over_s
        d_u = -k * (rest + margin * k * s * rest)
        slope = self.w8 * (d_u * gd_over_s + u * d_g) - self.one_minus_w8_m
        if self.stakes:
            out = out + self.kd * self.r * u * margin - self.ku * (self.m / self.r) * gd_over_s
            slope = slope + self.kd * self.r * (d_u * margin + u)
            slope = slope - self.ku * (self.m / self.r) * d_g
        return out, slope


def price_of_saving(b: LaunchBuyers, i, alt) -> np.ndarray:
    """The launch price at which buyer ``i``'s saving (:func:`saving`) equals ``alt`` (inf for
    0): the saving is ``sigma log(1 + exp(-d / sigma))``, inverted in closed form."""
    x = np.maximum(alt, 0.0) / b.sigma
    with np.errstate(divide="ignore"):  # log(expm1(x)), stable for large x; -inf at 0
        log_expm1 = np.where(x > 30.0, x + np.log1p(-np.exp(-np.minimum(x, 700.0))),
                             np.log(np.expm1(np.minimum(x, 30.0))))  # fmt: skip
    d = -b.sigma * log_expm1
    price = b.ground_usd_per_kw_year - b.orbital_fixed_usd_per_kw_year[i] + d
    return price / b.slope_per_usd_per_kg


def nash_price(b: LaunchBuyers, i: np.ndarray, o: np.ndarray, w8: np.ndarray,
               alt: np.ndarray | None = None, kd: np.ndarray | float = 0.0,
               ku: np.ndarray | float = 0.0,
               guess: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """The Nash price of each edge ``(i, o, weight)``: the root of the first-order condition in
    ``[o, w_max]``, by Newton's method on the condition with its analytic slope, safeguarded by
    the bracket (a step that leaves it bisects; Press et al., "Numerical Recipes", rtsafe),
    from ``guess`` where one is given inside the bracket (e.g. the edge's price at the last
    shadow prices: a warm start, never a constraint) and from ``o`` otherwise, each edge until
    its own step is below 1e-13 relative. ``alt`` (USD per kW-year, 0 for
    ground) is the buyer's saving from its fallback; ``w_max`` is below the price at which an
    agreement saves no more than that. ``kd`` is the buyer's controller's stake in the seller's
    profit, ``ku`` the seller's controller's in the buyer's (below control; :class:`_Foc`): in
    the inelastic limit ``w = o + (b - ku) (v - o) / (1 - kd - ku)``. An edge without a gain to
    share, or whose seller's stake in the buyer outweighs its bargaining weight, is priced at
    ``o``."""
    fixed, m, sigma = b.orbital_fixed_usd_per_kw_year[i], b.slope_per_usd_per_kg, b.sigma
    alt = np.zeros(o.shape) if alt is None else alt
    lo = o.astype(float).copy()
    # the seller's monopoly price lies below the price at which orbit costs 60 logit scales
    # more than ground (s ~ e^-60 there): f < 0 at that bound, and where G_D vanishes
    hi = np.maximum(o, (b.ground_usd_per_kw_year - fixed + 60.0 * sigma) / m) + 1e-9
    hi = np.maximum(np.minimum(hi, price_of_saving(b, i, alt)), lo)
    foc = _Foc(b, i, o, w8, alt, kd, ku)
    if guess is None:
        f_o, slope = foc.with_slope(lo)
        f, w = f_o, lo
    else:  # the condition at o and at the guess, in one evaluation
        n = lo.shape[0]
        g = np.asarray(guess, float)
        use = np.isfinite(g) & (g > lo) & (g < hi)
        g = np.where(use, g, lo)

        def twice(x):
            if np.ndim(x) == 0:
                return x
            return np.concatenate((x, x) if np.shape(x) == (n,) else [np.broadcast_to(x, (n,))] * 2)

        f2, s2 = _Foc(b, twice(i), twice(o), twice(w8), twice(alt), twice(kd),
                      twice(ku)).with_slope(np.concatenate([lo, g]))  # fmt: skip
        f_o, f, slope, w = f2[:n], f2[n:], s2[n:], g
        lo = np.where(use & (f > 0), g, lo)
        hi = np.where(use & (f <= 0), g, hi)
    gain = (hi > o) & (f_o > 0)  # else no gain to share at any price above o: priced at o
    active = gain.copy()
    for _ in range(_MAX_STEPS):
        # safeguarded Newton (Numerical Recipes' rtsafe): the bracket [lo, hi] shrinks on the
        # sign of the condition; a step that leaves it, or a non-negative slope, bisects
        down = slope < 0
        newton = w - np.divide(f, slope, out=np.zeros(f.shape), where=down)
        ok = down & (newton >= lo) & (newton <= hi)
        step = np.where(ok, newton, 0.5 * (lo + hi))
        settled = np.abs(step - w) <= 1e-13 * (1.0 + np.abs(step))
        w = np.where(active, step, w)
        active &= ~settled
        if not active.any():
            break
        f, slope = foc.with_slope(w)
        lo = np.where(active & (f > 0), w, lo)
        hi = np.where(active & (f <= 0), w, hi)
    return np.where(gain, w, o)

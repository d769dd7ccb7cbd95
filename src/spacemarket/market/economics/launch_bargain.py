"""One launch edge's Nash price: a buyer of launch for orbital compute against a launcher.

The buyer (:class:`LaunchBuyers`, one of ``I``) puts a logit share ``s(p)`` of its addition in
orbit at launch price ``p`` (orbit against ground on delivered cost per kW-year, ``C_o(p) =
F_i + m p`` against ``C_g``, logit scale ``sigma = dispersion x C_g``), so it wants ``q_i(p) =
iota_i A_i k s(p)`` kg; its saving over ground is the logit inclusive value, ``C_g - E_i(p) =
sigma log(1 + exp(-(C_o - C_g) / sigma))`` per kW-year (McFadden 1978; Small and Rosen 1981).
Against a seller of opportunity cost ``o`` and weight ``b`` the generalized Nash price maximises
``b log G_U + (1 - b) log G_D`` with ``G_U = (w - o) q_i(w)`` and ``G_D = A_i T (saving(w) -
alt)``, ``alt`` the saving from the buyer's fallback (0 for ground). :func:`nash_price` finds the
root of the first-order condition by vectorised false position (Illinois). With inelastic
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


def _foc(b: LaunchBuyers, i, o, w8, w, alt, kd=0.0, ku=0.0) -> np.ndarray:
    """The Nash first-order condition ``b G_U' G_D + (1 - b) G_D' G_U`` divided by the positive
    ``s^2`` (``s`` the orbital share) so it stays of order one far above parity: positive below
    the Nash price, negative above (and at the fallback price, where ``G_D`` vanishes).
    ``alt`` is the buyer's saving at its fallback price (:func:`saving`; 0 when its fallback
    is ground), so ``G_D`` is the saving over it. With stakes (O'Brien and Salop 2000) the
    buyer's controller maximises ``G_D + kd G_U`` and the seller's ``G_U + ku G_D``; divided
    by ``a t s^2`` (``a`` kg per kW, ``t`` the present-value factor, ``r = a / t``) the
    condition is the stake-free one plus ``kd r u M - ku (m / r) G_D / s``."""
    fixed, m, sigma = b.orbital_fixed_usd_per_kw_year[i], b.slope_per_usd_per_kg, b.sigma
    d = fixed + m * w - b.ground_usd_per_kw_year  # orbit minus ground, USD per kW-year
    e = np.exp(-np.abs(d) / sigma)
    s = np.where(d > 0, e / (1.0 + e), 1.0 / (1.0 + e))  # logit share of orbit
    gd = np.maximum(-d, 0.0) + sigma * np.log1p(e) - alt  # (E(fallback) - E(w)) per kW-year
    # s underflows far above parity: bound the ratio so the products below stay finite
    gd_over_s = np.clip(gd / np.maximum(s, 1e-300), -1e250, 1e250)
    margin = w - o
    u = 1.0 - margin * (1.0 - s) * m / sigma  # G_U' / (a s)
    r = b.kg_per_kw / b.pv_factor
    return (w8 * u * gd_over_s - (1.0 - w8) * m * margin
            + kd * r * u * margin - ku * (m / r) * gd_over_s)  # fmt: skip


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
               ku: np.ndarray | float = 0.0) -> np.ndarray:  # fmt: skip
    """The Nash price of each edge ``(i, o, weight)``: the root of the first-order condition in
    ``[o, w_max]``, by vectorised false position with the Illinois modification (Dowell and
    Jarratt 1971), until no price moves by more than 1e-13. ``alt`` (USD per kW-year, 0 for
    ground) is the buyer's saving from its fallback; ``w_max`` is below the price at which an
    agreement saves no more than that. ``kd`` is the buyer's controller's stake in the seller's
    profit, ``ku`` the seller's controller's in the buyer's (below control; :func:`_foc`): in
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
    f_lo, f_hi = _foc(b, i, o, w8, lo, alt, kd, ku), _foc(b, i, o, w8, hi, alt, kd, ku)
    side = np.zeros(lo.shape)
    w_prev = lo
    for _ in range(_MAX_STEPS):
        denom = f_lo - f_hi  # > 0 while the bracket holds (f_lo > 0 > f_hi)
        t = np.divide(f_lo, denom, out=np.full(lo.shape, 0.5), where=denom > 0)
        w = lo + (hi - lo) * np.clip(t, 0.0, 1.0)
        w = np.clip(w, lo, hi)
        f = _foc(b, i, o, w8, w, alt, kd, ku)
        up = f > 0
        # Illinois: halve the kept end's value when the same end is kept twice running
        f_hi = np.where(up & (side > 0), 0.5 * f_hi, f_hi)
        f_lo = np.where(~up & (side < 0), 0.5 * f_lo, f_lo)
        lo, f_lo = np.where(up, w, lo), np.where(up, f, f_lo)
        hi, f_hi = np.where(up, hi, w), np.where(up, f_hi, f)
        side = np.where(up, 1.0, -1.0)
        if np.all(np.abs(w - w_prev) <= 1e-13 * (1.0 + np.abs(w))):
            break
        w_prev = w
    return np.where((hi > lo) & (f_lo > 0), w, o)

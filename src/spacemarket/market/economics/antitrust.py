"""Antitrust screens: HHI, diversion, GUPPI/UPP, vertical GUPPIs, 2023 Merger Guidelines flags.

Conventions: market shares are fractions in [0, 1] (HHI is reported on the usual 0-10,000
scale); ``owners`` are per-product firm labels; prices and costs are USD per unit. Sources:
Farrell & Shapiro (2010, B.E. J. Theor. Econ. 10(1)) for UPP/GUPPI; Moresi & Salop (2013,
Antitrust L.J. 79(1)) for vertical GUPPIs; U.S. DOJ & FTC Merger Guidelines (2023),
Guidelines 1 and 5, for the presumptions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "MergerScreen",
    "VerticalGUPPIs",
    "delta_hhi",
    "diversion_ratios",
    "foreclosure_share",
    "guppi",
    "hhi",
    "logit_diversion_ratios",
    "merger_guidelines_screen",
    "upward_pricing_pressure",
    "vertical_guppis",
]

HHI_PRESUMPTION = 1800.0  # Guideline 1: post-merger HHI above this ...
DELTA_HHI_PRESUMPTION = 100.0  # ... with a change above this
SHARE_PRESUMPTION = 0.30  # Guideline 1: merged share above 30% (with delta HHI > 100)
FORECLOSURE_PRESUMPTION = 0.50  # Guideline 5: foreclosure share above 50%


def _shares(shares: object) -> np.ndarray:
    s = np.asarray(shares, dtype=float)
    if s.ndim != 1 or s.size == 0 or not np.all(np.isfinite(s)):
        raise ValueError("shares must be a non-empty 1-D array of finite values")
    if np.any(s < 0.0) or np.any(s > 1.0):
        raise ValueError("shares must lie in [0, 1] (fractions, not percent)")
    if s.sum() > 1.0 + 1e-9:
        raise ValueError(f"shares must sum to at most 1, got {s.sum():.12g}")
    return s


def _firm_shares(s: np.ndarray, owners: object | None, name: str) -> np.ndarray:
    if owners is None:
        return s
    labels = np.asarray(owners)
    if labels.shape != s.shape:
        raise ValueError(f"{name} must have shape {s.shape}, got {labels.shape}")
    _, index = np.unique(labels, return_inverse=True)
    return np.bincount(index.reshape(-1), weights=s)


def hhi(shares: object, owners: object | None = None) -> float:
    """Herfindahl-Hirschman index on the 0-10,000 scale.

    Parameters
    ----------
    shares : array_like, shape (J,)
        Market shares in [0, 1] summing to at most 1 (per firm, or per product if ``owners``
        is given).
    owners : array_like, shape (J,), optional
        Firm label per product; product shares are summed by firm first.

    Returns
    -------
    float
        ``sum_f (100 s_f)^2``.

    Examples
    --------
    >>> hhi([0.5, 0.3, 0.2])
    3800.0
    >>> round(hhi([1/3, 1/3, 1/3], owners=["a", "a", "b"]), 1)
    5555.6
    """
    firm = _firm_shares(_shares(shares), owners, "owners")
    return float(np.sum((100.0 * firm) ** 2))


def delta_hhi(shares: object, owners_pre: object, owners_post: object) -> float:
    """HHI change from a change of ownership, holding shares fixed (the standard screen).

    For two merging firms with shares ``s1, s2`` this is ``2 * s1 * s2 * 10_000``.

    Parameters
    ----------
    shares : array_like, shape (J,)
        Product (or firm) shares in [0, 1].
    owners_pre, owners_post : array_like, shape (J,)
        Firm label per product before and after the merger.

    Returns
    -------
    float
        ``HHI_post - HHI_pre`` (0-10,000 scale).

    Examples
    --------
    >>> round(delta_hhi([1/3, 1/3, 1/3], [0, 1, 2], [0, 0, 2]), 1)
    2222.2
    """
    return hhi(shares, owners_post) - hhi(shares, owners_pre)


def diversion_ratios(jacobian: object) -> np.ndarray:
    """Diversion ratios from a share (or quantity) price Jacobian.

    ``D[j, k] = -(ds_k/dp_j) / (ds_j/dp_j)``: the fraction of the sales product ``j`` loses
    when its price rises that go to product ``k``. The diagonal is set to 0; diversion to the
    outside good is ``1 - D.sum(axis=1)``.

    Parameters
    ----------
    jacobian : array_like, shape (J, J)
        ``jacobian[j, k] = ds_j/dp_k`` (as returned by the demand modules), negative diagonal.

    Returns
    -------
    numpy.ndarray, shape (J, J)
        Dimensionless.

    Examples
    --------
    >>> from spacemarket.market.economics.demand_logit import logit_jacobian
    >>> d = diversion_ratios(logit_jacobian([1.0, 1.0], 1.0, [1.0, 1.0]))
    >>> d.round(6).tolist()   # logit: s_k / (1 - s_j) = (1/3) / (2/3)
    [[0.0, 0.5], [0.5, 0.0]]
    """
    jac = np.asarray(jacobian, dtype=float)
    if jac.ndim != 2 or jac.shape[0] != jac.shape[1] or not np.all(np.isfinite(jac)):
        raise ValueError("jacobian must be a finite square (J, J) array")
    own = np.diag(jac)
    if np.any(own >= 0.0):
        raise ValueError("jacobian must have a strictly negative diagonal (downward demand)")
    d = -jac.T / own[:, None]
    np.fill_diagonal(d, 0.0)
    return d


def logit_diversion_ratios(shares: object) -> np.ndarray:
    """Closed-form logit diversion ratios ``D[j, k] = s_k / (1 - s_j)`` (diagonal 0).

    Parameters
    ----------
    shares : array_like, shape (J,)
        Logit inside shares (fractions of the market including the outside good).

    Returns
    -------
    numpy.ndarray, shape (J, J)
        Dimensionless.

    Examples
    --------
    >>> round(float(logit_diversion_ratios([0.15912029] * 3)[0, 1]), 5)
    0.18923
    """
    s = _shares(shares)
    if np.any(s >= 1.0):
        raise ValueError("shares must be < 1 for logit diversion")
    d = s[None, :] / (1.0 - s[:, None])
    np.fill_diagonal(d, 0.0)
    return d


def _merger_partners(owners_pre: object, owners_post: object, size: int) -> np.ndarray:
    pre, post = np.asarray(owners_pre), np.asarray(owners_post)
    if pre.shape != (size,) or post.shape != (size,):
        raise ValueError(f"owners_pre and owners_post must have shape ({size},)")
    return (post[:, None] == post[None, :]) & (pre[:, None] != pre[None, :])


def _pricing_inputs(
    diversion: object, prices: object, marginal_costs: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = np.asarray(diversion, dtype=float)
    p = np.asarray(prices, dtype=float)
    c = np.asarray(marginal_costs, dtype=float)
    size = p.size
    if d.shape != (size, size) or c.shape != (size,) or p.shape != (size,):
        raise ValueError("diversion must be (J, J) and prices, marginal_costs (J,)")
    if not (np.all(np.isfinite(d)) and np.all(np.isfinite(p)) and np.all(np.isfinite(c))):
        raise ValueError("diversion, prices and marginal_costs must be finite")
    if np.any(p <= 0.0):
        raise ValueError("prices must be > 0")
    return d, p, c


def guppi(
    diversion: object,
    prices: object,
    marginal_costs: object,
    owners_pre: object,
    owners_post: object,
) -> np.ndarray:
    """Gross upward pricing pressure index per product (Farrell & Shapiro 2010; Salop-Moresi).

    ``GUPPI_j = sum_{k newly co-owned with j} D[j, k] (p_k - c_k) / p_j``.

    Parameters
    ----------
    diversion : array_like, shape (J, J)
        Diversion ratios ``D[j, k]`` (see :func:`diversion_ratios`).
    prices, marginal_costs : array_like, shape (J,)
        Pre-merger prices and marginal costs, USD per unit.
    owners_pre, owners_post : array_like, shape (J,)
        Firm label per product before and after the merger.

    Returns
    -------
    numpy.ndarray, shape (J,)
        Fraction of own price (0 for products not involved in the merger).

    Examples
    --------
    Reference check 10 (three logit firms, firms 0 and 1 merge):

    >>> d = logit_diversion_ratios([0.15912029] * 3)
    >>> guppi(d, [2.18923074] * 3, [1.0] * 3, [0, 1, 2], [0, 0, 2]).round(4).tolist()
    [0.1028, 0.1028, 0.0]
    """
    d, p, c = _pricing_inputs(diversion, prices, marginal_costs)
    partners = _merger_partners(owners_pre, owners_post, p.size)
    return (partners * d) @ (p - c) / p


def upward_pricing_pressure(
    diversion: object,
    prices: object,
    marginal_costs: object,
    owners_pre: object,
    owners_post: object,
    efficiencies: object = 0.0,
) -> np.ndarray:
    """Upward pricing pressure per product (Farrell & Shapiro 2010).

    ``UPP_j = sum_{k newly co-owned with j} D[j, k] (p_k - c_k) - E_j c_j``.

    Parameters
    ----------
    diversion, prices, marginal_costs, owners_pre, owners_post
        As in :func:`guppi`.
    efficiencies : float or array_like, shape (J,), default 0
        Merger-specific proportional marginal-cost reduction ``E_j`` (fraction).

    Returns
    -------
    numpy.ndarray, shape (J,)
        USD per unit; positive means net upward pressure on price.

    Examples
    --------
    >>> upward_pricing_pressure([[0, 0.2], [0.2, 0]], [10.0, 10.0], [6.0, 6.0],
    ...                         [0, 1], [0, 0], efficiencies=0.1).round(10).tolist()
    [0.2, 0.2]
    """
    d, p, c = _pricing_inputs(diversion, prices, marginal_costs)
    e = np.broadcast_to(np.asarray(efficiencies, dtype=float), p.shape)
    if not np.all(np.isfinite(e)):
        raise ValueError("efficiencies must be finite")
    partners = _merger_partners(owners_pre, owners_post, p.size)
    return (partners * d) @ (p - c) - e * c


@dataclass(frozen=True)
class VerticalGUPPIs:
    """Moresi-Salop (2013) vertical GUPPIs.

    Attributes
    ----------
    vguppi_u : float
        Upstream incentive to raise the rival's input price, per dollar of the rival's input
        cost ``W_R`` (fraction of ``W_R``).
    vguppi_r : float
        Implied proportional price rise of the downstream rival (fraction of ``P_R``).
    vguppi_d : float
        Merged downstream firm's incentive to raise its own price from recaptured upstream
        margin (fraction of ``P_D``), before any EDM offset.
    edm_offset : float or None
        ``(W_D - MC_U) / P_D``, the offsetting elimination of double marginalisation on D's own
        input (fraction of ``P_D``); ``None`` unless both inputs were given.
    """

    vguppi_u: float
    vguppi_r: float
    vguppi_d: float
    edm_offset: float | None = None


def vertical_guppis(
    diversion_r_to_d: float,
    margin_d: float,
    price_d: float,
    input_price_r: float,
    passthrough_r: float,
    price_r: float,
    diversion_d_to_r: float,
    upstream_margin: float,
    *,
    input_price_d: float | None = None,
    upstream_marginal_cost: float | None = None,
) -> VerticalGUPPIs:
    """Vertical GUPPIs of Moresi & Salop (2013, Antitrust L.J. 79(1):185-214).

    For an upstream merging firm U, a downstream merging firm D, and a downstream rival R that
    buys U's input (one input unit per unit of output: express input prices per unit of
    downstream output):

    * ``vGUPPI_u = DR_{R->D} * M_D * P_D / W_R``
    * ``vGUPPI_r = PT_R * vGUPPI_u * W_R / P_R``
    * ``vGUPPI_d = DR_{D->R} * M_U * W_R / P_D``
    * EDM offset ``(W_D - MC_U) / P_D`` (when ``input_price_d`` and ``upstream_marginal_cost``
      are given).

    Parameters
    ----------
    diversion_r_to_d : float
        ``DR_{R->D}``, share of R's lost unit sales captured by D, in [0, 1].
    margin_d : float
        ``M_D = (P_D - C_D)/P_D``, D's percentage margin.
    price_d : float
        ``P_D``, USD per unit (``> 0``).
    input_price_r : float
        ``W_R``, R's input price per unit of R's output, USD (``> 0``).
    passthrough_r : float
        ``PT_R``, R's pass-through of its input cost to its price (dimensionless).
    price_r : float
        ``P_R``, USD per unit (``> 0``).
    diversion_d_to_r : float
        ``DR_{D->R}`` in [0, 1].
    upstream_margin : float
        ``M_U = (W_R - MC_U)/W_R``, U's percentage margin on the input sold to R.
    input_price_d, upstream_marginal_cost : float, optional
        ``W_D`` (pre-merger input price paid by D) and ``MC_U``, USD per unit of output.

    Returns
    -------
    VerticalGUPPIs

    Examples
    --------
    Reference check 16:

    >>> v = vertical_guppis(0.4, 0.5, 20.0, 10.0, 0.5, 20.0, 0.25, 0.5)
    >>> round(v.vguppi_u, 12), round(v.vguppi_r, 12), round(v.vguppi_d, 12)
    (0.4, 0.1, 0.0625)
    """
    values = {
        "diversion_r_to_d": diversion_r_to_d,
        "margin_d": margin_d,
        "price_d": price_d,
        "input_price_r": input_price_r,
        "passthrough_r": passthrough_r,
        "price_r": price_r,
        "diversion_d_to_r": diversion_d_to_r,
        "upstream_margin": upstream_margin,
    }
    for name, value in values.items():
        if not np.isfinite(float(value)):
            raise ValueError(f"{name} must be finite")
    for name in ("price_d", "input_price_r", "price_r"):
        if float(values[name]) <= 0.0:
            raise ValueError(f"{name} must be > 0")
    for name in ("diversion_r_to_d", "diversion_d_to_r"):
        if not 0.0 <= float(values[name]) <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1]")
    u = diversion_r_to_d * margin_d * price_d / input_price_r
    edm = None
    if (input_price_d is None) != (upstream_marginal_cost is None):
        raise ValueError("input_price_d and upstream_marginal_cost must be given together")
    if input_price_d is not None and upstream_marginal_cost is not None:
        edm = (float(input_price_d) - float(upstream_marginal_cost)) / price_d
    return VerticalGUPPIs(
        vguppi_u=float(u),
        vguppi_r=float(passthrough_r * u * input_price_r / price_r),
        vguppi_d=float(diversion_d_to_r * upstream_margin * input_price_r / price_d),
        edm_offset=edm,
    )


def foreclosure_share(sales: object, dependence: object) -> float:
    """Share of the relevant market that the merged firm could foreclose (Guideline 5).

    Operationalised as the sales-weighted share of the relevant market accounted for by rivals'
    dependence on the related product (input) the merged firm controls:
    ``sum_j dependence_j sales_j / sum_j sales_j``. The 2023 Merger Guidelines treat a
    foreclosure share above 50% as sufficient on its own (subject to rebuttal); the exact
    Guidelines wording should be checked before quoting it in user-facing text.

    Parameters
    ----------
    sales : array_like, shape (J,)
        Sales per product in the relevant market (units or USD, consistently), ``>= 0``.
    dependence : array_like, shape (J,)
        Fraction of product ``j``'s related input obtained from the merged firm, in [0, 1]
        (0 for the merged firm's own products).

    Returns
    -------
    float
        Fraction in [0, 1].

    Examples
    --------
    >>> foreclosure_share([40.0, 35.0, 25.0], [0.0, 1.0, 0.6])
    0.5
    """
    q = np.asarray(sales, dtype=float)
    w = np.asarray(dependence, dtype=float)
    if q.ndim != 1 or q.shape != w.shape or q.size == 0:
        raise ValueError("sales and dependence must be 1-D arrays of the same shape")
    if not (np.all(np.isfinite(q)) and np.all(q >= 0.0)) or q.sum() <= 0.0:
        raise ValueError("sales must be finite, >= 0 and not all zero")
    if not np.all((w >= 0.0) & (w <= 1.0)):
        raise ValueError("dependence must lie in [0, 1]")
    return float(np.dot(q, w) / q.sum())


@dataclass(frozen=True)
class MergerScreen:
    """2023 Merger Guidelines structural presumptions (flags, not legal conclusions).

    Attributes
    ----------
    hhi_pre, hhi_post, delta_hhi : float
        0-10,000 scale.
    merged_share : float
        Largest post-merger share of a firm formed by the merger (fraction; 0 if none).
    hhi_presumption : bool
        Guideline 1: ``hhi_post > 1800`` and ``delta_hhi > 100``.
    share_presumption : bool
        Guideline 1: ``merged_share > 0.30`` and ``delta_hhi > 100``.
    foreclosure_presumption : bool
        Guideline 5: foreclosure share ``> 0.50`` (False when not supplied).
    """

    hhi_pre: float
    hhi_post: float
    delta_hhi: float
    merged_share: float
    hhi_presumption: bool
    share_presumption: bool
    foreclosure_presumption: bool

    @property
    def any_presumption(self) -> bool:
        """True if any presumption is triggered."""
        return self.hhi_presumption or self.share_presumption or self.foreclosure_presumption


def merger_guidelines_screen(
    shares: object,
    owners_pre: object,
    owners_post: object,
    foreclosure: float | None = None,
) -> MergerScreen:
    """Apply the 2023 Merger Guidelines presumptions (Guidelines 1 and 5).

    Parameters
    ----------
    shares : array_like, shape (J,)
        Product shares in [0, 1] in the relevant market.
    owners_pre, owners_post : array_like, shape (J,)
        Firm label per product before and after the merger.
    foreclosure : float, optional
        Foreclosure share in [0, 1] (see :func:`foreclosure_share`).

    Returns
    -------
    MergerScreen

    Examples
    --------
    >>> screen = merger_guidelines_screen([1/3, 1/3, 1/3], [0, 1, 2], [0, 0, 2])
    >>> screen.hhi_presumption, screen.share_presumption, round(screen.merged_share, 4)
    (True, True, 0.6667)
    """
    s = _shares(shares)
    pre, post = np.asarray(owners_pre), np.asarray(owners_post)
    pre_hhi, post_hhi = hhi(s, pre), hhi(s, post)
    change = post_hhi - pre_hhi
    merged = 0.0
    for label in np.unique(post):
        members = post == label
        if np.unique(pre[members]).size > 1:
            merged = max(merged, float(s[members].sum()))
    if foreclosure is not None and not 0.0 <= float(foreclosure) <= 1.0:
        raise ValueError("foreclosure must lie in [0, 1]")
    return MergerScreen(
        hhi_pre=pre_hhi,
        hhi_post=post_hhi,
        delta_hhi=change,
        merged_share=merged,
        hhi_presumption=post_hhi > HHI_PRESUMPTION and change > DELTA_HHI_PRESUMPTION,
        share_presumption=merged > SHARE_PRESUMPTION and change > DELTA_HHI_PRESUMPTION,
        foreclosure_presumption=foreclosure is not None
        and float(foreclosure) > FORECLOSURE_PRESUMPTION,
    )

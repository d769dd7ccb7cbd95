"""Vertical and merger-guideline screens: Moresi-Salop vGUPPIs, foreclosure share, 2023 MG flags.

Conventions as in :mod:`.antitrust`: shares are fractions in [0, 1], HHI on the 0-10,000
scale, ``owners`` per-product firm labels, prices and costs USD per unit. Sources: Moresi &
Salop (2013, Antitrust L.J. 79(1)) for vertical GUPPIs; U.S. DOJ & FTC Merger Guidelines
(2023), Guidelines 1 and 5, for the presumptions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spacemarket.market.economics.antitrust import hhi

__all__ = [
    "MergerScreen",
    "VerticalGUPPIs",
    "foreclosure_share",
    "merger_guidelines_screen",
    "vertical_guppis",
]

HHI_PRESUMPTION = 1800.0  # Guideline 1: post-merger HHI above this ...
DELTA_HHI_PRESUMPTION = 100.0  # ... with a change above this
SHARE_PRESUMPTION = 0.30  # Guideline 1: merged share above 30% (with delta HHI > 100)
FORECLOSURE_PRESUMPTION = 0.50  # Guideline 5: foreclosure share above 50%


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
    The Moresi-Salop formulas on made-up inputs, by hand ``vGUPPI_u = 0.4 * 0.5 * 20 / 10 =
    0.4``, ``vGUPPI_r = 0.5 * 0.4 * 10 / 20 = 0.1``, ``vGUPPI_d = 0.25 * 0.5 * 10 / 20 =
    0.0625``:

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
    pre, post = np.asarray(owners_pre), np.asarray(owners_post)
    pre_hhi, post_hhi = hhi(shares, pre), hhi(shares, post)  # validates shares and owners
    s = np.asarray(shares, dtype=float)
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

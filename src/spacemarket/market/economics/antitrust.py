"""Horizontal antitrust screens: HHI, diversion ratios, GUPPI and upward pricing pressure.

Conventions: market shares are fractions in [0, 1] (HHI is reported on the usual 0-10,000
scale); ``owners`` are per-product firm labels; prices and costs are USD per unit. Sources:
Farrell & Shapiro (2010, B.E. J. Theor. Econ. 10(1)) for UPP/GUPPI. Vertical GUPPIs,
foreclosure shares and the 2023 Merger Guidelines presumptions are in :mod:`.merger_screens`.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "delta_hhi",
    "diversion_ratios",
    "guppi",
    "hhi",
    "logit_diversion_ratios",
    "upward_pricing_pressure",
]


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
    Three single-product logit firms, ``u = 1 - p``, ``c = 1``, firms 0 and 1 merge (the case of
    :func:`~spacemarket.market.economics.bertrand.solve_prices`); by hand, ``D_01 = s / (1 - s)
    = 0.18923`` and ``GUPPI = 0.18923 * 1.18923 / 2.18923 = 0.1028``:

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

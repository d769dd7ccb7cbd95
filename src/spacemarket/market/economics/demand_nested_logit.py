"""One-level nested logit demand with an outside good (Berry 1994; Cardell 1997).

Products are partitioned into nests ``g`` (e.g. terrestrial vs orbital compute). Utility of
consumer ``i`` for product ``j`` in nest ``g`` is
``delta_j - alpha p_j + zeta_ig(rho_g) + rho_g eps_ij``; the outside good has utility 0 and
sits alone. ``rho_g`` in (0, 1] is the *nesting (dissimilarity, inclusive-value) parameter*:
``rho = 1`` is plain logit, ``rho -> 0`` makes products in a nest perfect substitutes.

.. note::
   Berry (1994) and pyblp write ``sigma = 1 - rho`` (their ``rho`` is our ``1 - rho``:
   0 means logit there). Convert when comparing.

With ``V_j = delta_j - alpha p_j``, ``D_g = sum_{k in g} exp(V_k / rho_g)`` and the nest
inclusive value ``I_g = rho_g log D_g``:

    s_{j|g} = exp(V_j / rho_g) / D_g,      s_g = exp(I_g) / (1 + sum_h exp(I_h)),
    s_j = s_{j|g} s_g,
    ds_j/dp_k = -alpha s_j / rho_g 1{j=k} + alpha s_j s_k
                + alpha (1 - rho_g)/rho_g 1{g(j)=g(k)} s_{j|g} s_k,

and consumer surplus per consumer is ``(1/alpha) log(1 + sum_g exp(I_g))`` (McFadden 1978).
All sums use log-sum-exp. Units as in :mod:`.demand_logit` (alpha in 1/USD, prices in USD).
"""

from __future__ import annotations

import numpy as np

from spacemarket.market.economics.demand_logit import check_alpha, utilities

__all__ = [
    "nested_logit_consumer_surplus",
    "nested_logit_jacobian",
    "nested_logit_lambda_gamma",
    "nested_logit_shares",
]


def nest_structure(nest_ids: object, rho: object, n_products: int) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``nest_ids`` and ``rho``; return nest index per product and rho per nest.

    Package-internal (also used by :func:`~.bertrand.solve_prices`); not in ``__all__``.
    """
    ids = np.asarray(nest_ids)
    if ids.shape != (n_products,):
        raise ValueError(f"nest_ids must have shape ({n_products},), got {ids.shape}")
    _, index = np.unique(ids, return_inverse=True)
    n_nests = int(index.max()) + 1
    rho_arr = np.asarray(rho, dtype=float)
    if rho_arr.ndim == 0:
        rho_arr = np.full(n_nests, float(rho_arr))
    if rho_arr.shape != (n_nests,):
        raise ValueError(
            f"rho must be a scalar or have one entry per nest (sorted unique nest_ids), "
            f"shape ({n_nests},); got shape {rho_arr.shape}"
        )
    if not np.all(np.isfinite(rho_arr)) or np.any(rho_arr <= 0.0) or np.any(rho_arr > 1.0):
        raise ValueError(f"rho (nesting parameter) must lie in (0, 1], got {rho_arr.tolist()}")
    return index.reshape(-1), rho_arr


def _grouped_logsumexp(values: np.ndarray, index: np.ndarray, n_groups: int) -> np.ndarray:
    """``log sum_{j in g} exp(values_j)`` for every group ``g`` at once (no Python loop).

    Stabilised like :func:`scipy.special.logsumexp`: with ``a_g`` the group maximum and
    ``m_g`` the number of entries equal to it, ``a_g + log m_g + log1p(t_g / m_g)`` where
    ``t_g = sum_{j in g, values_j < a_g} exp(values_j - a_g)``, so nothing overflows and a
    dominant entry keeps full precision. Groups whose maximum is not finite (e.g. empty
    groups) return that maximum.
    """
    top = np.full(n_groups, -np.inf)
    np.maximum.at(top, index, values)
    finite = np.isfinite(top)
    shift = np.where(finite, top, 0.0)
    at_max = values == top[index]
    tail = np.bincount(index, np.where(at_max, 0.0, np.exp(values - shift[index])), n_groups)
    count = np.bincount(index, at_max, n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):  # only in non-finite groups
        out = np.log1p(tail / count) + np.log(count) + shift
    return np.where(finite, out, top)


def _log_components(
    u: np.ndarray, index: np.ndarray, rho_nest: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """Return log within-nest shares, nest inclusive values ``I_g`` and log denominator."""
    scaled = u / rho_nest[index]
    log_d = _grouped_logsumexp(scaled, index, rho_nest.size)
    inclusive = rho_nest * log_d
    outer = np.concatenate(([0.0], inclusive))  # the outside good, utility 0, and the nests
    log_denominator = float(_grouped_logsumexp(outer, np.zeros(outer.size, int), 1)[0])
    return scaled - log_d[index], inclusive, log_denominator


def nested_core(
    u: np.ndarray, alpha: float, index: np.ndarray, rho_nest: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shares and share-scaled Morrow-Skerlos blocks (see ``demand_logit.logit_core``).

    Package-internal kernel of the price solver, no validation; not in ``__all__``.
    """
    log_within, inclusive, log_denominator = _log_components(u, index, rho_nest)
    within = np.exp(log_within)
    shares = np.exp(log_within + inclusive[index] - log_denominator)
    rho_j = rho_nest[index]
    same_nest = index[:, None] == index[None, :]
    lambda_over_s = -alpha / rho_j
    column = -alpha * shares - alpha * (1.0 - rho_j) / rho_j * within
    gamma_over_s = np.where(same_nest, column[:, None], (-alpha * shares)[:, None])
    return shares, lambda_over_s, gamma_over_s


def nested_logit_lambda_gamma(
    mean_utilities: object, alpha: float, prices: object, nest_ids: object, rho: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Morrow-Skerlos decomposition ``ds/dp = diag(Lambda) - Gamma`` for nested logit.

    ``Lambda_jj = -alpha s_j / rho_g`` and
    ``Gamma_jk = -alpha s_j s_k - alpha (1 - rho_g)/rho_g 1{same nest} s_{j|g} s_k``
    (Morrow & Skerlos 2011, Oper. Res. 59(2); the same split pyblp uses, Conlon & Gortmaker
    2020).

    Parameters
    ----------
    mean_utilities : array_like, shape (J,)
        Mean utilities ``delta_j`` (utils).
    alpha : float
        Price sensitivity, 1/USD (``> 0``).
    prices : array_like, shape (J,)
        Prices, USD per unit.
    nest_ids : array_like, shape (J,)
        Nest label of each product (any sortable labels).
    rho : float or array_like, shape (G,)
        Nesting parameter(s) in (0, 1], one per nest in sorted order of the unique labels.

    Returns
    -------
    shares : numpy.ndarray, shape (J,)
    lambda_diag : numpy.ndarray, shape (J,)
        Share per USD.
    gamma : numpy.ndarray, shape (J, J)
        Share per USD.

    Examples
    --------
    >>> args = ([1.0, 0.5, 0.2], 1.0, [1.0, 1.0, 1.0], [0, 0, 1], 0.6)
    >>> s, lam, gam = nested_logit_lambda_gamma(*args)
    >>> bool(np.allclose(np.diag(lam) - gam, nested_logit_jacobian(*args)))
    True
    """
    alpha = check_alpha(alpha)
    u = utilities(mean_utilities, alpha, prices)
    index, rho_nest = nest_structure(nest_ids, rho, u.size)
    s, lambda_over_s, gamma_over_s = nested_core(u, alpha, index, rho_nest)
    return s, lambda_over_s * s, gamma_over_s * s[None, :]


def nested_logit_shares(
    mean_utilities: object, alpha: float, prices: object, nest_ids: object, rho: object
) -> np.ndarray:
    """Nested-logit market shares (Berry 1994; Cardell 1997).

    Parameters
    ----------
    mean_utilities : array_like, shape (J,)
        Mean utilities ``delta_j`` (utils).
    alpha : float
        Price sensitivity, 1/USD (``> 0``).
    prices : array_like, shape (J,)
        Prices, USD per unit.
    nest_ids : array_like, shape (J,)
        Nest label of each product.
    rho : float or array_like, shape (G,)
        Nesting parameter(s) in (0, 1]; 1 is plain logit.

    Returns
    -------
    numpy.ndarray, shape (J,)
        Inside-good shares (fractions of market size).

    Examples
    --------
    >>> s = nested_logit_shares([1.0, 1.0], 1.0, [1.0, 1.0], [0, 0], 0.5)
    >>> s.round(6).tolist()   # two identical products: s_g = 2**0.5 / (1 + 2**0.5)
    [0.292893, 0.292893]
    >>> bool(np.allclose(nested_logit_shares([1.0, 0.0], 1.0, [0.5, 0.2], [0, 1], 0.3),
    ...                  nested_logit_shares([1.0, 0.0], 1.0, [0.5, 0.2], [0, 0], 1.0)))
    True
    """
    return nested_logit_lambda_gamma(mean_utilities, alpha, prices, nest_ids, rho)[0]


def nested_logit_jacobian(
    mean_utilities: object, alpha: float, prices: object, nest_ids: object, rho: object
) -> np.ndarray:
    """Price Jacobian of nested-logit shares.

    Parameters
    ----------
    mean_utilities, alpha, prices, nest_ids, rho
        As in :func:`nested_logit_shares`.

    Returns
    -------
    numpy.ndarray, shape (J, J)
        ``jac[j, k] = ds_j/dp_k`` in share per USD.

    Examples
    --------
    >>> jac = nested_logit_jacobian([1.0, 1.0], 1.0, [1.0, 1.0], [0, 0], 0.5)
    >>> bool(jac[0, 0] < 0 < jac[0, 1])
    True
    """
    _, lambda_diag, gamma = nested_logit_lambda_gamma(mean_utilities, alpha, prices, nest_ids, rho)
    return np.diag(lambda_diag) - gamma


def nested_logit_consumer_surplus(
    mean_utilities: object,
    alpha: float,
    prices: object,
    nest_ids: object,
    rho: object,
    market_size: float = 1.0,
) -> float:
    """Nested-logit consumer surplus from the inclusive value (McFadden 1978).

    ``CS = market_size * (1/alpha) * log(1 + sum_g exp(rho_g log sum_{j in g}
    exp(V_j / rho_g)))``; the additive constant is normalised to 0.

    Parameters
    ----------
    mean_utilities, alpha, prices, nest_ids, rho
        As in :func:`nested_logit_shares`.
    market_size : float, default 1.0
        Number of consumers (``>= 0``).

    Returns
    -------
    float
        Consumer surplus, USD (total over ``market_size`` consumers).

    Examples
    --------
    >>> from spacemarket.market.economics.demand_logit import logit_consumer_surplus
    >>> cs = nested_logit_consumer_surplus([1.0, 0.5], 2.0, [0.3, 0.1], [0, 0], 1.0)
    >>> bool(np.isclose(cs, logit_consumer_surplus([1.0, 0.5], 2.0, [0.3, 0.1])))
    True
    """
    alpha = check_alpha(alpha)
    u = utilities(mean_utilities, alpha, prices)
    index, rho_nest = nest_structure(nest_ids, rho, u.size)
    market_size = float(market_size)
    if not np.isfinite(market_size) or market_size < 0.0:
        raise ValueError(f"market_size must be finite and >= 0, got {market_size}")
    _, _, log_denominator = _log_components(u, index, rho_nest)
    return market_size * log_denominator / alpha

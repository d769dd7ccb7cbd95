"""Multinomial logit demand with an outside good.

Each consumer buys at most one unit. Product ``j`` gives mean utility
``u_j = delta_j - alpha * p_j`` plus an i.i.d. type-I extreme-value taste shock; the outside
good (not buying, or buying outside the modelled market) has utility normalised to 0. Market
shares are

    s_j = exp(u_j) / (1 + sum_k exp(u_k)),

the price Jacobian is ``ds_j/dp_k = -alpha * s_j * (1{j=k} - s_k)`` and consumer surplus per
consumer is the inclusive value ``(1/alpha) * log(1 + sum_k exp(u_k))`` (Small & Rosen 1981;
McFadden 1974), up to an additive constant that cancels in every welfare comparison.

Units: prices and mean utilities must be consistent: ``alpha`` is in 1/USD (utils per USD of
price), ``delta`` in utils, prices in USD per unit; shares are fractions of the market size
(number of consumers). Everything is computed with log-sum-exp so large utilities neither
overflow nor underflow.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "log_one_plus_sum_exp",
    "logit_consumer_surplus",
    "logit_jacobian",
    "logit_lambda_gamma",
    "logit_shares",
]


def _as_vector(name: str, value: object) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def check_alpha(alpha: float) -> float:
    """Validated price sensitivity, 1/USD (package-internal; not in ``__all__``)."""
    alpha = float(alpha)
    if not np.isfinite(alpha) or alpha <= 0.0:
        raise ValueError(f"alpha (price sensitivity, 1/USD) must be finite and > 0, got {alpha}")
    return alpha


def utilities(mean_utilities: object, alpha: float, prices: object) -> np.ndarray:
    """Validated ``delta - alpha p``, utils (package-internal; not in ``__all__``)."""
    delta = _as_vector("mean_utilities", mean_utilities)
    p = _as_vector("prices", prices)
    if p.shape != delta.shape:
        raise ValueError(f"prices has shape {p.shape} but mean_utilities has shape {delta.shape}")
    return delta - check_alpha(alpha) * p


def logit_shares(mean_utilities: object, alpha: float, prices: object) -> np.ndarray:
    """Logit market shares with an outside good of utility 0.

    Parameters
    ----------
    mean_utilities : array_like, shape (J,)
        Mean utilities ``delta_j`` (utils) before price.
    alpha : float
        Price sensitivity, 1/USD (``> 0``).
    prices : array_like, shape (J,)
        Prices, USD per unit.

    Returns
    -------
    numpy.ndarray, shape (J,)
        Inside-good shares ``s_j`` (fractions of market size); ``1 - sum(s)`` is the outside
        share. Computed as ``exp(u_j - logsumexp([0, u]))`` so it is stable for any finite
        utilities.

    Examples
    --------
    >>> s = logit_shares([1.0, 1.0], 1.0, [1.0, 1.0])
    >>> s.round(6).tolist()
    [0.333333, 0.333333]
    """
    u = utilities(mean_utilities, alpha, prices)
    log_denominator = log_one_plus_sum_exp(u)
    return np.exp(u - log_denominator)


def logit_jacobian(mean_utilities: object, alpha: float, prices: object) -> np.ndarray:
    """Price Jacobian of logit shares.

    Parameters
    ----------
    mean_utilities : array_like, shape (J,)
        Mean utilities ``delta_j`` (utils).
    alpha : float
        Price sensitivity, 1/USD (``> 0``).
    prices : array_like, shape (J,)
        Prices, USD per unit.

    Returns
    -------
    numpy.ndarray, shape (J, J)
        ``jac[j, k] = ds_j/dp_k = -alpha * s_j * (1{j=k} - s_k)``, in share per USD.

    Examples
    --------
    >>> jac = logit_jacobian([0.0], 2.0, [0.0])   # s = 1/2
    >>> float(jac[0, 0])
    -0.5
    """
    alpha = check_alpha(alpha)
    s = logit_shares(mean_utilities, alpha, prices)
    return alpha * np.outer(s, s) - np.diag(alpha * s)


def log_one_plus_sum_exp(u: np.ndarray) -> float:
    """``log(1 + sum_j exp(u_j))`` for utilities ``u`` of shape (J,), stabilized by the maximum.

    The logit denominator with an outside good of utility 0.

    The same value as ``scipy.special.logsumexp(np.concatenate(([0.0], u)))`` for a 1-D
    ``u`` without its generic overhead, which dominated the price solver's profile.
    """
    m = max(0.0, float(u.max())) if u.size else 0.0
    return m + math.log(math.exp(-m) + float(np.exp(u - m).sum()))


def logit_core(u: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shares and the share-scaled Morrow-Skerlos blocks, from utilities (no validation).

    Package-internal kernel of the price solver (:mod:`.bertrand_fixed_point`); not in
    ``__all__``.

    Returns ``(s, lambda_over_s, gamma_over_s)`` with ``Lambda_jj = lambda_over_s[j] * s_j``
    and ``Gamma_jk = gamma_over_s[j, k] * s_k``. Dividing out ``s_k`` analytically keeps the
    zeta-markup step finite even when a share underflows.
    """
    s = np.exp(u - log_one_plus_sum_exp(u))
    return s, np.full_like(s, -alpha), np.repeat((-alpha * s)[:, None], s.size, axis=1)


def logit_lambda_gamma(
    mean_utilities: object, alpha: float, prices: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Morrow-Skerlos decomposition ``ds/dp = diag(Lambda) - Gamma`` for logit demand.

    Morrow & Skerlos (2011, Oper. Res. 59(2)) split the share Jacobian into a diagonal part
    and a dense part; for plain logit ``Lambda_jj = -alpha s_j`` and
    ``Gamma_jk = -alpha s_j s_k`` (Conlon & Gortmaker 2020, RAND 51(4), the notation of
    pyblp). This is the decomposition the Bertrand solver iterates on.

    Parameters
    ----------
    mean_utilities : array_like, shape (J,)
        Mean utilities ``delta_j`` (utils).
    alpha : float
        Price sensitivity, 1/USD (``> 0``).
    prices : array_like, shape (J,)
        Prices, USD per unit.

    Returns
    -------
    shares : numpy.ndarray, shape (J,)
        Logit shares at ``prices``.
    lambda_diag : numpy.ndarray, shape (J,)
        Diagonal of ``Lambda`` (share per USD, negative).
    gamma : numpy.ndarray, shape (J, J)
        ``Gamma`` (share per USD).

    Examples
    --------
    >>> s, lam, gam = logit_lambda_gamma([0.0, 0.0], 1.0, [0.0, 0.0])   # s = (1/3, 1/3)
    >>> bool(np.allclose(np.diag(lam) - gam, logit_jacobian([0.0, 0.0], 1.0, [0.0, 0.0])))
    True
    """
    alpha = check_alpha(alpha)
    s, lambda_over_s, gamma_over_s = logit_core(utilities(mean_utilities, alpha, prices), alpha)
    return s, lambda_over_s * s, gamma_over_s * s[None, :]


def logit_consumer_surplus(
    mean_utilities: object, alpha: float, prices: object, market_size: float = 1.0
) -> float:
    """Logit consumer surplus from the inclusive value (Small & Rosen 1981).

    ``CS = market_size * (1/alpha) * log(1 + sum_k exp(delta_k - alpha p_k))``, computed with
    log-sum-exp. The additive constant of the logit welfare measure is normalised to 0, so
    differences between scenarios (not levels) are the economically meaningful quantity.

    Parameters
    ----------
    mean_utilities : array_like, shape (J,)
        Mean utilities ``delta_j`` (utils).
    alpha : float
        Price sensitivity, 1/USD (``> 0``).
    prices : array_like, shape (J,)
        Prices, USD per unit.
    market_size : float, default 1.0
        Number of consumers (``>= 0``); with the default the result is per consumer.

    Returns
    -------
    float
        Consumer surplus in USD (total over ``market_size`` consumers).

    Examples
    --------
    >>> round(logit_consumer_surplus([1.0, 1.0, 1.0], 1.0, [2.18923074] * 3), 5)
    0.64886
    """
    u = utilities(mean_utilities, alpha, prices)
    market_size = float(market_size)
    if not np.isfinite(market_size) or market_size < 0.0:
        raise ValueError(f"market_size must be finite and >= 0, got {market_size}")
    return market_size * float(log_one_plus_sum_exp(u)) / float(alpha)

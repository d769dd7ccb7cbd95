"""Acquisition price by Nash bargaining against the target's standalone value.

The acquirer values control of the target at ``acquirer_value_usd`` (the target's value to
it, synergies and foreclosure rents included); the target's owners can always keep the firm,
worth ``standalone_value_usd`` to them. Bargaining over the price is a generalized Nash
bargain over the surplus ``acquirer_value - standalone_value`` (Nash 1950; as used for
acquisition prices in structural merger models, e.g. Gowrisankaran 1999 and Jeziorski 2014):

    price = standalone_value + seller_weight * (acquirer_value - standalone_value),

so the price lies between the standalone value and the acquirer's valuation; with no surplus
there is no deal. Control acquired in stages (equity tranches, the reported form of the
Altman-Stoke proposal) is priced tranche by tranche: each tranche buys its fraction of the
firm at the bargained per-share price, and control (kappa > 0.5) arrives with the tranche
that crosses a majority.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from spacemarket.market.economics.bargaining import nash_bargain

__all__ = ["AcquisitionOutcome", "StagedAcquisition", "acquisition_price", "staged_acquisition"]


@dataclass(frozen=True)
class AcquisitionOutcome:
    """Result of :func:`acquisition_price` (USD)."""

    agreement: bool
    price_usd: float | None
    standalone_value_usd: float
    acquirer_value_usd: float
    surplus_usd: float
    acquirer_gain_usd: float
    seller_gain_usd: float


def acquisition_price(
    standalone_value_usd: float, acquirer_value_usd: float, seller_weight: float = 0.5
) -> AcquisitionOutcome:
    """Nash-bargained price of 100 % of a target (USD).

    Parameters
    ----------
    standalone_value_usd : float
        The target's value to its current owners (their disagreement payoff), USD.
    acquirer_value_usd : float
        The target's value to the acquirer under its control, USD.
    seller_weight : float
        Bargaining weight of the target's owners, in [0, 1].

    Examples
    --------
    >>> o = acquisition_price(2e9, 5e9, 0.5)
    >>> o.agreement, o.price_usd / 1e9
    (True, 3.5)
    >>> acquisition_price(2e9, 1.5e9).agreement
    False
    """
    for name, value in (("standalone_value_usd", standalone_value_usd),
                        ("acquirer_value_usd", acquirer_value_usd)):  # fmt: skip
        if not np.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
    if not 0.0 <= seller_weight <= 1.0:
        raise ValueError(f"seller_weight must lie in [0, 1], got {seller_weight!r}")
    surplus = float(acquirer_value_usd) - float(standalone_value_usd)
    # The seller is the first party: its payoff from agreement is the price, from
    # disagreement the standalone value; the buyer's are value - price and 0.
    outcome = nash_bargain(float(acquirer_value_usd), (float(standalone_value_usd), 0.0),
                           seller_weight)  # fmt: skip
    if not bool(outcome.agreement):
        return AcquisitionOutcome(False, None, standalone_value_usd, acquirer_value_usd,
                                  surplus, 0.0, 0.0)  # fmt: skip
    # the split lies in [standalone, acquirer_value] exactly; clamp the last-bit rounding
    price = min(
        max(float(outcome.payoff_1), float(standalone_value_usd)), float(acquirer_value_usd)
    )
    return AcquisitionOutcome(
        True, price, standalone_value_usd, acquirer_value_usd, surplus,
        acquirer_gain_usd=float(acquirer_value_usd) - price,
        seller_gain_usd=price - float(standalone_value_usd),
    )  # fmt: skip


@dataclass(frozen=True)
class StagedAcquisition:
    """Tranches of an acquisition in stages: cumulative stake, cost and control per tranche."""

    stakes: tuple[float, ...]
    tranche_cost_usd: tuple[float, ...]
    total_cost_usd: float
    control_tranche: int | None


def staged_acquisition(
    tranches: Sequence[float],
    standalone_value_usd: float,
    acquirer_value_usd: float,
    seller_weight: float = 0.5,
) -> StagedAcquisition:
    """Price equity tranches (fractions of the firm) at the Nash-bargained per-firm price.

    ``control_tranche`` is the index of the tranche after which the cumulative stake exceeds
    one half (control), or None.

    Examples
    --------
    >>> s = staged_acquisition([0.2, 0.2, 0.2], 2e9, 5e9)
    >>> [round(x, 2) for x in s.stakes], s.control_tranche, round(s.total_cost_usd / 1e9, 2)
    ([0.2, 0.4, 0.6], 2, 2.1)
    """
    steps = np.asarray(tranches, dtype=float)
    if steps.ndim != 1 or steps.size == 0 or np.any(steps <= 0) or steps.sum() > 1 + 1e-12:
        raise ValueError("tranches must be positive fractions summing to at most 1")
    deal = acquisition_price(standalone_value_usd, acquirer_value_usd, seller_weight)
    if not deal.agreement:
        raise ValueError("no agreement: the acquirer values the target below its standalone value")
    stakes = np.cumsum(steps)
    control = next((i for i, x in enumerate(stakes) if x > 0.5), None)
    costs = tuple(float(f * deal.price_usd) for f in steps)
    return StagedAcquisition(tuple(float(x) for x in stakes), costs, float(sum(costs)), control)

"""Stage 1, state update: the quarter's capacity, learning, anomalies and grid queues.

Launch providers learn from and draw anomalies for last quarter's flights (the model's rng),
reset their flows and set this quarter's cadence (plans, entries, stand-downs); compute holders
reset their flows and energize ground capacity whose grid wait is over, and labs fix the
quarter's addition toward the demand the downstream market expects them to serve; the rest of
the market resets its spend.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacemarket.agents import ComputeHolder, LaunchProvider, RestOfMarket

__all__ = ["StateUpdate"]


class StateUpdate:
    """Stage 1 over the model's agents (providers first, in order: they draw from the rng)."""

    def __init__(self, providers: Sequence[LaunchProvider], holders: Sequence[ComputeHolder],
                 rest: RestOfMarket) -> None:  # fmt: skip
        self._providers = list(providers)
        self._holders = list(holders)
        self._rest = rest

    def run(self, q: int) -> None:
        """Update every agent's state for quarter ``q``."""
        for p in self._providers:
            p.learn_and_draw_anomalies()  # last quarter's flights
            p.reset_quarter()
            p.update_capacity(q)
        for holder in self._holders:
            holder.revenue_usd = holder.cost_usd = 0.0
            holder.energize(q)
            if holder.kind == "lab":
                holder.plan_quarter()
        self._rest.spend_usd = self._rest.missions_bought = 0.0

"""Stage 2, structure: who controls whom this quarter (the market graph's control edges).

A control edge ``owner -> firm`` whose start has come and whose weight kappa exceeds 1/2 gives
the owner's controller control of the firm. The edges are the scenario's (committed mode) and
those the players add during the run (endogenous mode: :mod:`.decisions` decides at epochs,
then :meth:`ControlStructure.add`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacemarket.market.scenario.spec import ControlSpec, quarter_index

__all__ = ["ControlStructure", "active_control"]


def active_control(control: Iterable[ControlSpec], q: int) -> dict[tuple[str, str], ControlSpec]:
    """The control records in force in quarter ``q``, by (owner, firm): those whose start has
    come, a later start replacing an earlier record for the same pair (tranches)."""

    def start(c: ControlSpec) -> int:
        return quarter_index(c.start) if c.start else -1

    active: dict[tuple[str, str], ControlSpec] = {}
    for c in sorted((c for c in control if start(c) <= q), key=start):
        active[(c.owner, c.firm)] = c
    return active


class ControlStructure:
    """The controller of every firm, updated each quarter from the scenario's control edges.

    ``controllers`` (firm name -> ultimate controller) is kept across quarters and read by the
    other stages and the metrics.

    >>> from types import SimpleNamespace as Firm
    >>> s = ControlStructure([ControlSpec(owner="Musk", firm="xAI", kappa=1.0, start="2027Q1")])
    >>> firms = [Firm(name="SpaceX", controller="Musk"), Firm(name="xAI", controller="xAI")]
    >>> s.update(firms, quarter_index("2026Q4")); s.controllers["xAI"]
    'xAI'
    >>> s.update(firms, quarter_index("2027Q1")); firms[1].controller
    'Musk'
    """

    def __init__(self, control: Sequence[ControlSpec]) -> None:
        self._control = tuple(control)
        self.controllers: dict[str, str] = {}

    def add(self, record: ControlSpec) -> None:
        """A control edge decided during the run (endogenous mode), in force from its start."""
        self._control = (*self._control, record)

    def update(self, firms: Iterable, q: int) -> None:
        """Apply the edges active in quarter ``q``; set each firm's ``controller``."""
        firms = list(firms)
        for f in firms:
            self.controllers[f.name] = f.controller
        active = [c for c in self._control if not c.start or quarter_index(c.start) <= q]
        for c in active:
            if c.kappa > 0.5:
                owner = self.controllers.get(c.owner, c.owner)
                self.controllers[c.firm] = owner
        for f in firms:
            f.controller = self.controllers[f.name]

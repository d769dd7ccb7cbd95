"""The figure helpers every plot shares: byte-reproducible saving, a frozen layout, year ticks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from spacemarket.experiments.outputs.files import atomic_write

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

# matplotlib is imported inside the helpers, so that ``spacemarket --help`` stays quick

__all__ = ["freeze_layout", "save_figure", "year_ticks"]


def save_figure(fig: Figure, path: str | Path, dpi: int = 130) -> Path:
    """Save atomically as PNG or SVG, byte-reproducibly (no dates, fixed SVG id salt)."""
    import matplotlib

    target = Path(path)
    fmt = target.suffix.lstrip(".")
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context({"svg.hashsalt": "spacemarket"}):
        return atomic_write(
            target, lambda p: fig.savefig(p, format=fmt, dpi=dpi, metadata=metadata)
        )


def freeze_layout(fig: Figure) -> Figure:
    """Solve the figure's constrained layout once, then freeze it.

    Constrained layout re-solves on every draw and creeps by ~1e-4 px per pass, so saving one
    figure twice (PNG, then SVG) would give different bytes.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig


def year_ticks(ax, x_min: float, x_max: float) -> None:
    """Whole years as major ticks; under two years, every quarter labelled (``2023Q2``)."""
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    if x_max - x_min >= 2.0:
        ax.xaxis.set_major_locator(MultipleLocator(1.0))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
        ax.xaxis.set_minor_locator(MultipleLocator(0.25))
    else:
        quarters = np.arange(np.floor(x_min * 4), np.ceil(x_max * 4) + 1).astype(int)
        ax.set_xticks(quarters / 4.0, [f"{q // 4}Q{q % 4 + 1}" for q in quarters])

"""Plot: cost per kW-year against launch price, orbital designs against terrestrial sites."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

__all__ = ["plot_cost_vs_launch_price"]


_TITLES = {
    "full": "Full accounting: IT hardware, spacecraft or facility, launch, power",
    "google": "Suncatcher accounting: launch cost vs electricity spend",
}

#: Reference launch prices marked on the plot, USD/kg, with their source.
REFERENCE_PRICES = (
    (3600.0, "Falcon 9 today (Suncatcher)"),
    (200.0, "Suncatcher threshold"),
)


def plot_cost_vs_launch_price(curves: pd.DataFrame, title: str | None = None) -> Figure:
    """Two panels (full, Google accounting) of USD/kW-year against launch price in USD/kg.

    ``curves`` is :func:`spacemarket.experiments.outputs.cost_tables.cost_curves` output.
    """
    fig = Figure(figsize=(13, 5.2), layout="constrained")  # no pyplot: no global state
    axes = fig.subplots(1, 2)
    styles = ["-", "--", "-."]
    for ax, acc in zip(axes, ("full", "google"), strict=True):
        sub = curves[curves["accounting"] == acc]
        for i, (name, g) in enumerate(sub[sub["kind"] == "orbital"].groupby("name", sort=False)):
            ax.plot(
                g["launch_price_usd_per_kg"],
                g["usd_per_kw_year"],
                styles[i % 3],
                lw=2,
                label=f"orbital: {name}",
            )
        ground = sub[sub["kind"] == "terrestrial"].groupby("name", sort=False)
        for i, (name, g) in enumerate(ground):
            ax.axhline(
                g["usd_per_kw_year"].iloc[0],
                color=f"C{i + 3}",
                lw=1.3,
                ls=":",
                label=f"ground: {name}",
            )
        for price, label in REFERENCE_PRICES:
            ax.axvline(price, color="0.6", lw=0.8)
            ax.annotate(
                label, (price, 1), xycoords=("data", "axes fraction"), rotation=90,
                va="top", ha="right", fontsize=7, color="0.4",
            )  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("launch price to LEO (USD/kg)")
        ax.set_ylabel("cost per kW of IT load per year (USD/kW-year)")
        ax.set_title(_TITLES[acc], fontsize=10)
        ax.grid(True, which="both", alpha=0.25)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle(title or "Orbital vs terrestrial AI compute cost against launch price")
    return fig

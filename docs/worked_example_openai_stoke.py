"""Worked example: OpenAI takes control of Stoke Space (numbers of worked_example_openai_stoke.md).

All parameter values are ILLUSTRATIVE (chosen to make the mechanics visible, loosely anchored
on the sources of docs/references.md where a number exists); they are not a calibration.

Run:  .venv/bin/python docs/worked_example_openai_stoke.py
"""

from __future__ import annotations

import numpy as np

from spacemarket.market.economics.antitrust import diversion_ratios
from spacemarket.market.economics.demand_nested_logit import nested_logit_jacobian
from spacemarket.market.economics.dependency_graph import build_dependency_graph
from spacemarket.market.economics.merger_screens import vertical_guppis
from spacemarket.market.economics.nash_in_nash import NashInNashResult, nash_in_nash
from spacemarket.market.economics.vertical_spot import vertical_outcome

# --- illustrative parameters (units in the names / comments) ---------------------------------
COST_USD_PER_KG = {"SpaceX": 800.0, "Stoke": 1500.0}  # launch marginal cost
# 10 kg/kW (derived from Musk's "1 megaton/year ... 100GW", Benzinga, 7 Dec 2025; aspirational)
# over an assumed 5-year life
KG_PER_KW_YEAR = 2.0
OWN_COST_USD_PER_KW_YEAR = 12_000.0  # compute hardware, bus, operations (assumption)
ALPHA_PER_USD = 1.0 / 4000.0  # price sensitivity, utils per USD per kW-year
MEAN_UTILITY = {"xAI": 4.6, "OpenAI": 4.8, "Google": 4.6}  # utils
STOKE_DISCOUNT = 0.2  # utils: an unproven vehicle (Nova had not flown at t0)
RHO = 0.5  # nesting parameter within a lab's products (same compute, different launcher)
MARKET_SIZE_KW_YEARS = 1_000_000.0  # 1 GW-year of potential orbital-compute demand
WEIGHT = 0.5  # upstream bargaining weight on every launch contract
EDGES = [
    ("SpaceX", "xAI"),
    ("SpaceX", "OpenAI"),
    ("SpaceX", "Google"),
    ("Stoke", "OpenAI"),
    ("Stoke", "Google"),
]


def build_graph(openai_controls_stoke: bool, weight: float = WEIGHT):
    """Five firms; SpaceX controls xAI (merger of Feb 2026); optionally OpenAI controls Stoke."""
    nodes = [
        {"name": "SpaceX", "kind": "launch", "marginal_cost": COST_USD_PER_KG["SpaceX"]},
        {"name": "Stoke", "kind": "launch", "marginal_cost": COST_USD_PER_KG["Stoke"]},
        {"name": "xAI", "kind": "ai_lab"},
        {"name": "OpenAI", "kind": "ai_lab"},
        {"name": "Google", "kind": "cloud"},
    ]
    supply = [
        {"upstream": u, "downstream": d, "input": "launch", "input_units": KG_PER_KW_YEAR}
        | {"contract": "linear", "bargaining_weight": weight, "source": "illustrative"}
        for u, d in EDGES
    ]
    control = [
        {
            "owner": "SpaceX",
            "firm": "xAI",
            "kappa": 1.0,
            "source": "SpaceX acquired xAI, 2 Feb 2026 (Entrepreneur; SlashGear)",
        }
    ]
    if openai_controls_stoke:
        control.append({"owner": "OpenAI", "firm": "Stoke", "kappa": 1.0, "source": "scenario"})
    return build_dependency_graph(nodes, supply, control)


def demand() -> dict:
    out = {}
    for u, d in EDGES:
        delta = MEAN_UTILITY[d] - (STOKE_DISCOUNT if u == "Stoke" else 0.0)
        out[(u, d)] = {"mean_utility": delta, "downstream_cost": OWN_COST_USD_PER_KW_YEAR}
        out[(u, d)]["nest"] = d
    return out


def solve(openai_controls_stoke: bool, weight: float = WEIGHT, **kw) -> NashInNashResult:
    return nash_in_nash(
        build_graph(openai_controls_stoke, weight),
        demand=demand(),
        price_sensitivity=ALPHA_PER_USD,
        market_size=MARKET_SIZE_KW_YEARS,
        rho=RHO,
        **kw,
    )


def lab_average(result: NashInNashResult, values: np.ndarray, lab: str) -> float:
    """Quantity-weighted average of ``values`` over a lab's products."""
    m, q = result.market, result.outcome.quantities
    mask = np.array([name.endswith("->" + lab) for name in m.products]) & (q > 0)
    return float(np.sum(values[mask] * q[mask]) / np.sum(q[mask]))


def stoke_vguppis(pre: NashInNashResult):
    """Moresi-Salop vGUPPIs of the Stoke (U) + OpenAI (D) merger against Google (R) at pre values.

    R = Google's Stoke-launched product; D = OpenAI's products, aggregated with diversion
    weights (``DR_{R->D}`` = sum over OpenAI products, ``M_D P_D`` = diversion-weighted margin).
    Input prices are per kW-year of output (USD/kg times kg per kW-year).
    """
    m, out = pre.market, pre.outcome
    r = m.products.index("Stoke->Google")
    d_own = m.products.index("Stoke->OpenAI")
    openai = [j for j, name in enumerate(m.products) if name.endswith("->OpenAI")]
    jac = nested_logit_jacobian(m.mean_utility, m.price_sensitivity, out.prices, m.nest_ids, RHO)
    div = diversion_ratios(jac)  # div[j, k]: share of j's lost sales going to k
    dr_rd = float(sum(div[r, k] for k in openai))
    margin_usd = out.prices - out.marginal_cost
    weighted_margin = float(sum(div[r, k] * margin_usd[k] for k in openai) / dr_rd)
    price_d = float(sum(div[r, k] * out.prices[k] for k in openai) / dr_rd)
    # pass-through of R's own cost to R's price: finite difference on the spot market
    bump = 1.0  # USD per kg
    w_bumped = np.where(pre.active, pre.edge_prices, 0.0)
    w_bumped[r] += bump
    shifted = vertical_outcome(m, w_bumped, pre.active)
    passthrough = (shifted.prices[r] - out.prices[r]) / (bump * m.input_units[r])
    w_r = float(pre.edge_prices[r] * m.input_units[r])
    mc_u = float(m.edge_cost[r] * m.input_units[r])
    return vertical_guppis(
        diversion_r_to_d=dr_rd,
        margin_d=weighted_margin / price_d,
        price_d=price_d,
        input_price_r=w_r,
        passthrough_r=float(passthrough),
        price_r=float(out.prices[r]),
        diversion_d_to_r=float(div[d_own, r]),
        upstream_margin=(w_r - mc_u) / w_r,
        input_price_d=float(pre.edge_prices[d_own] * m.input_units[d_own]),
        upstream_marginal_cost=float(m.edge_cost[d_own] * m.input_units[d_own]),
    )


def _row(label: str, before: float, after: float, fmt: str = "{:,.0f}") -> str:
    change = after - before
    pct = f"{100 * change / before:+.1f}%" if before else "n/a"
    return (
        f"| {label} | {fmt.format(before)} | {fmt.format(after)} | {fmt.format(change)} | {pct} |"
    )


def contract_table(pre: NashInNashResult, post: NashInNashResult) -> list[str]:
    """Markdown rows: Nash-in-Nash launch price per edge before and after, USD per kg."""
    lines = ["## Launch contracts (Nash-in-Nash, USD per kg)", ""]
    lines += ["| edge | before | after | change | % |", "|---|---:|---:|---:|---:|"]
    for j, name in enumerate(pre.market.products):
        tag = " (integrated: at cost)" if post.market.integrated[j] else ""
        lines.append(_row(name + tag, pre.edge_prices[j], post.edge_prices[j]))
    return lines


def report(rng_seed: int = 20261124) -> str:
    rng = np.random.default_rng(rng_seed)
    pre, post = solve(False, rng=rng), solve(True, rng=rng)
    m = pre.market
    lines = contract_table(pre, post)
    lines += ["", "## Downstream (USD per kW-year; quantities in kW-years)", ""]
    lines += ["| item | before | after | change | % |", "|---|---:|---:|---:|---:|"]
    for lab in ("xAI", "OpenAI", "Google"):
        for label, field in (("avg launch price paid, USD/kg", "input_price"),
                             ("avg price, USD/kW-yr", "prices")):  # fmt: skip
            before = lab_average(pre, getattr(pre.outcome, field), lab)
            after = lab_average(post, getattr(post.outcome, field), lab)
            lines.append(_row(f"{lab}: {label}", before, after))
        sold = [j for j, name in enumerate(m.products) if name.endswith("->" + lab)]
        q_pre, q_post = pre.outcome.quantities[sold].sum(), post.outcome.quantities[sold].sum()
        lines.append(_row(f"{lab}: quantity, kW-yr", q_pre, q_post))
    lines += ["", "## Welfare and profits (USD per year of service)", ""]
    lines += ["| item | before | after | change | % |", "|---|---:|---:|---:|---:|"]
    lines.append(
        _row("consumer surplus", pre.outcome.consumer_surplus, post.outcome.consumer_surplus)
    )
    for firm in ("SpaceX", "xAI", "OpenAI", "Google", "Stoke"):
        i = m.firms.index(firm)
        lines.append(
            _row(f"profit of {firm}", pre.outcome.firm_profit[i], post.outcome.firm_profit[i])
        )
    for owner, members in (("SpaceX", "SpaceX + xAI"), ("OpenAI", "OpenAI (+ Stoke after)")):
        v_pre = pre.outcome.controller_value[pre.market.controllers.index(owner)]
        v_post = post.outcome.controller_value[post.market.controllers.index(owner)]
        lines.append(_row(f"objective of controller {members}", v_pre, v_post))
    total_pre = pre.outcome.consumer_surplus + pre.outcome.firm_profit.sum()
    total_post = post.outcome.consumer_surplus + post.outcome.firm_profit.sum()
    lines.append(_row("total welfare (CS + all profits)", total_pre, total_post))
    v = stoke_vguppis(pre)
    lines += ["", "## Vertical GUPPIs of Stoke + OpenAI against Google (pre-merger values)", ""]
    lines += ["| screen | value |", "|---|---:|"]
    lines += [f"| vGUPPI_u (raise Google's launch price) | {v.vguppi_u:.4f} |"]
    lines += [f"| vGUPPI_r (implied Google price rise) | {v.vguppi_r:.4f} |"]
    lines += [f"| vGUPPI_d (OpenAI raises own price) | {v.vguppi_d:.4f} |"]
    lines += [f"| EDM offset (W_D - MC_U)/P_D | {v.edm_offset:.4f} |"]
    lines += ["", "## Solver diagnostics", ""]
    lines += ["| scenario | sweeps | residual, USD/kg | converged | order dependent "
              "| order gap, USD/kg |"]  # fmt: skip
    lines += ["|---|---:|---:|---|---|---:|"]
    for label, r in (("before", pre), ("after", post)):
        lines.append(
            f"| {label} | {r.iterations} | {r.residual:.2e} | {r.converged} | "
            f"{r.order_dependent} | {r.order_difference:.2e} |"
        )
    lines += ["", "## Sensitivity: Stoke -> Google price (USD/kg) by bargaining weight", ""]
    lines += ["| upstream weight b | before | after | change |", "|---:|---:|---:|---:|"]
    k = m.products.index("Stoke->Google")
    for b in (0.3, 0.7):
        a, z = solve(False, b, check_order=False), solve(True, b, check_order=False)
        before, after = a.edge_prices[k], z.edge_prices[k]
        lines.append(f"| {b} | {before:,.0f} | {after:,.0f} | {after - before:+,.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())

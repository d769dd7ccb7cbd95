"""Economics core: demand, pricing equilibria, bargaining, dependency graph, welfare.

numpy, scipy and networkx only (no Mesa). A thin namespace over one-concept modules:

* demand: :func:`logit_shares`, :func:`nested_logit_shares` and their Jacobians and consumer
  surplus (inclusive value);
* spot prices: :func:`solve_prices` (Morrow-Skerlos zeta fixed point with a margin matrix:
  kappa control weights, upstream margins, capacities), :func:`solve_cournot`,
  :func:`solve_linear_bertrand`;
* bargaining: :func:`nash_bargain`, :func:`rubinstein_share`, :func:`nash_in_nash` over the
  supply edges of a vertical market built from a dependency graph;
* the graph: :func:`build_dependency_graph`, :func:`exposure`, :func:`chokepoints`,
  :func:`foreclosure_reach`, :func:`baseline_graph_2025`;
* welfare and antitrust: :func:`hhi`, :func:`delta_hhi`, diversion ratios, :func:`guppi`,
  :func:`vertical_guppis`, :func:`merger_guidelines_screen`, :func:`welfare_summary`.

Examples
--------
>>> from spacemarket.market import economics as ec
>>> eq = ec.solve_prices([1.0, 1.0, 1.0], 1.0, [1.0, 1.0, 1.0])
>>> round(float(eq.prices[0]), 8)
2.18923074
"""

from spacemarket.errors import EquilibriumNotConverged, SolverError
from spacemarket.market.economics.acquisition import (
    AcquisitionOutcome,
    StagedAcquisition,
    acquisition_price,
    staged_acquisition,
)
from spacemarket.market.economics.antitrust import (
    delta_hhi,
    diversion_ratios,
    guppi,
    hhi,
    logit_diversion_ratios,
    upward_pricing_pressure,
)
from spacemarket.market.economics.bargaining import (
    BargainingOutcome,
    NontransferableOutcome,
    nash_bargain,
    nash_bargain_nontransferable,
    rubinstein_limit_weight,
    rubinstein_share,
)
from spacemarket.market.economics.baseline_graph import baseline_graph_2025
from spacemarket.market.economics.bertrand import (
    PriceEquilibrium,
    delivered_marginal_cost,
    solve_prices,
)
from spacemarket.market.economics.cournot import (
    CournotEquilibrium,
    LinearBertrandEquilibrium,
    solve_cournot,
    solve_linear_bertrand,
)
from spacemarket.market.economics.demand_logit import (
    logit_consumer_surplus,
    logit_jacobian,
    logit_lambda_gamma,
    logit_shares,
)
from spacemarket.market.economics.demand_nested_logit import (
    nested_logit_consumer_surplus,
    nested_logit_jacobian,
    nested_logit_lambda_gamma,
    nested_logit_shares,
)
from spacemarket.market.economics.dependency_graph import (
    build_dependency_graph,
    validate_dependency_graph,
)
from spacemarket.market.economics.graph_analytics import (
    ForeclosureReach,
    chokepoints,
    exposure,
    foreclosure_reach,
)
from spacemarket.market.economics.graph_control import controlled_nodes, controller_of
from spacemarket.market.economics.logit_calibration import (
    LogitCalibration,
    calibrate_logit_bertrand,
)
from spacemarket.market.economics.merger_screens import (
    MergerScreen,
    VerticalGUPPIs,
    foreclosure_share,
    merger_guidelines_screen,
    vertical_guppis,
)
from spacemarket.market.economics.nash_in_nash import NashInNashResult, nash_in_nash
from spacemarket.market.economics.vertical_market import (
    VerticalMarket,
    make_vertical_market,
    vertical_market_from_graph,
)
from spacemarket.market.economics.vertical_spot import (
    VerticalOutcome,
    effective_input_prices,
    vertical_outcome,
)
from spacemarket.market.economics.welfare import WelfareSummary, total_welfare, welfare_summary

__all__ = [
    "AcquisitionOutcome",
    "BargainingOutcome",
    "CournotEquilibrium",
    "EquilibriumNotConverged",
    "ForeclosureReach",
    "LinearBertrandEquilibrium",
    "LogitCalibration",
    "MergerScreen",
    "NashInNashResult",
    "NontransferableOutcome",
    "PriceEquilibrium",
    "SolverError",
    "StagedAcquisition",
    "VerticalGUPPIs",
    "VerticalMarket",
    "VerticalOutcome",
    "WelfareSummary",
    "acquisition_price",
    "baseline_graph_2025",
    "build_dependency_graph",
    "calibrate_logit_bertrand",
    "chokepoints",
    "controlled_nodes",
    "controller_of",
    "delivered_marginal_cost",
    "delta_hhi",
    "diversion_ratios",
    "effective_input_prices",
    "exposure",
    "foreclosure_reach",
    "foreclosure_share",
    "guppi",
    "hhi",
    "logit_consumer_surplus",
    "logit_diversion_ratios",
    "logit_jacobian",
    "logit_lambda_gamma",
    "logit_shares",
    "make_vertical_market",
    "merger_guidelines_screen",
    "nash_bargain",
    "nash_bargain_nontransferable",
    "nash_in_nash",
    "nested_logit_consumer_surplus",
    "nested_logit_jacobian",
    "nested_logit_lambda_gamma",
    "nested_logit_shares",
    "rubinstein_limit_weight",
    "rubinstein_share",
    "solve_cournot",
    "solve_linear_bertrand",
    "solve_prices",
    "staged_acquisition",
    "total_welfare",
    "upward_pricing_pressure",
    "validate_dependency_graph",
    "vertical_guppis",
    "vertical_market_from_graph",
    "vertical_outcome",
    "welfare_summary",
]

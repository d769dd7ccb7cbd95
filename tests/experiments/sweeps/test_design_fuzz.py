"""Malformed designs: every one is a DesignError naming a key, never another exception."""

import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spacemarket.errors import DesignError
from spacemarket.experiments.sweeps.design import parse_design
from spacemarket.experiments.sweeps.design_file import validate_against_scenario

VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
        st.sampled_from(["2027Q1", "lhs", "sobol", "none", "int", "quarter", "backtest-2023"]),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


SOURCE = "/nonexistent/studies/fuzz.toml"


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_designs_fail_with_a_design_error_or_validate(data, design_text):
    doc = tomllib.loads(design_text)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths))
        node = doc
        for part in path[:-1]:
            node = node[part]
        if data.draw(st.booleans()) and isinstance(node, dict):
            node[data.draw(st.text(min_size=1, max_size=10))] = data.draw(VALUES)
        elif data.draw(st.booleans()) and isinstance(node, dict):
            del node[path[-1]]
        else:
            node[path[-1]] = data.draw(VALUES)
    before = repr(doc)
    try:
        design = parse_design(doc, SOURCE)
        validate_against_scenario(design)
    except DesignError as exc:
        message = str(exc)
        assert "\n" not in message and message.endswith(f"(in {SOURCE})"), message
    assert repr(doc) == before, "validation must not modify the document"


PARTS = st.sampled_from(
    [
        "vehicles",
        "starship",
        "falcon-9",
        "first_flight",
        "cost_learning_rate",
        "labs",
        "OpenAI",
        "growth_per_year",
        "compute",
        "grid_delay_quarters",
        "launch_bargaining_weight",
        "external_demand",
        "planned_launches_per_year",
        "2027",
        "starlink",
        "name",
        "start",
    ]
) | st.text(max_size=6)
SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**65), 2**65),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["2026Q4", "2030Q1", "2027Q5", "", "x"]),
    st.text(max_size=5),
)


@settings(max_examples=60, deadline=None)
@given(
    path=st.lists(PARTS, min_size=1, max_size=4).map(".".join),
    kind=st.sampled_from(["float", "int", "quarter"]),
    low=SCALARS,
    high=SCALARS,
    setting=SCALARS,
)
def test_random_key_paths_and_values_fail_cleanly(design_text, path, kind, low, high, setting):
    doc = tomllib.loads(design_text)
    doc["uncertainties"] = {path: {"kind": kind, "low": low, "high": high}}
    doc["policies"] = [{"name": "p", "set": {path + ".x" if path else "y": setting}}]
    try:
        validate_against_scenario(parse_design(doc, SOURCE))
    except DesignError as exc:
        message = str(exc)
        assert "\n" not in message and message.endswith(f"(in {SOURCE})"), message

"""``spacemarket plot shares|prices|capacity|compare DIR``: files, units, statistics, errors.

The fixture runs a real (tiny) sweep with the sweep runner, in-process; the expected values
are recomputed here by reading the run files directly with pandas, not through the plotting
module's readers.
"""

import filecmp
import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from spacemarket.experiments.cli.app import main
from spacemarket.experiments.plots import sweep_data
from spacemarket.experiments.plots import sweeps as sp
from spacemarket.experiments.plots.shares import mass_shares, quarter_year
from spacemarket.experiments.sweeps.runner import run_sweep
from spacemarket.experiments.sweeps.summarize import t_interval

DESIGN = """\
scenario = "backtest-2023"
steps = 4
replications = 2
root_seed = 11
outcomes = ["spacex_mass_share_final", "launch_price_index_final", "orbital_mw_final",
            "spacex_profit_total_usd"]
[sampling]
method = "lhs"
samples = 2
[uncertainties."external_demand.growth_per_year"]
low = 0.05
high = 0.20
[[policies]]
name = "baseline"
[[policies]]
name = "no-f9-growth"
set = { "vehicles.falcon-9.planned_launches_per_year.2023" = 60 }
"""
POLICIES = ["baseline", "no-f9-growth"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    design = root / "design.toml"
    design.write_text(DESIGN)
    report = run_sweep(design, root / "out", workers=1)
    assert report.ok == 8 and report.failed == 0
    return root / "out"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def direct_frames(sweep, kind):
    """Every run's frame read straight from disk, grouped by policy."""
    plan = pd.read_parquet(sweep / "plan.parquet")
    out = {}
    for rid, policy in zip(plan["run_id"], plan["policy"]):
        out.setdefault(policy, []).append(pd.read_parquet(sweep / "runs" / rid / f"{kind}.parquet"))
    return out


def share_panels(fig):
    """(top panels, enlarged panels) of the shares figure, one each per policy, in order."""
    visible = [ax for ax in fig.axes if ax.get_visible()]
    tops = [ax for ax in visible if ax.get_ylabel().startswith("share of mass launched")]
    return tops, [ax for ax in visible if ax not in tops]


def test_cli_writes_png_and_svg_for_every_kind(capsys, sweep):
    for kind in sp.PLOT_KINDS:
        code, out, err = run(capsys, "plot", kind, sweep)
        assert code == 0, err
        png, svg = sweep / "plots" / f"{kind}.png", sweep / "plots" / f"{kind}.svg"
        assert str(png) in out and str(svg) in out
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert svg.read_text().lstrip().startswith("<?xml") and "</svg>" in svg.read_text()
    assert not list((sweep / "plots").glob(".*.tmp"))  # atomic writes left no temporaries


@pytest.mark.parametrize("kind", sp.PLOT_KINDS)
def test_plots_are_byte_reproducible(capsys, sweep, tmp_path, kind):
    for name in ("a", "b"):
        assert run(capsys, "plot", kind, sweep, "--out", tmp_path / name / "fig")[0] == 0
    for ext in ("png", "svg"):
        a, b = tmp_path / "a" / f"fig.{ext}", tmp_path / "b" / f"fig.{ext}"
        assert filecmp.cmp(a, b, shallow=False), f"{kind}.{ext} differs between two plots"


def test_out_prefix_and_directory(capsys, sweep, tmp_path):
    assert run(capsys, "plot", "prices", sweep, "--out", tmp_path / "p.v2")[0] == 0
    assert (tmp_path / "p.v2.png").is_file() and (tmp_path / "p.v2.svg").is_file()
    assert run(capsys, "plot", "prices", sweep, "--out", f"{tmp_path / 'd'}/")[0] == 0
    assert (tmp_path / "d" / "prices.png").is_file()
    (tmp_path / "e").mkdir()
    assert run(capsys, "plot", "capacity", sweep, "--out", tmp_path / "e")[0] == 0
    assert (tmp_path / "e" / "capacity.svg").is_file()


def test_every_axis_has_units(sweep):
    tops, bottoms = share_panels(sp.sweep_figure(sweep, "shares"))
    assert len(tops) == len(bottoms) == len(POLICIES)
    for top, bottom in zip(tops, bottoms):
        assert "(%)" in top.get_ylabel() and "(%)" in bottom.get_ylabel()
        assert "year" in bottom.get_xlabel()
    for kind, unit in (("prices", "(USD/kg)"), ("capacity", "(MW)")):
        (ax,) = sp.sweep_figure(sweep, kind).axes
        assert unit in ax.get_ylabel() and "year" in ax.get_xlabel()
    compare = sp.sweep_figure(sweep, "compare")
    labels = [ax.get_xlabel() for ax in compare.axes if ax.get_visible()]
    assert labels == [
        "spacex_mass_share_final (fraction)",
        "launch_price_index_final (USD/kg)",
        "orbital_mw_final (MW)",
        "spacex_profit_total_usd (billion USD)",
    ]
    assert all(ax.get_ylabel() == "policy" for ax in compare.axes if ax.get_visible())


def test_share_panels_show_the_mean_over_each_policys_runs(sweep):
    tops, bottoms = share_panels(sp.sweep_figure(sweep, "shares"))
    assert bottoms[0].get_ylim() == bottoms[1].get_ylim()  # enlarged panels share one scale
    frames = direct_frames(sweep, "firms")
    for ax, policy in zip(tops, POLICIES):
        assert ax.get_title().startswith(policy) and "(4 runs)" in ax.get_title()
        expected = 100 * np.mean([mass_shares(f)["SpaceX"].to_numpy() for f in frames[policy]], 0)
        line = ax.lines[0]  # the largest provider is drawn first
        np.testing.assert_allclose(line.get_ydata(), expected)
    assert tops[0].lines[0].get_label() == "SpaceX"  # labelled once, for the figure legend
    # the policies differ (Falcon 9's 2023 cadence is cut in the second)
    a, b = (np.asarray(ax.lines[0].get_ydata()) for ax in tops)
    assert not np.allclose(a, b)


@pytest.mark.parametrize(
    ("kind", "column"),
    [("prices", "launch_price_index_usd_per_kg"), ("capacity", "orbital_mw")],
)
def test_path_plots_show_mean_and_band_per_policy(sweep, kind, column):
    (ax,) = sp.sweep_figure(sweep, kind).axes
    frames = direct_frames(sweep, "market")
    assert [ln.get_label() for ln in ax.lines] == [f"{p} (4 runs)" for p in POLICIES]
    for line, band, policy in zip(ax.lines, ax.collections, POLICIES):
        values = np.stack([f[column].to_numpy() for f in frames[policy]])
        np.testing.assert_allclose(line.get_ydata(), values.mean(axis=0))
        x = [quarter_year(q) for q in frames[policy][0]["quarter"]]
        np.testing.assert_allclose(line.get_xdata(), x)
        # the band's outline spans the 5th-95th percentiles
        lo, hi = np.percentile(values, [5, 95], axis=0)
        verts = band.get_paths()[0].vertices
        assert np.isclose(verts[:, 1].min(), lo.min()) and np.isclose(verts[:, 1].max(), hi.max())


def test_compare_shows_mean_and_t_interval_per_policy(sweep):
    fig = sp.sweep_figure(sweep, "compare", ["launch_price_index_final"])
    (ax,) = [a for a in fig.axes if a.get_visible()]
    table = pd.read_parquet(sweep / "outcomes.parquet")
    assert [t.get_text() for t in ax.get_yticklabels()] == POLICIES
    dots = [ln for ln in ax.lines if ln.get_marker() == "o"]
    for dot, policy in zip(dots, POLICIES):
        v = table.loc[table["policy"] == policy, "launch_price_index_final"].to_numpy()
        assert dot.get_xdata()[0] == pytest.approx(v.mean())
    thick = [c for c in ax.collections if c.get_linewidth()[0] == 4.0]
    for bar, policy in zip(thick, POLICIES):
        v = table.loc[table["policy"] == policy, "launch_price_index_final"].to_numpy()
        seg = bar.get_segments()[0]
        np.testing.assert_allclose(sorted(seg[:, 0]), t_interval(v))


def test_failed_and_unfinished_runs_are_left_out(capsys, sweep, tmp_path):
    copy = tmp_path / "partial"
    shutil.copytree(sweep, copy, ignore=shutil.ignore_patterns("plots"))
    plan = pd.read_parquet(copy / "plan.parquet")
    failed, pending = plan["run_id"].iloc[0], plan["run_id"].iloc[1]  # both baseline
    status = copy / "runs" / failed / "outcomes.json"
    doc = json.loads(status.read_text())
    status.write_text(json.dumps({**doc, "status": "error", "error": "boom", "outcomes": {}}))
    (copy / "runs" / pending / "outcomes.json").unlink()
    (copy / "outcomes.parquet").unlink()  # as in an interrupted sweep
    (ax,) = sp.sweep_figure(copy, "prices").axes
    assert [ln.get_label() for ln in ax.lines] == ["baseline (2 runs)", "no-f9-growth (4 runs)"]
    compare = sp.sweep_figure(copy, "compare")
    texts = [t.get_text() for t in compare.findobj(Text)]
    assert any("Runs per policy: baseline: 2, no-f9-growth: 4" in t for t in texts)
    assert run(capsys, "plot", "shares", copy)[0] == 0


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["compare", "{sweep}", "--outcome", "nope"], "nope"),
        (["shares", "{sweep}", "--outcome", "orbital_mw_final"], "--outcome"),
        (["shares", "{missing}"], "no such directory"),
        (["prices", "{empty}"], "not a sweep directory"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(capsys, sweep, tmp_path, argv, needle):
    (tmp_path / "empty").mkdir()
    paths = {"sweep": sweep, "missing": tmp_path / "missing", "empty": tmp_path / "empty"}
    argv = [a.format(**paths) for a in argv]
    code, out, err = run(capsys, "plot", *argv, "--out", tmp_path / "o" / "fig")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and needle in err
    assert not (tmp_path / "o").exists()


def test_a_sweep_with_no_successful_run_exits_2(capsys, sweep, tmp_path):
    copy = tmp_path / "none"
    shutil.copytree(sweep, copy, ignore=shutil.ignore_patterns("plots"))
    for status in (copy / "runs").glob("*/outcomes.json"):
        status.unlink()
    (copy / "outcomes.parquet").unlink()
    for kind in sp.PLOT_KINDS:
        code, _, err = run(capsys, "plot", kind, copy)
        assert code == 2 and "no finished (ok) runs" in err
    assert not (copy / "plots").exists()


def test_band_ignores_nans_without_warnings():
    x = np.array([[1.0, np.nan, 5.0], [3.0, np.nan, np.nan], [2.0, np.nan, 7.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = sweep_data.band(x)
    np.testing.assert_allclose(b.mean, [2.0, np.nan, 6.0])
    np.testing.assert_allclose(b.low, [np.percentile([1, 2, 3], 5), np.nan, 5.1])
    np.testing.assert_array_equal(b.n, [3, 0, 2])


def test_path_plot_leaves_gaps_where_no_run_has_a_value():
    x = [2026.0, 2026.25, 2026.5]
    frame = pd.DataFrame([[1.0, np.nan, 3.0], [2.0, np.nan, 5.0]], columns=x)
    fig = sp.plot_policy_paths({"a": frame}, "price (USD/kg)", "t")
    (ax,) = fig.axes
    y = np.asarray(ax.lines[0].get_ydata(), dtype=float)
    assert np.isnan(y[1]) and y[0] == 1.5 and y[2] == 4.0
    with pytest.raises(ValueError, match="no runs"):
        sp.plot_policy_paths({}, "price (USD/kg)", "t")


def test_library_functions_return_figures_and_write_nothing(sweep, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in Path(sweep).iterdir())
    for kind in sp.PLOT_KINDS:
        fig = sp.sweep_figure(sweep, kind)
        assert fig.__class__.__name__ == "Figure"
    assert sorted(p.name for p in Path(sweep).iterdir()) == before
    assert list(tmp_path.iterdir()) == []

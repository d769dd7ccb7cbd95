"""``spacemarket summarize``: per-policy means and 95 % t-intervals."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spacemarket.experiments.cli.app import main
from spacemarket.experiments.sweeps.summarize import summarize_outcomes, t_interval


def test_t_interval_matches_scipy():
    x = np.array([3.1, 2.7, 3.9, 3.3, 2.2, 4.0])
    lo, hi = t_interval(x)
    ref = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (lo, hi) == pytest.approx(ref, rel=1e-12)
    assert all(np.isnan(t_interval([1.0])))
    assert t_interval([1.0, np.nan, 3.0]) == pytest.approx(t_interval([1.0, 3.0]))


def test_summary_per_policy_matches_the_outcomes_table(reference_sweep):
    table = pd.read_parquet(reference_sweep / "outcomes.parquet")
    names = ["spacex_mass_share_final", "falcon_launches_total"]
    summary = summarize_outcomes(table, names)
    assert [s["policy"] for s in summary] == list(dict.fromkeys(table["policy"]))
    for pol in summary:
        rows = table[table["policy"] == pol["policy"]]
        assert pol["runs"] == {"ok": 9, "error": 0, "pending": 0}
        for name in names:
            st = pol["outcomes"][name]
            assert st["n"] == 9
            assert st["mean"] == pytest.approx(rows[name].mean())
            assert (st["ci_low"], st["ci_high"]) == pytest.approx(t_interval(rows[name]))
            assert st["ci_low"] <= st["mean"] <= st["ci_high"]
        assert pol["outcomes"]["falcon_launches_total"]["units"] == "launches"


def test_summarize_cli_text_and_json(reference_sweep, capsys):
    code = main(["summarize", str(reference_sweep)])
    text = capsys.readouterr().out
    assert code == 0
    assert "policy compute.launch_bargaining_weight=0.3  (9 ok, 0 failed)" in text
    assert "policy compute.launch_bargaining_weight=0.7  (9 ok, 0 failed)" in text
    assert "spacex_mass_share_final" in text and "USD/kg" in text
    assert "Student-t" in text and "95%" in text
    code = main(["summarize", str(reference_sweep), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert len(doc["policies"]) == 2 and doc["level"] == 0.95 and doc["errors"] == []
    st = doc["policies"][0]["outcomes"]["spacex_mass_share_final"]
    assert 0 < st["ci_low"] < st["mean"] < st["ci_high"] < 1


def test_summarize_rebuilds_outcomes_parquet_identically(reference_sweep, tmp_path):
    import shutil

    copy = tmp_path / "c"
    shutil.copytree(reference_sweep, copy)
    (copy / "outcomes.parquet").unlink()
    assert main(["summarize", str(copy), "--json"]) == 0
    assert (copy / "outcomes.parquet").read_bytes() == (
        reference_sweep / "outcomes.parquet"
    ).read_bytes()


def test_summarize_help_says_what_the_interval_is(capsys):
    with pytest.raises(SystemExit):
        main(["summarize", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "Student-t confidence interval for the mean" in out and "95%" in out


def test_summarize_of_a_non_sweep_directory_is_exit_2(tmp_path, capsys):
    assert main(["summarize", str(tmp_path)]) == 2
    assert "not a sweep directory" in capsys.readouterr().err


def test_paired_differences_use_common_random_numbers(reference_sweep, capsys):
    from spacemarket.experiments.sweeps.summarize import paired_differences

    table = pd.read_parquet(reference_sweep / "outcomes.parquet")
    a, b = "compute.launch_bargaining_weight=0.3", "compute.launch_bargaining_weight=0.7"
    name = "spacex_profit_total_usd"
    diff = paired_differences(table, [name], a)
    assert list(diff) == [b]
    st = diff[b][name]
    pa = table[table["policy"] == a].set_index(["sample", "replication"])[name]
    pb = table[table["policy"] == b].set_index(["sample", "replication"])[name]
    d = (pb - pa.loc[pb.index]).to_numpy()
    assert st["n"] == 9 and st["mean"] == pytest.approx(d.mean())
    assert (st["ci_low"], st["ci_high"]) == pytest.approx(t_interval(d))
    # pairing on shared seeds and samples removes most of the noise
    paired_width = st["ci_high"] - st["ci_low"]
    lo, hi = t_interval(pb.to_numpy())
    assert paired_width < 0.1 * (hi - lo)

    assert main(["summarize", str(reference_sweep), "--baseline", a]) == 0
    text = capsys.readouterr().out
    assert f"minus {a}, paired on sample and replication:" in text
    assert main(["summarize", str(reference_sweep), "--baseline", "nope"]) == 2
    assert "--baseline" in capsys.readouterr().err

"""``spacemarket compare`` / ``game`` and the experiment scripts, on short runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from spacemarket.experiments.cli.app import main

ROOT = Path(__file__).resolve().parents[3]


def test_compare_writes_table_with_intervals(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", "--strategy", "OpenAI=independent",
                 "--strategy", "OpenAI=independent,SpaceX=foreclose-launch", "--seeds", "3",
                 "--steps", "8", "--workers", "1", "--out", str(out)])  # fmt: skip
    assert code == 0
    text = capsys.readouterr().out
    assert "95% t-interval" in text and "cost_of_compute_usd_per_kw_year__OpenAI" in text
    assert "Paired differences from (1), same 3 seeds" in text
    assert "profit_usd__SpaceX (USD bn, present value at 8%/yr)" in text
    table = pd.read_csv(out / "compare.csv")
    assert set(table.profile) == {
        "OpenAI=independent",
        "OpenAI=independent,SpaceX=foreclose-launch",
    }
    ok = table.dropna(subset=["ci_low"])
    assert (ok.ci_low <= ok["mean"] + 1e-9).all() and (ok["mean"] <= ok.ci_high + 1e-9).all()
    exposure = table[table.metric == "exposure_spacex__OpenAI"].set_index("profile")["mean"]
    # refused launch: OpenAI flies on other launchers, exposed to SpaceX only through backhaul
    assert exposure["OpenAI=independent,SpaceX=foreclose-launch"] < exposure["OpenAI=independent"]
    assert (out / "compare_shares.png").stat().st_size > 0


def test_game_cli_solves_a_small_game(tmp_path, capsys):
    out = tmp_path / "game"
    code = main(["game", "--player", "OpenAI=independent,control-of-stoke",
                 "--player", "SpaceX=integrate-xai,foreclose-launch", "--seeds", "2",
                 "--steps", "12", "--workers", "1", "--out", str(out), "--quiet"])  # fmt: skip
    assert code == 0
    text = (out / "game.txt").read_text()
    assert "Pure Nash equilibria" in text and "Sequential play" in text
    assert "paired over the same 2 seeds (common random numbers), mean [95% t-interval]" in text
    assert "Not significant at 95%" in text or "Every verdict above holds" in text
    payoffs = pd.read_csv(out / "game_payoffs.csv")
    assert len(payoffs) == 4 * 2  # 4 profiles x 2 players
    assert set(pd.read_csv(out / "game_credibility.csv").action) == {"foreclose-launch"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["compare", "--strategy", "OpenAI=buy-rockets"], "unknown strategy 'buy-rockets'"),
        (["compare", "--strategy", "OpenAI"], "expected PLAYER=STRATEGY"),
        (["game", "--player", "Nobody=x"], "unknown player"),
        (["compare", "--seeds", "0"], "--seeds"),
        (["game", "--set", "compute.cost_dispersion=-1"], "cost_dispersion"),
    ],
)
def test_bad_input_exits_2_naming_the_field(tmp_path, capsys, args, needle):
    code = main([*args, "--out", str(tmp_path / "x"), "--quiet"])
    assert code == 2
    assert needle in capsys.readouterr().err
    assert not (tmp_path / "x" / "sweep").exists()


def test_experiment_script_runs_as_a_file(tmp_path):
    out = tmp_path / "delay"
    subprocess.run([sys.executable, str(ROOT / "experiments" / "starship_delay.py"), "--out",
                    str(out), "--seeds", "2", "--steps", "4", "--workers", "1", "--quiet"],
                   check=True, cwd=tmp_path)  # fmt: skip
    gain = pd.read_csv(out / "control_gain.csv")
    assert len(gain) == 4 and gain.openai_compute_saving_from_control_usd_bn.notna().all()
    assert (gain.ci_low_usd_bn <= gain.openai_compute_saving_from_control_usd_bn).all()
    assert set(gain.significance) <= {"significant", "not significant", "tie in every seed"}
    text = (out / "starship_delay.txt").read_text()
    assert "95% t-interval" in text and "[" in text


def test_compare_output_is_byte_reproducible_and_seed_dependent(tmp_path):
    def compare(name, seed):
        out = tmp_path / name
        args = ["compare", "--strategy", "OpenAI=independent", "--strategy",
                "OpenAI=control-of-stoke,SpaceX=foreclose-launch", "--seeds", "2", "--steps",
                "6", "--workers", "1", "--root-seed", str(seed), "--out", str(out), "--quiet"]  # fmt: skip
        assert main(args) == 0
        return (out / "compare.csv").read_bytes(), (out / "compare_shares.png").read_bytes()

    a, b, c = compare("a", 1), compare("b", 1), compare("c", 2)
    assert a == b
    assert a[0] != c[0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["compare", "--lab", "Nobody"], "no lab 'Nobody'"),
        (["compare", "--discount-rate", "-1"], "--discount-rate"),
        (["compare", "--set", "labs.OpenAI.suppliers={ Azure = 1.0 }"], "one by one"),
        (["compare", "--strategy", "OpenAI=independent", "--strategy", "OpenAI=independent"],
         "given twice"),
        (["game", "--payoff", "OpenAI=OpenAI"], "PLAYER=FIRM:WEIGHT"),
        (["game", "backtest-2023", "--player", "Google=buy-compute"], "--payoff"),
    ],
)  # fmt: skip
def test_more_bad_input_exits_2(tmp_path, capsys, args, needle):
    assert main([*args, "--out", str(tmp_path / "x"), "--quiet"]) == 2
    assert needle in capsys.readouterr().err

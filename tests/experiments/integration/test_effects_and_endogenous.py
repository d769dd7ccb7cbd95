"""The no-effect and payoff-tie checks, the endogenous experiment, and ``run --mode``."""

from __future__ import annotations

import pandas as pd
import pytest

from spacemarket.experiments.cli.app import main
from spacemarket.experiments.integration.effects import compare_effect_lines, game_tie_lines
from spacemarket.experiments.integration.endogenous import run_endogenous, summarize_events


def _table(rows):
    return pd.DataFrame(rows, columns=["profile", "metric", "diff_significance"])


def test_a_profile_that_moves_nothing_is_named():
    table = _table([
        ("A", "m1", None), ("A", "m2", None),
        ("B", "m1", "tie in every seed"), ("B", "m2", "tie in every seed"),
        ("C", "m1", "significant"), ("C", "m2", "tie in every seed"),
        ("D", "m1", "not significant"), ("D", "m2", "significant"),
    ])  # fmt: skip
    text = "\n".join(compare_effect_lines(table, ["A", "B", "C", "D"]))
    assert "(2) B: no effect on any outcome" in text
    assert "(3) C: no effect on m2" in text and "(4)" not in text
    assert compare_effect_lines(table, ["A", "D"]) == []


def _payoffs(openai_tie: bool):
    rows = []
    for o in ("independent", "control"):
        for s in ("supply", "foreclose"):
            for r in range(3):
                a = 10.0 + r + (0.0 if openai_tie or o == "independent" else 1.0)
                b = 5.0 + r + (1.0 if s == "foreclose" else 0.0)
                rows += [{"OpenAI": o, "SpaceX": s, "player": "OpenAI", "replication": r,
                          "payoff_usd": a},
                         {"OpenAI": o, "SpaceX": s, "player": "SpaceX", "replication": r,
                          "payoff_usd": b}]  # fmt: skip
    return pd.DataFrame(rows)


def test_strategies_a_game_cannot_separate_are_named():
    players = {"OpenAI": ("independent", "control"), "SpaceX": ("supply", "foreclose")}
    text = "\n".join(game_tie_lines(_payoffs(True), players))
    assert "OpenAI: independent and control give it the same payoff in every seed" in text
    assert "SpaceX" not in text and "throughout" not in text
    assert game_tie_lines(_payoffs(False), players) == []


def test_the_endogenous_experiment_reports_choices_with_intervals(tmp_path):
    result = run_endogenous(tmp_path, seeds=2, steps=9, workers=1)
    assert {"endogenous.txt", "endogenous.csv", "endogenous_events.parquet",
            "endogenous_paths.png"} <= {p.name for p in tmp_path.iterdir()}  # fmt: skip
    events = pd.read_parquet(tmp_path / "endogenous_events.parquet")
    assert set(events.replication) == {0, 1}
    assert set(events.player) == {"OpenAI", "SpaceX", "Amazon"}
    s = result.summary.set_index(["player", "option"])
    assert s.loc[("SpaceX", "integrate-xai"), "p_ever"] == 1.0  # its status quo at the start
    assert (s.p_low <= s.p_ever).all() and (s.p_ever <= s.p_high).all()
    text = (tmp_path / "endogenous.txt").read_text()
    assert "What would they do?" in text and "Wilson" in text


def test_summary_counts_first_choices_and_prices():
    events = pd.DataFrame([
        ("2026Q1", 0, "OpenAI", "independent", True, float("nan")),
        ("2026Q1", 0, "OpenAI", "control-of-stoke", False, float("nan")),
        ("2027Q1", 0, "OpenAI", "control-of-stoke", True, 2e9),
        ("2026Q1", 1, "OpenAI", "independent", True, float("nan")),
        ("2026Q1", 1, "OpenAI", "control-of-stoke", False, float("nan")),
        ("2027Q1", 1, "OpenAI", "independent", True, float("nan")),
        ("2027Q1", 1, "OpenAI", "control-of-stoke", False, 3e9),
    ], columns=["quarter", "replication", "player", "option", "chosen", "price_usd"])  # fmt: skip
    s = summarize_events(events).set_index("option")
    assert s.loc["control-of-stoke", "ever"] == 1 and s.loc["control-of-stoke", "p_ever"] == 0.5
    assert s.loc["control-of-stoke", "first_min"] == "2027Q1"
    assert s.loc["control-of-stoke", "price_mean_usd"] == 2e9  # only the price paid
    assert s.loc["independent", "share_of_epochs"] == pytest.approx(3 / 4)


def test_run_mode_endogenous_writes_events(tmp_path, capsys):
    out = tmp_path / "e"
    code = main(["run", "baseline-2026-endogenous", "--seed", "1", "--steps", "5", "--out",
                 str(out), "--quiet"])  # fmt: skip
    assert code == 0
    events = pd.read_parquet(out / "events.parquet")
    assert set(events.quarter) == {"2026Q1", "2027Q1"} and events.chosen.dtype == bool
    committed = tmp_path / "c"
    assert main(["run", "baseline-2026-endogenous", "--seed", "1", "--steps", "5", "--out",
                 str(committed), "--quiet", "--mode", "committed"]) == 0  # fmt: skip
    assert pd.read_parquet(committed / "events.parquet").empty


def test_run_mode_endogenous_without_a_game_is_refused(tmp_path, capsys):
    code = main(["run", "backtest-2023", "--seed", "1", "--steps", "2", "--out",
                 str(tmp_path / "x"), "--mode", "endogenous"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "[game]" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()

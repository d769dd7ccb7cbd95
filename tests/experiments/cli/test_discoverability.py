"""Finding one's way: the strategy catalogue, per-command help, links inside the repository."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spacemarket.experiments.cli.app import build_parser, main
from spacemarket.market.scenario.strategies import STRATEGIES

ROOT = Path(__file__).resolve().parents[3]


def test_strategies_lists_every_registered_strategy(capsys):
    assert main(["strategies"]) == 0
    text = capsys.readouterr().out
    for player, name in STRATEGIES:
        assert re.search(rf"^  {re.escape(name)}\s", text, re.M), (player, name)
    assert "(status quo)" in text


def test_strategies_for_one_player_in_full_and_as_json(capsys):
    assert main(["strategies", "--player", "OpenAI"]) == 0
    text = capsys.readouterr().out
    assert "control-of-stoke" in text and "WSJ" in text and "foreclose-launch" not in text
    assert main(["strategies", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["player"], r["name"]) for r in rows} == set(STRATEGIES)
    assert main(["strategies", "--player", "Nobody"]) == 2
    assert "no player 'Nobody'" in capsys.readouterr().err


def _help(command: str) -> str:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sub.choices[command].format_help()


def test_demo_compare_and_game_have_their_own_descriptions():
    demo, compare, game = _help("demo"), _help("compare"), _help("game")
    assert "headline experiment" in demo and "--overwrite" in demo and "--resume" in demo
    assert "paired difference" in compare and "spacemarket compare" in compare
    assert "equilibria" in game and "spacemarket game" in game
    assert compare.split("options:")[0] != game.split("options:")[0]


def test_a_player_twice_in_one_profile_is_rejected(tmp_path, capsys):
    code = main(["compare", "--strategy", "OpenAI=independent,OpenAI=control-of-stoke",
                 "--out", str(tmp_path / "x"), "--quiet"])  # fmt: skip
    assert code == 2
    assert "player OpenAI is given twice" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    "doc", ["README.md", *sorted(p.name for p in (ROOT / "docs").glob("*.md"))]
)
def test_links_stay_inside_the_repository(doc):
    path = ROOT / doc if doc == "README.md" else ROOT / "docs" / doc
    text = path.read_text()
    assert "../shared" not in text and "shared/research" not in text, doc
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if re.match(r"[a-z]+://", target):
            continue
        resolved = (path.parent / target).resolve()
        assert resolved.is_relative_to(ROOT) and resolved.exists(), (doc, target)

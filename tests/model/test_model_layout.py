"""The model layer's shape: imports go down only, modules stay small (DESIGN, "Layout")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import spacemarket

ROOT = Path(spacemarket.__file__).parent
AGENTS = sorted((ROOT / "agents").glob("*.py"))
MODEL = sorted((ROOT / "market" / "model").glob("*.py"))


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("path", AGENTS, ids=lambda p: p.name)
def test_agents_import_only_the_layers_below(path):
    ours = {m for m in _imports(path) if m.startswith("spacemarket")}
    allowed = ("spacemarket.agents", "spacemarket.market.economics", "spacemarket.market.physics",
               "spacemarket.market.scenario", "spacemarket.errors")  # fmt: skip
    assert all(m.startswith(allowed) for m in ours), sorted(ours)


@pytest.mark.parametrize("path", MODEL, ids=lambda p: p.name)
def test_the_model_imports_nothing_above_it_and_stays_small(path):
    ours = {m for m in _imports(path) if m.startswith("spacemarket")}
    assert not [m for m in ours if m.startswith("spacemarket.experiments")]
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400

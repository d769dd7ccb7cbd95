"""The architecture as tests: the import rule of docs/architecture.md, module size, docstrings.

Every module under ``src/spacemarket`` is parsed with :mod:`ast` (nothing is imported, so a
broken module still shows up here as what it imports). Every ``import`` statement counts -
at module level, inside functions and under ``if TYPE_CHECKING:`` - because each is a
dependency of the design even when it only runs late or only for a type checker. Relative
imports are resolved against the module's package.

* No import cycle among spacemarket modules.
* The layer rule: imports go down only (experiments -> market.model -> agents ->
  market.{economics, physics, scenario}); games know nothing of the market; physics,
  economics and games never import Mesa; ``spacemarket.errors`` may be imported anywhere.
* No module over 400 lines; every module has a docstring.
* ``SpaceMarket``'s only base is ``mesa.Model`` (no mixin).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "spacemarket"
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    """One imported module: ``target`` as written (resolved if relative), at ``line``."""

    target: str
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def _imports(module: str, path: Path) -> list[Import]:
    """Every import of ``module``, anywhere in its body, as absolute module names."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [Import(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                if node.level - 1 >= len(parts):
                    raise AssertionError(f"{module}:{node.lineno}: relative import beyond top")
                base = ".".join(parts[: len(parts) - (node.level - 1)])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
            out += [Import(s, node.lineno) for s in subs]
            if len(subs) < len(node.names):  # some name is an attribute of `target` itself
                out.append(Import(target, node.lineno))
    return out


IMPORTS: dict[str, list[Import]] = {m: _imports(m, p) for m, p in MODULES.items()}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _own_module(target: str) -> str | None:
    """The spacemarket module an import loads (the longest known prefix), else None."""
    parts = target.split(".")
    for k in range(len(parts), 0, -1):
        name = ".".join(parts[:k])
        if name in MODULES:
            return name
    return None


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for module, imports in IMPORTS.items():
        for imp in imports:
            target = _own_module(imp.target) if _within(imp.target, PACKAGE) else None
            if target is not None and target != module:
                graph.add_edge(module, target, line=imp.line)
    return graph


def test_the_parser_sees_the_package():
    assert "spacemarket.market.games.normal_form" in MODULES
    assert "spacemarket.market.model" in MODULES
    edges = _graph().edges
    assert ("spacemarket.market.games.report", "spacemarket.market.games.normal_form") in edges


def test_no_import_cycle():
    graph = _graph()
    cycles = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        cycle = nx.find_cycle(graph.subgraph(component))
        path = " -> ".join(f"{a}:{graph.edges[a, b]['line']}" for a, b in cycle)
        cycles.append(
            f"{len(component)} modules {sorted(component)}\n    e.g. {path} -> {cycle[0][0]}"
        )
    assert not cycles, "import cycles (module:line of the import):\n  " + "\n  ".join(cycles)


ERRORS = "spacemarket.errors"
AGENTS, MODEL, EXPERIMENTS = (
    "spacemarket.agents",
    "spacemarket.market.model",
    "spacemarket.experiments",
)
GAMES = "spacemarket.market.games"

#: (layer, forbidden imports, what is allowed from spacemarket or None for "anything else").
RULES: list[tuple[str, tuple[str, ...], tuple[str, ...] | None]] = [
    ("spacemarket.market.physics", ("mesa", AGENTS, MODEL, EXPERIMENTS), None),
    ("spacemarket.market.economics", ("mesa", AGENTS, MODEL, EXPERIMENTS), None),
    (GAMES, ("mesa", AGENTS, MODEL, EXPERIMENTS), (GAMES, ERRORS)),
    ("spacemarket.market.scenario", ("mesa", AGENTS, MODEL, EXPERIMENTS), None),
    (
        AGENTS,
        (MODEL, EXPERIMENTS),
        (
            AGENTS,
            "spacemarket.market.economics",
            "spacemarket.market.physics",
            "spacemarket.market.scenario",
            ERRORS,
        ),
    ),
    (MODEL, (EXPERIMENTS,), None),
]


def _violations(layer: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] | None):
    for module, imports in IMPORTS.items():
        if not _within(module, layer):
            continue
        for imp in imports:
            bad = any(_within(imp.target, f) for f in forbidden)
            if allowed is not None and _within(imp.target, PACKAGE):
                bad = bad or not any(_within(imp.target, a) for a in allowed)
            if bad:
                yield f"{module}:{imp.line} imports {imp.target}"


@pytest.mark.parametrize(
    ("layer", "forbidden", "allowed"), RULES, ids=[r[0].removeprefix("spacemarket.") for r in RULES]
)
def test_layer_rule(layer, forbidden, allowed):
    assert any(_within(m, layer) for m in MODULES), f"no modules in {layer}"
    found = list(_violations(layer, forbidden, allowed))
    rule = f"{layer} must not import {', '.join(forbidden)}"
    if allowed is not None:
        rule += f"; from spacemarket only {', '.join(allowed)}"
    assert not found, rule + ":\n  " + "\n  ".join(found)


def test_errors_module_imports_nothing_of_the_package():
    found = [i.target for i in IMPORTS[ERRORS] if _within(i.target, PACKAGE)]
    assert not found, f"{ERRORS} is importable from every layer, so it imports none: {found}"


def test_no_module_over_400_lines():
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}
    over = sorted(((n, m) for m, n in sizes.items() if n > MAX_LINES), reverse=True)
    assert not over, f"modules over {MAX_LINES} lines:\n  " + "\n  ".join(
        f"{m}: {n}" for n, m in over
    )


def test_every_module_has_a_docstring():
    missing = [
        m
        for m, p in MODULES.items()
        if not (ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or "").strip()
    ]
    assert not missing, "modules without a docstring:\n  " + "\n  ".join(missing)


def test_space_market_only_base_is_mesa_model():
    import mesa

    from spacemarket.market.model import SpaceMarket

    assert SpaceMarket.__bases__ == (mesa.Model,), SpaceMarket.__bases__

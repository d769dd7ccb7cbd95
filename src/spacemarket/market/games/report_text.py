"""Plain-text rendering of a :class:`~spacemarket.market.games.report.GameReport`.

Without per-seed samples the text is the classic summary (payoff table, pure equilibria,
iterated strict dominance, welfare optimum, Pareto set, mixed equilibria, learning). With
samples (``solve_game(..., samples=...)``) every verdict also carries its paired difference
over seeds - ``mean [95% t-interval]`` and ``significant`` / ``not significant`` /
``tie in every seed`` (:mod:`~spacemarket.market.games.paired`) - and a closing list names
every verdict that rests on a difference whose interval covers zero.

The renderer reads a report through :class:`ReportFields`, the read-only fields it uses, so
that :mod:`~spacemarket.market.games.report` can import this module (``GameReport.to_text``)
without this module importing it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from spacemarket.market.games.pure_nash import pure_profile_regrets
from spacemarket.market.games.significance import Comparison, DominanceCheck, WelfareCheck

if TYPE_CHECKING:
    from spacemarket.market.games.dominance import DominanceResult
    from spacemarket.market.games.equilibrium import Equilibrium
    from spacemarket.market.games.learning import LearningResult
    from spacemarket.market.games.normal_form import NormalFormGame
    from spacemarket.market.games.significance import SignificanceReport
    from spacemarket.market.games.welfare import WelfareOptimum

__all__ = [
    "ReportFields",
    "fragile_verdicts",
    "render_report",
    "significance_legend",
    "summary_lines",
]


class ReportFields(Protocol):
    """What the renderer reads of a :class:`~spacemarket.market.games.report.GameReport`."""

    @property
    def game(self) -> NormalFormGame: ...
    @property
    def tol(self) -> float: ...
    @property
    def pure_equilibria(self) -> tuple[Equilibrium, ...]: ...
    @property
    def dominance(self) -> DominanceResult: ...
    @property
    def weak_dominance(self) -> DominanceResult | None: ...
    @property
    def welfare_optimum(self) -> WelfareOptimum: ...
    @property
    def weighted_welfare_optimum(self) -> WelfareOptimum | None: ...
    @property
    def pareto_set(self) -> tuple[tuple[int, ...], ...]: ...
    @property
    def mixed_equilibria(self) -> tuple[Equilibrium, ...] | None: ...
    @property
    def strictly_mixed_equilibria(self) -> tuple[Equilibrium, ...]: ...
    @property
    def mixed_method(self) -> str | None: ...
    @property
    def mixed_tol(self) -> float: ...
    @property
    def rejected(self) -> tuple[Equilibrium, ...]: ...
    @property
    def learning(self) -> tuple[LearningResult, ...]: ...
    @property
    def notes(self) -> tuple[str, ...]: ...
    @property
    def significance(self) -> SignificanceReport | None: ...


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _prof(g: NormalFormGame, p: tuple[int, ...]) -> str:
    return f"({', '.join(g.label(p))})"


def significance_legend(n_seeds: int, level: float = 0.95) -> str:
    """One line saying what the intervals and verdicts mean."""
    return (
        f"Differences: paired over the same {n_seeds} seeds (common random numbers), mean "
        f"[{level:.0%} t-interval]; 'not significant' = the interval covers 0, so noise can "
        "flip the verdict; '~N seeds' = the estimated count at which it would exclude 0 if "
        "the observed mean and sd held"
    )


def _opponents(g: NormalFormGame, c: Comparison) -> str:
    assert c.player is not None
    rest = [
        f"{g.player_names[j]} {g.action_names[j][a]}"
        for j, a in enumerate(c.worse)
        if j != c.player
    ]
    return ", ".join(rest) or "-"


def _dominance_lines(
    g: NormalFormGame, dom: DominanceResult, checks: tuple[DominanceCheck, ...] | None, weak: bool
) -> list[str]:
    word = "weakly dominated" if weak else "dominated"
    lines = []
    for k, e in enumerate(dom.eliminations):
        acts = g.action_names[e.player]
        line = (
            f"  round {e.round}: {g.player_names[e.player]} drops {acts[e.action]}"
            f" ({word} by {acts[e.dominated_by]}, margin {_fmt(e.margin)})"
        )
        if checks is None:
            lines.append(line)
            continue
        chk = checks[k]
        lines.append(line + (" - significant" if chk.significant else " - NOT SIGNIFICANT"))
        c = chk.binding
        failing = sum(not x.holds for x in chk.comparisons)
        which = f"not significant against {failing} of" if failing else "weakest of"
        lines.append(
            f"    against {_opponents(g, c)}: {c.diff.describe()}"
            f" [{which} {len(chk.comparisons)} opponent profiles]"
        )
    return lines


def _welfare_lines(g: NormalFormGame, chk: WelfareCheck | None) -> list[str]:
    if chk is None or not chk.comparisons:
        return []
    c = chk.comparisons[0]
    lines = [f"  vs runner-up {_prof(g, c.worse)}: {c.diff.describe()}"]
    rivals = [r for r in chk.rivals if r is not c]
    if rivals:
        lines.append(
            "  also not significantly below the maximum: "
            + "; ".join(f"{_prof(g, r.worse)} {r.diff.interval_text()}" for r in rivals)
        )
    return lines


def _weak_shown(report: ReportFields) -> bool:
    """Weak dominance is reported only where it leaves other actions than strict dominance."""
    weak = report.weak_dominance
    return weak is not None and weak.surviving != report.dominance.surviving


def fragile_verdicts(report: ReportFields) -> list[str]:
    """Every verdict of ``report`` resting on a difference whose interval covers zero."""
    sig = report.significance
    if sig is None:
        return []
    g = report.game
    out = []
    for chk in (*sig.dominance, *(sig.weak_dominance if _weak_shown(report) else ())):
        e = chk.elimination
        if not chk.significant:
            kind = "weak" if chk.weak else "strict"
            out.append(
                f"{kind} dominance: {g.player_names[e.player]} drops "
                f"{g.action_names[e.player][e.action]} for "
                f"{g.action_names[e.player][e.dominated_by]} "
                f"({chk.binding.diff.interval_text()})"
            )
    if report.dominance.solved and not all(c.significant for c in sig.dominance):
        out.append(f"dominance solution {_prof(g, report.dominance.profile)}")  # type: ignore[arg-type]
    for chk in sig.equilibria:
        for c in chk.failing:
            i = c.player
            assert i is not None
            out.append(
                f"equilibrium {_prof(g, chk.profile)}: {g.player_names[i]} loses "
                f"{c.diff.interval_text()} by deviating to {g.action_names[i][c.worse[i]]}"
            )
    for c in sig.not_ruled_out:
        out.append(f"{_prof(g, c.worse)} is not an equilibrium of the means, but no deviation "
                   f"gain is significant (largest {c.diff.interval_text()})")  # fmt: skip
    for label, chk in (("welfare maximum", sig.welfare),
                       ("weighted welfare maximum", sig.weighted_welfare)):  # fmt: skip
        if chk is not None and not chk.significant:
            out.append(
                f"{label} {_prof(g, chk.optimum)}: "
                + "; ".join(
                    f"{_prof(g, r.worse)} {r.diff.interval_text()} below" for r in chk.rivals
                )
            )
    return out


def render_report(report: ReportFields, max_rows: int = 64, summary: bool = True) -> str:
    """See :meth:`GameReport.to_text`."""
    g = report.game
    sig = report.significance
    players = "; ".join(
        f"{n} ({', '.join(a)})" for n, a in zip(g.player_names, g.action_names, strict=True)
    )
    title = f" {g.title}:" if g.title else ""
    lines = [f"Game:{title} {g.n_players} players - {players}"]
    if sig is not None:
        lines.append(significance_legend(sig.n_seeds, sig.level))
    nash = {e.pure_profile for e in report.pure_equilibria}
    pareto = set(report.pareto_set)
    best = set(report.welfare_optimum.profiles)
    reg = pure_profile_regrets(g.payoffs).max(axis=-1)
    if len(g.profiles()) <= max_rows:
        lines.append("Payoffs (profile: payoffs | welfare | max regret | flags):")
        for prof in g.profiles():
            flags = [f for f, on in (("NE", prof in nash), ("Pareto", prof in pareto),
                                     ("welfare-max", prof in best)) if on]  # fmt: skip
            pay = ", ".join(_fmt(u) for u in g.payoffs[prof])
            total = _fmt(float(g.payoffs[prof].sum()))
            lines.append(
                f"  {_prof(g, prof)}: ({pay}) | {total}"
                f" | {_fmt(float(reg[prof]))} | {' '.join(flags)}"
            )
    lines.append(f"Pure Nash equilibria ({len(report.pure_equilibria)}, tol {_fmt(report.tol)}):")
    for k, eq in enumerate(report.pure_equilibria):
        lines.append(
            f"  {g.describe(eq)}  payoffs ({', '.join(_fmt(u) for u in eq.payoffs)})"
            f"  max regret {_fmt(eq.max_regret)}"
        )
        if sig is None:
            continue
        chk = sig.equilibria[k]
        for i, name in enumerate(g.player_names):
            comps = [c for c in chk.comparisons if c.player == i]
            if comps:
                lines.append(
                    f"    {name} loses by deviating: "
                    + "; ".join(
                        f"to {g.action_names[i][c.worse[i]]} {c.diff.describe()}" for c in comps
                    )
                )
        lines.append(
            "    significant: every deviation loses significantly or ties in every seed"
            if chk.significant
            else f"    NOT SIGNIFICANT: {len(chk.failing)} deviation(s) could pay under noise"
        )
    if not report.pure_equilibria:
        lines.append("  none")
    if sig is not None and sig.not_ruled_out:
        lines.append("Not ruled out as pure equilibria (no deviation gain significant):")
        for c in sig.not_ruled_out:
            i = c.player
            assert i is not None
            lines.append(
                f"  {_prof(g, c.worse)}: largest gain {g.player_names[i]} to "
                f"{g.action_names[i][c.better[i]]} {c.diff.describe()}"
            )
    dom = report.dominance
    if dom.eliminations:
        lines.append(f"Iterated strict dominance ({dom.rounds} rounds):")
        lines += _dominance_lines(g, dom, sig.dominance if sig else None, weak=False)
    else:
        lines.append("Iterated strict dominance: no strategy is strictly dominated")
    if dom.solved:
        tail = ""
        if sig is not None and not all(c.significant for c in sig.dominance):
            tail = " - rests on a non-significant elimination"
        lines.append(f"  dominance solvable: {_prof(g, dom.profile)}{tail}")  # type: ignore[arg-type]
    weak = report.weak_dominance
    if weak is not None and _weak_shown(report):
        lines.append(
            f"Iterated weak dominance ({weak.rounds} rounds, all weakly dominated actions of a "
            "round at once; order-dependent, can remove equilibria):"
        )
        lines += _dominance_lines(g, weak, sig.weak_dominance if sig else None, weak=True)
        lines.append(
            "  surviving: "
            + "; ".join(
                f"{n} ({', '.join(g.action_names[i][a] for a in s)})"
                for i, (n, s) in enumerate(zip(g.player_names, weak.surviving, strict=True))
            )
        )
    for label, opt, chk in (
        ("Welfare-maximizing (sum of payoffs)", report.welfare_optimum,
         sig.welfare if sig else None),
        ("Welfare-maximizing (weighted)", report.weighted_welfare_optimum,
         sig.weighted_welfare if sig else None),
    ):  # fmt: skip
        if opt is not None:
            profs = "; ".join(_prof(g, p) for p in opt.profiles)
            lines.append(f"{label}: {profs}  welfare {_fmt(opt.welfare)}")
            lines += _welfare_lines(g, chk)
    lines.append("Pareto set: " + "; ".join(_prof(g, p) for p in report.pareto_set))
    if report.mixed_equilibria is not None:
        mixed = report.strictly_mixed_equilibria
        lines.append(
            f"Mixed equilibria ({report.mixed_method}, tol {_fmt(report.mixed_tol)}): "
            f"{len(report.mixed_equilibria)} found, {len(mixed)} strictly mixed"
            + (" (of the mean payoffs)" if sig is not None else "")
        )
        for eq in mixed:
            lines.append(
                f"  {g.describe(eq)}  payoffs ({', '.join(_fmt(u) for u in eq.payoffs)})"
                f"  max regret {_fmt(eq.max_regret)}"
            )
    for eq in report.rejected:
        lines.append(
            f"  rejected ({eq.method}): {g.describe(eq)}  max regret {_fmt(eq.max_regret)}"
        )
    if report.learning:
        lines.append("Learning (repeated seasons):")
    for res in report.learning:
        if res.reached is None:
            outcome = f"no pure profile; final {g.describe(res.final, 3)}"
        else:
            is_ne = "a pure NE" if res.reached in nash else "NOT a pure NE"
            outcome = f"reached {_prof(g, res.reached)}, {is_ne}"
        lines.append(f"  {res.method}, {res.rounds} rounds: {outcome}")
    lines.extend(f"Note: {n}" for n in report.notes)
    if summary and sig is not None:
        lines += summary_lines(fragile_verdicts(report), sig.level)
    return "\n".join(line.rstrip() for line in lines)


def summary_lines(fragile: list[str], level: float = 0.95) -> list[str]:
    """The closing list of verdicts that noise could reverse (or a line saying none)."""
    if not fragile:
        return [f"Every verdict above holds in its paired {level:.0%} intervals."]
    out = [
        f"Not significant at {level:.0%} (the paired interval covers 0; noise could reverse it):"
    ]
    return out + [f"  - {v}" for v in fragile]

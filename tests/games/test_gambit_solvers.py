"""The optional pygambit path: reference games, regret screening (gambit#492), timeouts.

Tests that need pygambit skip when it is not installed (``pip install "spacemarket[gambit]"``);
the error path when it is missing is tested either way.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from spacemarket.market.games import gambit_solvers, solve_game
from spacemarket.market.games.gambit_solvers import gambit_equilibria


def _pygambit():
    gbt = pytest.importorskip("pygambit")
    if not gbt.__version__.startswith("16."):
        pytest.skip(f"pygambit {gbt.__version__} is not the pinned 16.x API")
    return gbt


def test_missing_pygambit_raises_with_install_hint(monkeypatch, pennies):
    real_import = importlib.import_module

    def fake_import(name, *args, **kwargs):
        if name == "pygambit":
            raise ImportError("No module named 'pygambit'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(gambit_solvers.importlib, "import_module", fake_import)
    assert not gambit_solvers.gambit_available()
    with pytest.raises(ImportError, match=r"pip install \"spacemarket\[gambit\]\""):
        gambit_equilibria(pennies.payoffs, "enummixed")


def test_argument_errors_need_no_pygambit(coordination3, pennies):
    with pytest.raises(ValueError, match="two-player"):
        gambit_equilibria(coordination3.payoffs, "enummixed")
    with pytest.raises(ValueError, match="unknown pygambit method"):
        gambit_equilibria(pennies.payoffs, "nonsense")


@pytest.mark.parametrize("method", ["enummixed", "lcp", "gnm", "enumpoly", "logit"])
def test_matching_pennies_through_pygambit_check8(pennies, method):
    _pygambit()
    res = gambit_equilibria(pennies.payoffs, method, rng=3)
    (eq,) = res.equilibria
    assert res.rejected == ()
    assert eq.strategies[0] == pytest.approx([0.5, 0.5], abs=1e-6)
    assert eq.strategies[1] == pytest.approx([0.5, 0.5], abs=1e-6)
    assert eq.payoffs == pytest.approx([0.0, 0.0], abs=1e-6)
    assert eq.max_regret <= res.tol
    assert eq.method == f"gambit:{method}"


def test_battle_of_the_sexes_enummixed_agrees_with_support_enumeration(bos):
    _pygambit()
    theirs = gambit_equilibria(bos.payoffs, "enummixed").equilibria
    ours = bos.support_enumeration()
    assert len(theirs) == len(ours) == 3
    for eq in ours:
        assert any(eq.same_profile(t, atol=1e-9) for t in theirs)


def test_three_player_game_all_nine_equilibria(mckelvey_mclennan):
    _pygambit()
    pure = {e.pure_profile for e in mckelvey_mclennan.pure_nash_equilibria()}
    for method in ("gnm", "enumpoly"):
        res = gambit_equilibria(mckelvey_mclennan.payoffs, method, rng=0)
        assert len(res.equilibria) == 9, method
        assert all(e.max_regret <= res.tol for e in res.equilibria)
        assert {e.pure_profile for e in res.equilibria if e.is_pure} == pure
        totally_mixed = [e for e in res.equilibria if all(len(s) == 2 for s in e.supports)]
        assert len(totally_mixed) == 2


def test_logit_non_equilibrium_is_rejected_gambit_492(mckelvey_mclennan):
    """pygambit 16.7.0's logit tracer stops at a profile that is not an equilibrium."""
    _pygambit()
    res = gambit_equilibria(mckelvey_mclennan.payoffs, "logit")
    assert res.equilibria == ()
    (bad,) = res.rejected
    assert bad.max_regret > 0.1
    report = solve_game(mckelvey_mclennan, gambit_method="logit", learning=())
    assert report.mixed_equilibria == () and len(report.rejected) == 1
    assert "rejected (gambit:logit)" in report.to_text()


def test_gnm_default_perturbation_hang_is_cut_by_timeout(mckelvey_mclennan):
    """From pygambit's default perturbation (1 on each first strategy) gnm 16.7.0 never returns
    on this game; with ``timeout`` the subprocess is terminated instead of hanging the caller."""
    _pygambit()
    with pytest.raises(TimeoutError, match="did not finish within 2 s"):
        gambit_equilibria(
            mckelvey_mclennan.payoffs, "gnm", perturbations=[[[1, 0], [1, 0], [1, 0]]], timeout=2
        )
    res = gambit_equilibria(mckelvey_mclennan.payoffs, "gnm", rng=0, timeout=60)
    assert len(res.equilibria) == 9


def test_explicit_perturbation_shapes_are_checked(mckelvey_mclennan):
    _pygambit()
    with pytest.raises(ValueError, match="lengths"):
        gambit_equilibria(mckelvey_mclennan.payoffs, "gnm", perturbations=[[[1, 0], [1, 0]]])


def test_simpdiv_ipa_liap_return_verified_equilibria(coordination3):
    _pygambit()
    for method in ("simpdiv", "ipa", "liap", "enumpure"):
        res = gambit_equilibria(coordination3.payoffs, method, rng=1)
        assert res.equilibria, method
        assert all(e.max_regret <= res.tol for e in res.equilibria)
    pure = gambit_equilibria(coordination3.payoffs, "enumpure").equilibria
    assert sorted(e.pure_profile for e in pure) == [(0, 0, 0), (1, 1, 1)]
    assert np.all([e.max_regret == 0.0 for e in pure])


def test_enumpoly_misses_an_equilibrium_that_gnm_finds():
    """pygambit 16.7.0 ``enumpoly_solve`` is not complete on this random 3x3x3 game: it returns
    2 equilibria, gnm 3, all with zero regret (so 'all equilibria' must not be promised)."""
    _pygambit()
    rng = np.random.default_rng(1)
    rng.random(6)
    u = np.stack([rng.normal(size=(3, 3, 3)) for _ in range(3)], axis=-1)
    poly = gambit_equilibria(u, "enumpoly").equilibria
    gnm = gambit_equilibria(u, "gnm", rng=0).equilibria
    assert len(poly) == 2 and len(gnm) == 3
    assert all(any(p.same_profile(g, atol=1e-6) for g in gnm) for p in poly)
    assert all(e.max_regret <= 1e-9 for e in (*poly, *gnm))

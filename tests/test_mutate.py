"""Mutation testing (derive mutate) on every shipped derivation: no mutant that changes the
mathematics may survive.  And the mutation test itself can fail: a checker that verifies
everything is caught."""

import pytest

from derive import mutate
from derive.check.result import CheckResult
from derive.cli import main
from derive.registry import load, shipped

#: Mutation runs: not in the fast loop (pytest -m "not slow"), in CI (README), the full run below long.
pytestmark = pytest.mark.slow


@pytest.mark.long
@pytest.mark.parametrize("name", sorted(shipped()))
def test_every_mutant_of_every_shipped_derivation_is_killed(name):
    # Included steps are mutated in their own derivation's run.  The large derivations
    # (lu2025, takanami2025: several minutes each in full; letey2025, whose identities take
    # seconds each) are mutated on every twelfth (eighth) step here, to keep CI under 20
    # minutes; the full runs are `derive mutate NAME` (docs/checking.md).
    derivation = load(name)
    labels = derivation.own_labels()
    if len(labels) > 60:
        labels = labels[::12]
    elif len(labels) > 20:
        labels = labels[::8]
    results = mutate.run(derivation, labels=labels)
    rate, killed, changing, survivors = mutate.summary(results)
    assert changing > 0
    assert not survivors, [(m.label, m.kind, m.description) for m in survivors]
    assert rate == 1.0


def test_every_kind_of_mutation_is_generated():
    labels = ["M-prime-compact", "M-quadratic", "mp-moments", "M-kappa-infinity", "M-closed"]
    kinds = {m.kind for m in mutate.run(load("marchenko-pastur"), labels=labels, workers=1)}
    assert kinds >= {"sign", "coefficient", "drop", "exponent", "swap", "premise", "dropped", "relation",
                     "limit-value", "series-order", "high-coefficient", "other-root"}


def test_condition_and_direction_mutants_are_judged_apart_from_the_checker():
    import sympy as sp
    from derive import Derivation

    x = sp.Symbol("x", real=True)
    D = Derivation("conditions")
    D.parameter(x)
    D.step("abs", sp.Eq(sp.Abs(x - 1), x - 1), conditions=[x > 1])
    D.limit("side", sp.Abs(x) / x, x, 0, value=1, direction="+")
    results = {m.kind: m for m in mutate.run(D, workers=1)}
    # Dropping x > 1 makes the statement false: the checker must not verify it.
    assert results["loosened"].outcome == "killed"
    # x > 2 keeps it true: verifying it is right, failing it would be a bug.
    assert results["tightened"].outcome == "equivalent"
    # From the left |x|/x tends to -1, not 1.
    assert results["direction"].outcome == "killed"


def test_a_checker_that_passes_everything_is_caught(monkeypatch):
    def credulous(derivation, step):
        return CheckResult(step.label, step.kind, "verified", "credulous")

    monkeypatch.setattr(mutate, "check_step", credulous)
    results = mutate.run(load("marchenko-pastur"), labels=["M-prime-compact"], workers=1)
    rate, killed, changing, survivors = mutate.summary(results)
    assert survivors and rate == 0.0


def test_cli_reports_kill_rate_and_exit_code(capsys, demo_file):
    assert main(["mutate", str(demo_file)]) == 0
    out = capsys.readouterr().out
    assert "killed 13 of 13 that change the mathematics (100.0%)" in out

"""The soundness corpus: no false step verified, no true step failed, few true steps unverified.

Each trap (``tests/soundness/traps_*.py``) is a small derivation aimed at one way a checker can be
fooled.  A false step that comes out *verified*, or a true one that comes out *failed*, is a
soundness bug; a true step left *unverified* is a completeness gap, allowed for at most 13% of
the true traps (11.3% measured; the rate is checked in the long tier, not in CI).
"""

import functools

import pytest

import soundness

TRAPS = soundness.load()


@functools.cache
def outcome(name):
    """The check result of one trap, computed once per test session."""
    (trap,) = [t for t in TRAPS if t.name == name]
    return soundness.run(trap)


def test_the_corpus_is_large_and_covers_both_truths():
    assert len(TRAPS) >= 80
    assert sum(t.true for t in TRAPS) >= 15
    assert sum(not t.true for t in TRAPS) >= 50


def _param(trap):
    marks = [pytest.mark.xfail(strict=True, reason=trap.known)] if trap.known else []
    if trap.name in soundness.OPEN:
        # Found by the fuzzer, to be closed by another branch of issue 22 (soundness.OPEN).
        marks = [pytest.mark.xfail(strict=False, reason=f"closed by {soundness.OPEN[trap.name]}")]
    if trap.name in soundness.LONG:
        marks = [*marks, pytest.mark.long]
    return pytest.param(trap, marks=marks, id=f"{trap.klass}-{trap.name}")


@pytest.mark.slow  # the soundness corpus, trap by trap
@pytest.mark.parametrize("trap", [_param(t) for t in TRAPS])
def test_trap(trap):
    result = outcome(trap.name)
    # A checker error is a bug in the checker, even where it leaves the step safely unverified.
    assert result.method != "checker error", f"checker error: {result.evidence}"
    if trap.true:
        assert result.status not in ("failed", "refused"), f"true step failed: {trap.sets}: {result.method}: {result.evidence}"
    else:
        assert result.status != "verified", f"false step verified: {trap.sets}: {result.method}: {result.evidence}"


def test_the_known_wrong_verdicts_are_few_and_explained():
    known = [t for t in TRAPS if t.known]
    # Each one a limit of sampling or of simulating at finite sizes, listed in docs/checking.md:
    # a finite-size correction of order d^-1/4, and log log log n < 6 (false past e^(e^403)).
    assert len(known) <= 2 and all(len(t.known) > 20 for t in known)


@pytest.mark.long  # it checks every true trap again on one worker (about 190 s)
def test_few_true_steps_are_left_unverified():
    # The fuzzer's traps awaiting another branch of issue 22 are counted once it is merged.
    true = [t for t in TRAPS if t.true and t.name not in soundness.OPEN and t.name not in soundness.AWAITING]
    unverified = [t.name for t in true if outcome(t.name).status in ("unverified", "refused")]
    # Measured 11.3% (69 of 611, docs/checking.md): true twins that rest on number theory
    # beyond residue classes, point-mass laws, limits approached too slowly for the probes and
    # branch choices of non-polynomial premises are left unverified where nothing decides them.
    # The bound leaves room for the few traps whose CPU budget (90 s a step) a slower machine
    # can exhaust.
    assert len(unverified) <= 0.13 * len(true), f"unverified true traps: {unverified}"

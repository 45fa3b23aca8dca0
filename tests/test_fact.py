"""Facts are checked against simulation: a true fact passes, a wrong one fails, noise is honest.

The model: the resolvent trace of a Wishart matrix (see derivations/marchenko_pastur.py).  The
standard error of (1/d) tr (W - z)^{-1} is O(1/d) per trial (a linear spectral statistic
fluctuates O(1) unnormalised).  With d = 25, 50, 100 and 32 trials the intercept of the 1/d fit
has a standard error of 1.5e-3 to 4e-3 (measured), so 4 standard errors fit inside the
tolerance 3e-2.  A coefficient 1.5 instead of 1 on c z m^2 shifts the residual by
0.5 c |z| m^2, about 0.25 at c = 2, z = -0.5: beyond the tolerance by far more than 4 standard
errors.
"""

import dataclasses

import numpy as np
import sympy as sp

from derive import Derivation, Simulation
from derive.check import check_step
from derive.montecarlo import extrapolate, seeds
from derivations.marchenko_pastur import c, m, sample_resolvent_trace, z

POINTS = [{c: 0.5, z: -1.0}, {c: 2.0, z: -0.5}]


def fact(statement, tolerance=3e-2, sizes=(25, 50, 100), trials=32):
    D = Derivation("fact")
    D.fact("quadratic", statement,
           check=Simulation(sample_resolvent_trace, points=POINTS, sizes=sizes, trials=trials,
                            seed=7, tolerance=tolerance))
    return check_step(D, D["quadratic"])


def test_true_fact_is_verified_with_its_statistics():
    r = fact(sp.Eq(c*z*m(c, z)**2 + (z - 1 + c)*m(c, z) + 1, 0))
    assert r.status == "verified"
    assert r.method.startswith("monte carlo")
    for row in r.details["points"]:
        assert abs(row["extrapolated"]) <= 3e-2
        assert 4 * row["extrapolated_se"] <= 3e-2
        assert row["sizes"] == [25, 50, 100]


def test_wrong_fact_fails():
    r = fact(sp.Eq(sp.Rational(3, 2)*c*z*m(c, z)**2 + (z - 1 + c)*m(c, z) + 1, 0))
    assert r.status == "failed"


def test_too_noisy_to_decide_is_unverified():
    # A tolerance far below what 4 trials at d = 10 can resolve.
    r = fact(sp.Eq(c*z*m(c, z)**2 + (z - 1 + c)*m(c, z) + 1, 0), tolerance=1e-5, sizes=(10,), trials=4)
    assert r.status == "unverified"


def test_fact_without_simulation_is_unverified():
    D = Derivation("fact")
    D.fact("bare", sp.Eq(c*z*m(c, z)**2 + (z - 1 + c)*m(c, z) + 1, 0))
    r = check_step(D, D["bare"])
    assert r.status == "unverified" and "no simulation" in r.evidence


def test_simulation_is_reproducible_by_seed():
    first = fact(sp.Eq(c*z*m(c, z)**2 + (z - 1 + c)*m(c, z) + 1, 0))
    second = fact(sp.Eq(c*z*m(c, z)**2 + (z - 1 + c)*m(c, z) + 1, 0))
    assert first.details == second.details


def test_extrapolation_recovers_an_exact_one_over_d_law():
    sizes = np.array([50, 100, 200, 400])
    a, se, b = extrapolate(sizes, 0.3 + 2.0 / sizes, np.full(4, 1e-3))
    assert abs(a - 0.3) < 1e-12 and abs(b - 2.0) < 1e-9
    assert 0 < se < 1e-2


def test_seeds_depend_only_on_their_keys():
    assert seeds(1, 2, 3).standard_normal() == seeds(1, 2, 3).standard_normal()
    assert seeds(1, 2, 3).standard_normal() != seeds(1, 2, 4).standard_normal()


def test_fingerprint_changes_with_the_simulation():
    sim = Simulation(sample_resolvent_trace, points=POINTS)
    assert sim.fingerprint() != dataclasses.replace(sim, trials=3).fingerprint()

"""Quantities evaluate checked steps, never a formula typed a second time.

Every shipped quantity names the step whose binding ``Eq(name, value)`` it evaluates; an
implicit unknown is the root of a cited step's own residual, or the closed form of a cited step
where that step's conditions hold.  The numbers are checked three ways: against the values the
code gave before quantities cited their steps (computed with that code, not typed from
elsewhere), against sympy evaluating the steps themselves at the point, and, for letey2025's
numeric solver, against finite differences.
"""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive import Derivation, DerivationError
from derive.bindings import binding_of, substitute
from derive.derivation import IMPLICIT_KEYS
from derive.errors import LineageWarning
from derive.lower import lower_quantity
from derive.registry import load
from derive.step import DEFINITION

SHIPPED = ("marchenko-pastur", "lu2025", "takanami2025")

LU = ("alpha", "kappa", "tau", "rho", "lam")
TK = ("alpha", "alpha_test", "kappa", "rank_ratio", "tau", "sigma2", "lam", "sigma2_test")
#: (derivation, quantity, parameter names, point, value): computed with the code before this
#: change (``lower_quantity`` of the quantities that typed their equations), at points on both
#: sides of tau = 1, ridgeless and not.
BEFORE = [
    ("lu2025", "eps", LU, (1.0, 0.5, 2.0, 0.01, 1.0), 1.3698806094144351),
    ("lu2025", "eps", LU, (1.0, 0.5, 0.5, 0.01, 0.1), 1.8346785269705448),
    ("lu2025", "eps", LU, (10.0, math.inf, 2.0, 0.01, 0.1), 0.17579558656092953),
    ("lu2025", "eps", LU, (1.0, 0.5, 2.0, 0.01, 0.0), 0.0),
    ("lu2025", "eps", LU, (1.0, 2.0, 0.5, 0.01, 0.0), 1.8933607452432724),
    ("lu2025", "eps", LU, (3.0, 0.8, 0.9, 0.3, 0.0), 0.09657736546751743),
    ("lu2025", "e_idg", LU, (2.0, 2.0, 1.5, 0.1, 0.3), 0.6735537477603986),
    ("lu2025", "e_idg", LU, (1.0, 0.5, 2.0, 0.01, 0.0), 0.6095614063497403),
    ("lu2025", "e_idg", LU, (3.0, 0.8, 0.9, 0.3, 0.0), 5.296527809946906),
    ("lu2025", "e_icl", LU, (2.0, 3.0, 0.7, 0.2, 0.5), 1.1348552277271065),
    ("lu2025", "e_icl", LU, (10.0, math.inf, 2.0, 0.01, 0.1), 0.18935322854122294),
    ("lu2025", "e_icl", LU, (1.0, 2.0, 0.5, 0.01, 0.0), 1.2730748034366188),
    ("lu2025", "g_task", LU, (1.0, 0.5, 0.5, 0.01, 0.1), 0.4391656253927103),
    ("lu2025", "g_task", LU, (1.0, 0.5, 2.0, 0.01, 0.0), 0.6244311366894784),
    ("takanami2025", "xi", TK, (1.5, 1.5, 1.5, 0.9, 2.25, 0.09, 0.01, 0.0), 0.01191687097625242),
    ("takanami2025", "xi", TK, (1.0, 2.0, 1.0, 0.75, 0.5, 0.1, 0.0, 0.0), 1.8333333333333337),
    ("takanami2025", "xi", TK, (2.0, 2.0, 0.5, 0.25, 2.0, 0.1, 0.0, 0.0), 0.0),
    ("takanami2025", "nu", TK, (2.0, 1.0, 0.5, 0.75, 1.5, 0.25, 0.3, 0.1), 0.8445240418758675),
    ("takanami2025", "e_pre", TK, (1.0, 2.0, 1.0, 0.75, 0.5, 0.1, 0.0, 0.0), 1.159800995024875),
    ("takanami2025", "e_tm", TK, (2.0, 1.0, 0.5, 0.75, 1.5, 0.25, 0.3, 0.1), 0.941591753603603),
    ("takanami2025", "e_idg", TK, (2.0, 2.0, 0.25, 0.5, 2.25, 0.09, 0.0, 0.0), 0.903197805505682),
    ("takanami2025", "e_idg", TK, (1.0, 2.0, 1.0, 0.75, 0.5, 0.1, 0.0, 0.0), 1.0544866576209857),
    ("takanami2025", "e_odg", TK, (2.0, 2.0, 0.5, 0.25, 2.0, 0.1, 0.0, 0.0), 1.307828361029816),
    ("takanami2025", "e_odg", TK, (1.5, 1.5, 1.5, 0.9, 2.25, 0.09, 0.01, 0.0), 0.9443238959608538),
    ("takanami2025", "e_idg_noise_iso", TK, (2.0, 1.0, 0.5, 0.75, 1.5, 0.25, 0.3, 0.1), 0.5558238739334839),
    ("marchenko-pastur", "M", ("kappa", "x"), (0.5, 0.1), 5.4221443851123805),
    ("marchenko-pastur", "M_prime", ("kappa", "x"), (2.0, 1.0), -0.34887468762716545),
]


@pytest.fixture(scope="module")
def derivations():
    return {name: load(name) for name in SHIPPED}


def _own_quantities(derivations):
    for name, D in derivations.items():
        for quantity in D.quantities.values():
            yield name, D, quantity


def test_every_quantity_evaluates_a_cited_step(derivations):
    for name, D, quantity in _own_quantities(derivations):
        where = f"{name}: {quantity.name}"
        for label in quantity.steps():
            assert label in D, f"{where} cites '{label}', not a step"
        if quantity.expr in quantity.implicit:
            continue  # the value is the root itself, checked below
        # The value is a name some cited step binds: the quantity evaluates that step.
        assert quantity.of is not None, f"{where} evaluates an expression no step states"
        pair = binding_of(D[quantity.of].statement)
        assert pair is not None and pair[0] == quantity.expr, where
        assert quantity.of in quantity.uses


def test_every_implicit_unknown_is_solved_from_a_cited_step(derivations):
    for name, D, quantity in _own_quantities(derivations):
        for unknown, spec in quantity.implicit.items():
            where = f"{name}: {quantity.name}, {unknown}"
            assert set(spec) <= set(IMPLICIT_KEYS), where  # no equation typed in the spec
            step = D[spec["step"]]
            if "equals" in spec:
                # a member of a family: the step binds a name, equals= (parameters only) picks the
                # member where the name takes that value, which claims nothing
                assert binding_of(step.statement) is not None, where
                assert sp.sympify(spec["equals"]).free_symbols <= set(quantity.parameters), where
                continue
            assert step.kind != DEFINITION, where  # a claim the checker decides
            assert unknown in step.residual.free_symbols, where
            for label in spec.get("closed", ()):
                closed = D[label]
                lhs = closed.statement.lhs
                # Either Eq(unknown, value) or Eq(Limit(p, unknown, point), c) ...
                assert lhs == unknown or (isinstance(lhs, sp.Limit) and lhs.args[1] == unknown), where
                # ... and it says where it applies.
                assert closed.conditions, f"{where}: closed form '{label}' has no conditions"


def _closed_pieces(D, quantity, unknown):
    """(value, where) of each closed-form step, read off the statements here (not by derive)."""
    pieces = []
    for label in quantity.implicit[unknown].get("closed", ()):
        step = D[label]
        lhs, rhs = step.statement.lhs, step.statement.rhs
        if lhs == unknown:
            pieces.append((label, rhs, list(step.conditions)))
        else:
            pieces.append((label, lhs.args[2], [sp.Eq(lhs.args[0], rhs)] + list(step.conditions)))
    return pieces


def _table(D, quantity, uses, unknowns):
    fixed = set(quantity.parameters) | set(unknowns)
    return [(n, v) for n, v in D.bindings(uses) if n not in fixed]


def by_substitution(D, quantity, point, dps=30):
    """The quantity at ``point`` by sympy from its steps: the unknown is the closed form whose
    conditions hold there, else the root of the step's residual (bracketed about the lowered
    root, polished by mpmath at ``dps`` digits); the value is the step's right side at it."""
    values = {p: sp.Float(v, dps) if math.isfinite(v) else sp.oo
              for p, v in zip(quantity.parameters, point)}
    lowered = lower_quantity(D, quantity.name)
    roots = {}
    for index, (unknown, spec) in enumerate(quantity.implicit.items()):
        step = D[spec["step"]]
        for label, value, conditions in _closed_pieces(D, quantity, unknown):
            table = _table(D, quantity, quantity.uses + D[label].uses, quantity.implicit)
            if all(bool(substitute(c, table).subs(values)) for c in conditions):
                roots[unknown] = substitute(value, table).subs(values).evalf(dps)
                break
        else:
            table = _table(D, quantity, quantity.uses + step.uses, quantity.implicit)
            residual = substitute(step.residual, table).subs(values)
            f = sp.lambdify(unknown, residual, modules="mpmath")
            guess = float(lowered.implicit[index](*[np.array([float(v)]) for v in point])[0])
            with mpmath.workdps(dps):
                low, high = mpmath.mpf(guess) * (1 - 1e-9), mpmath.mpf(guess) * (1 + 1e-9)
                assert mpmath.sign(f(low)) != mpmath.sign(f(high)), (quantity.name, "no root of", step.label)
                roots[unknown] = sp.Float(mpmath.findroot(f, (low, high), solver="anderson"), dps)
    if quantity.expr in roots:
        return complex(roots[quantity.expr])
    value = substitute(D[quantity.of].statement.rhs, _table(D, quantity, quantity.uses, quantity.implicit))
    return complex(value.subs(values).subs(roots).evalf(dps))


POINTS = {
    "lu2025": [(1.0, 0.5, 2.0, 0.01, 1.0), (2.0, 3.0, 0.7, 0.2, 0.5), (1.0, 0.5, 2.0, 0.01, 0.0),
               (1.0, 2.0, 0.5, 0.01, 0.0)],
    "takanami2025": [(2.0, 1.0, 0.5, 0.75, 1.5, 0.25, 0.3, 0.1), (1.0, 2.0, 1.0, 0.75, 0.5, 0.1, 0.0, 0.0),
                     (2.0, 2.0, 0.5, 0.25, 2.0, 0.1, 0.0, 0.0)],
}
CASES = [("lu2025", q) for q in ("eps", "e_idg", "e_icl", "g_task")] + \
        [("takanami2025", q) for q in ("xi", "nu", "e_pre", "e_tm", "e_idg", "e_odg", "e_odg_noise_iso",
                                       "e_idg_alg")]


@pytest.mark.parametrize("name, quantity", CASES)
def test_lowered_equals_the_steps_evaluated_by_sympy(derivations, name, quantity):
    D = derivations[name]
    q = D.quantities[quantity]
    f = lower_quantity(D, quantity)
    for point in POINTS[name]:
        fast = complex(f(*[np.array([v]) for v in point])[0])
        exact = by_substitution(D, q, point)
        assert abs(fast - exact) <= 1e-10 * max(1.0, abs(exact)), (quantity, point, fast, exact)


@pytest.mark.parametrize("name, quantity, parameters, point, before", BEFORE)
def test_numbers_are_those_of_before(derivations, name, quantity, parameters, point, before):
    f = lower_quantity(derivations[name], quantity)
    assert tuple(str(p) for p in f.parameters) == parameters
    assert float(f(*[np.array([v]) for v in point])[0]) == pytest.approx(before, rel=1e-12, abs=1e-14)


def test_an_equation_typed_for_an_unknown_is_refused():
    u, a = sp.symbols("u a", positive=True)
    D = Derivation("typed")
    D.parameter(a)
    D.define("u-def", sp.Eq(u, sp.sqrt(a)))
    D.step("u-square", sp.Eq(u**2, a), uses=["u-def"])
    with pytest.raises(DerivationError, match="equation"):
        D.quantity("u", u, (a,), implicit={u: dict(equation=u**2 - a, lower=0, upper=1)})
    with pytest.raises(DerivationError, match="does not read"):
        D.quantity("u2", "u-square", (a,))
    with pytest.raises(DerivationError, match="unknown step"):
        D.quantity("u", u, (a,), implicit={u: dict(step="nowhere")})
    with pytest.raises(DerivationError, match="no closed form"):
        D.quantity("u", u, (a,), implicit={u: dict(step="u-square", closed=["u-square"])})


def test_a_quantity_solved_from_a_step_with_a_closed_form():
    u, a = sp.symbols("u a", positive=True)
    b = sp.Symbol("b", nonnegative=True)
    D = Derivation("root")
    D.parameter(a, b, u)
    D.step("cubic", sp.Eq(u**3 + a * u, b))
    D.solve("b-of-u", "cubic", b)
    D.limit("u-at-b-zero", b, u, 0, uses=["b-of-u"], value=0, conditions=[a > 0])
    q = D.quantity("u", u, (a, b), implicit={u: dict(step="cubic", lower=0, upper=1, closed=["u-at-b-zero"])})
    assert q.of is None and q.steps() == ["cubic", "u-at-b-zero"]
    f = lower_quantity(D, "u")
    # 'cubic' is claimed with no premises, so the checker fails it, and the number says so
    with pytest.warns(LineageWarning, match=r"u rests on steps not verified: cubic \(failed\)"):
        got = f(np.array([1.0, 2.0, 1.0]), np.array([2.0, 0.0, 0.0]))
    assert got.tolist() == pytest.approx([1.0, 0.0, 0.0], abs=1e-13)


# ---- letey2025: the numeric solver of the self-consistency ---------------------------------

#: (eigenvalues, weights, kappa, nu) -> (M, M'), computed with the hand-written solver before.
SOLVE_M_BEFORE = [
    (([2.0, 0.0], [0.5, 0.5], 0.5, 0.3), (2.199155576585812, -6.611762639763019)),
    (([1.0, 1.0, 1.0], [1 / 3] * 3, 2.0, 0.7), (0.6931856494789597, -0.5538940363796014)),
    (([3.0, 0.5, 0.25], [0.2, 0.5, 0.3], 1.2, 0.4), (1.3392250773128356, -2.31855686216044)),
]


@pytest.mark.parametrize("args, before", SOLVE_M_BEFORE)
def test_solve_M_is_unchanged_and_its_derivative_is_the_slope(args, before):
    from derivations.letey2025_alignment import solve_M

    spectrum, weights, kappa, nu = args
    spectrum, weights = np.array(spectrum), np.array(weights)
    M, Mp = solve_M(spectrum, weights, kappa, nu)
    assert (M, Mp) == pytest.approx(before, rel=1e-12)
    h = 1e-5
    slope = (solve_M(spectrum, weights, kappa, nu + h)[0] - solve_M(spectrum, weights, kappa, nu - h)[0]) / (2 * h)
    assert Mp == pytest.approx(slope, rel=1e-7)


def test_alignment_error_is_unchanged():
    from derivations.letey2025_alignment import alignment_error, covariance

    train, test = covariance("half", 24), covariance("power", 24)[::-1]
    got = alignment_error(train, test, 2.0, 2.0, 1.0, 2.0, 0.1, 0.2)
    before = {"e": 1.2460319948416978, "xi": 0.31891638801865585, "M": 0.7972222539671647,
              "M_prime": -0.7835265375966981}
    assert {k: got[k] for k in before} == pytest.approx(before, rel=1e-10)
    train, test = covariance("power", 24), covariance("half", 24)[::-1]
    got = alignment_error(train, test, 2.0, 1.5, 0.7, 1.5, 0.1, 0.0)
    before = {"e": 2.261821998844748, "xi": 0.0, "M": 1.1296453410782474, "M_prime": -1.6359988779659846}
    assert {k: got[k] for k in before} == pytest.approx(before, rel=1e-10)


# ---- the command line ----------------------------------------------------------------------

#: Rows ``derive eval`` printed before this change (the same commands, run with that code).
EVAL_BEFORE = {
    ("lu2025", "eps", "alpha=1", "kappa=0.5,2", "tau=0.5,2", "rho=0.1", "lam=0,1"): {
        "1.0,0.5,0.5,0.1,0.0": 1.7342719282327013, "1.0,0.5,0.5,0.1,1.0": 3.363266441450848,
        "1.0,0.5,2.0,0.1,0.0": 0.0, "1.0,0.5,2.0,0.1,1.0": 1.381821523344611,
        "1.0,2.0,0.5,0.1,0.0": 1.988308515906837, "1.0,2.0,0.5,0.1,1.0": 3.581486725484511},
    ("lu2025", "e_icl", "alpha=0.5", "kappa=0.5,inf", "tau=0.5,2", "rho=0.01", "lam=0,0.3"): {
        "0.5,0.5,0.5,0.01,0.0": 1.451946654508899, "0.5,0.5,0.5,0.01,0.3": 1.2938956047524535,
        "0.5,inf,2.0,0.01,0.0": 1.3577483443708607, "0.5,inf,2.0,0.01,0.3": 1.0775866661359537},
    ("takanami2025", "e_idg", "alpha=2", "kappa=0.25,1", "rank_ratio=0.5", "tau=0.5,2.25", "sigma2=0.09",
     "lam=0,0.2"): {
        "2.0,2.0,0.25,0.5,2.25,0.09,0.0,0.0": 0.903197805505682,
        "2.0,2.0,0.25,0.5,2.25,0.09,0.2,0.0": 0.8503015983539172,
        "2.0,2.0,1.0,0.5,0.5,0.09,0.0,0.0": 0.8320930858925586,
        "2.0,2.0,1.0,0.5,0.5,0.09,0.2,0.0": 0.6615681751639061},
    ("takanami2025", "xi", "alpha=1.5", "kappa=0.25,1", "rank_ratio=0.5", "tau=0.5,2.25", "sigma2=0.09",
     "lam=0,0.2"): {
        "1.5,1.5,0.25,0.5,0.5,0.09,0.0,0.0": 1.0459715425678662,
        "1.5,1.5,0.25,0.5,0.5,0.09,0.2,0.0": 1.2529766678705645},
}


@pytest.mark.parametrize("command", sorted(EVAL_BEFORE))
def test_derive_eval_prints_the_numbers_of_before(capsys, command):
    from derive.cli import main

    assert main(["eval", *command]) == 0
    rows = dict(line.rsplit(",", 1) for line in capsys.readouterr().out.strip().splitlines()[1:])
    for point, before in EVAL_BEFORE[command].items():
        assert float(rows[point]) == pytest.approx(before, rel=1e-13, abs=1e-15), point

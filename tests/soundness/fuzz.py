"""An adversary for the checker: true identities of the kinds the papers use, perturbed on small sets.

Each *family* is a hypothesis strategy that draws the parameters of a few true identities (exact
rationals, integers, sympy expressions) and returns a list of :class:`Case`: the true statement
and its perturbations, each false *by construction* on a small set the checker may not reach:

- ``epsilon``: a side moved by 10^-40 (or 10^-60): false everywhere, by less than 50 digits see;
- ``period``: an integral or a sum taken one period (one term) further, or one fewer;
- ``far``: a condition dropped so that the statement fails only beyond 10^7 .. 10^30;
- ``parity``: true for even integers only;
- ``kink``/``pole``: false past a kink, or through a pole that sits at a parameter-dependent point;
- ``sign``/``branch``: a sign or a branch of a root flipped;
- ``assumption``: the symbol's assumption (imaginary, extended_positive, negative) dropped;
- ``capture``: the value a binding substitutes is captured by a bound variable;
- ``proposer``: sympy's own answer (its ``integrate``), where an independent quadrature shows it
  wrong: the checker must not accept the proposer's mistake as a proof;
- ``divergent``: linearity over means that do not exist.

A false case must not come out *verified*, a true one must not come out *failed*; a true case
left *unverified* (or refused at build) counts against completeness only: the fuzzer reports
that rate per family.  ``tests/test_fuzz_checker.py`` runs every family at a fixed derandomized
profile; ``bench/fuzz_checker.py`` runs many more examples and prints the table.

This module is not a ``traps_*`` module: :func:`soundness.load` does not import it.  The
minimal wrong verdicts it found are traps of their own in ``traps_kernel_fuzz.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import mpmath
import sympy as sp
from hypothesis import strategies as st

from derive import Asymptotic, CheckResult, Derivation, DerivationError, Holds
from derive.notation import Meaning
from derive.rmt import SpectralMean, UniformMean

#: The smallest perturbation: 50 digits do not see it, the precision ladder must.
EPS = sp.Rational(1, 10 ** 40)
#: Far ranges: integers are drawn below 10^6 and reals below 10^12 by the sampler.
FAR = (10 ** 7, 10 ** 9, 10 ** 13, 10 ** 15, 10 ** 30)

x = sp.Symbol("x", positive=True)
y = sp.Symbol("y", positive=True)
t = sp.Symbol("t", real=True)
s = sp.Symbol("s", real=True)
a = sp.Symbol("a", positive=True)
ar = sp.Symbol("a", real=True)
n = sp.Symbol("n", integer=True, positive=True)
n0 = sp.Symbol("n", integer=True, nonnegative=True)
k = sp.Symbol("k", integer=True, positive=True)
j = sp.Symbol("j", integer=True, nonnegative=True)
r = sp.Symbol("r", positive=True)
u = sp.Symbol("u", positive=True)
z = sp.Symbol("z")
m = sp.Function("m")
M = sp.Function("M")
f = sp.Function("f")


@dataclass(frozen=True)
class Case:
    """One statement of a family: ``true`` by construction, or false by the named perturbation."""

    family: str
    perturbation: str  # "none" for the true statement, else the kind of perturbation
    true: bool
    sets: str
    build: Callable  # () -> (Derivation, label)

    def __repr__(self):
        return f"Case({self.family}/{self.perturbation}, {'true' if self.true else 'false'}: {self.sets})"


def EQ(lhs, rhs):
    """An equation sympy does not decide as it is built."""
    return sp.Eq(lhs, rhs, evaluate=False)


def one_step(statement, conditions=(), parameters=()):
    """A derivation of one step ``s`` (the form of the corpus's ``_step``)."""

    def build():
        D = Derivation("fuzz")
        free = set(statement.free_symbols).union(*(c.free_symbols for c in conditions))
        params = free | set(parameters)
        if params:
            D.parameter(*sorted(params, key=str))
        D.step("s", statement, conditions=list(conditions))
        return D, "s"

    return build


def _case(family, perturbation, true, sets, build):
    return Case(family, perturbation, bool(true), sets, build)


def run(case):
    """Build the case and check its step (no cache): a :class:`~derive.CheckResult`.

    A derivation the builder refuses never reaches the checker (status ``refused``).
    """
    from derive.check import check_step

    try:
        derivation, label = case.build()
        derivation.validate()
    except DerivationError as exc:
        return CheckResult("s", "build", "refused", "refused at build", str(exc))
    return check_step(derivation, derivation[label])


def wrong(case, result):
    """Why the verdict is wrong (a soundness bug), or ``""``."""
    if result.method == "checker error":
        return "checker error"
    if case.true and result.status == "failed":
        return "true failed"
    if not case.true and result.status == "verified":
        return "false verified"
    return ""


# ---------------------------------------------------------------------------------------------
# helpers for the strategies
# ---------------------------------------------------------------------------------------------

small_int = st.integers(-5, 5)
nonzero_int = st.integers(1, 5).flatmap(lambda v: st.sampled_from([v, -v]))
pos_rational = st.sampled_from([sp.Integer(1), sp.Rational(1, 3), sp.Integer(2), sp.Rational(7, 2),
                                sp.Integer(10), sp.Rational(1, 1000)])
far = st.sampled_from(FAR)
epsilon = st.sampled_from([EPS, sp.Rational(1, 10 ** 60), -EPS])


def _poly(coeffs, var):
    return sum(c * var ** i for i, c in enumerate(coeffs))


# ---------------------------------------------------------------------------------------------
# rational
# ---------------------------------------------------------------------------------------------


@st.composite
def rational(draw):
    """P Q / Q = P for polynomials with small integer coefficients, and P + Max(0, x - N) far out."""
    P = _poly(draw(st.lists(small_int, min_size=2, max_size=4).filter(any)), x)
    q0 = draw(st.integers(1, 7))
    Q = x ** draw(st.integers(1, 2)) + q0
    lhs = sp.expand(P * Q) / Q
    e = draw(epsilon)
    N = draw(far)
    flip = draw(st.integers(0, 3))
    terms = sp.Poly(P, x).all_coeffs()[::-1]
    i = next((i for i in range(flip, flip + len(terms)) if terms[i % len(terms)] != 0)) % len(terms)
    flipped = P - 2 * terms[i] * x ** i
    return [
        _case("rational", "none", True, f"{lhs} = {P}", one_step(EQ(lhs, P))),
        _case("rational", "epsilon", False, f"{lhs} = {P} + {e}", one_step(EQ(lhs, P + e))),
        _case("rational", "sign", False, f"{lhs} = {flipped}", one_step(EQ(lhs, flipped))),
        _case("rational", "far", False, f"{lhs} = {P} + Max(0, x - {N})",
              one_step(EQ(lhs, P + sp.Max(0, x - N)))),
    ]


# ---------------------------------------------------------------------------------------------
# integers: far ranges and parity
# ---------------------------------------------------------------------------------------------


@st.composite
def integer(draw):
    """Mod(n, N) = n and floor(n/N) = 0 hold for n < N only; (-1)^(n(n+p)) = 1 iff p is odd."""
    N = draw(far) + draw(st.integers(0, 3))
    p = draw(st.integers(1, 6))
    c = draw(st.integers(1, 4))
    cases = [
        _case("integer", "none", True, f"Mod(n, {N}) = n for n < {N}",
              one_step(EQ(sp.Mod(n, N), n), conditions=[n < N])),
        _case("integer", "far", False, f"Mod(n, {N}) = n", one_step(EQ(sp.Mod(n, N), n))),
        _case("integer", "none", True, f"floor({c} n/{N}) = 0 for {c} n < {N}",
              one_step(EQ(sp.floor(c * n / N), 0), conditions=[c * n < N])),
        _case("integer", "far", False, f"floor({c} n/{N}) = 0", one_step(EQ(sp.floor(c * n / N), 0))),
        _case("integer", "parity" if p % 2 == 0 else "none", p % 2 == 1, f"(-1)^(n (n + {p})) = 1",
              one_step(EQ((-1) ** (n * (n + p)), 1))),
        _case("integer", "parity", False, f"(-1)^({p} n + n) = 1 with {p} + 1 odd"
              if p % 2 == 0 else f"(-1)^({p} n) = 1 with {p} odd",
              one_step(EQ((-1) ** ((p + 1) * n if p % 2 == 0 else p * n), 1))),
    ]
    return cases


# ---------------------------------------------------------------------------------------------
# assumptions sympy can state
# ---------------------------------------------------------------------------------------------

#: (assumption, symbol, a positive quantity made of it, the same with the assumption dropped)
_ASSUMED = [
    ("imaginary", sp.Symbol("z", imaginary=True), lambda v: -v ** 2, sp.Symbol("z", real=True)),
    ("extended_positive", sp.Symbol("x", extended_positive=True), lambda v: v, sp.Symbol("x", real=True)),
    ("negative", sp.Symbol("x", negative=True), lambda v: -v, sp.Symbol("x", real=True)),
    ("extended_negative", sp.Symbol("x", extended_negative=True), lambda v: -v, sp.Symbol("x", real=True)),
    ("nonzero real", sp.Symbol("x", real=True, nonzero=True), lambda v: v ** 2, sp.Symbol("x")),
]


@st.composite
def assumptions(draw):
    """Identities about q > 0 for q made of a symbol whose assumption makes it positive.

    log(c q^2) = log c + 2 log q and atan(c q) + atan(1/(c q)) = pi/2: true by the
    assumption; false when the assumption is dropped or the sign flipped.
    """
    name, sym, pos, plain = draw(st.sampled_from(_ASSUMED))
    c = draw(pos_rational)
    q, qp = pos(sym), pos(plain)
    template = draw(st.sampled_from(["log", "atan"]))
    if template == "log":
        make = lambda v: EQ(sp.log(c * v ** 2), sp.log(c) + 2 * sp.log(v))
        flip = EQ(sp.log(c * q ** 2), sp.log(c) + 2 * sp.log(-q))
    else:
        make = lambda v: EQ(sp.atan(c * v) + sp.atan(1 / (c * v)), sp.pi / 2)
        flip = EQ(sp.atan(c * q) + sp.atan(1 / (c * q)), -sp.pi / 2)
    return [
        _case("assumptions", "none", True, f"{make(q)} for {name} {sym}", one_step(make(q))),
        _case("assumptions", "assumption", False, f"{make(qp)} for {plain} {plain.assumptions0.get('real') and 'real' or 'complex'}",
              one_step(make(qp))),
        _case("assumptions", "sign", False, f"{flip} for {name} {sym}", one_step(flip)),
    ]


# ---------------------------------------------------------------------------------------------
# algebraic, with branches
# ---------------------------------------------------------------------------------------------


def _solve(premise, name, form, branch, conditions=(), parameters=()):
    def build():
        D = Derivation("fuzz")
        D.parameter(*parameters)
        D.define("M-def", sp.Eq(name, Meaning("the root")))
        D.fact("p", premise, uses=["M-def"])
        D.solve("s", "p", name, form=form, branch=list(branch), conditions=list(conditions))
        return D, "s"

    return build


@st.composite
def algebraic(draw):
    """sqrt of a product, sqrt of a square past a far kink, and the positive root of x M^2 + b M - 1."""
    b = draw(pos_rational)
    c = draw(pos_rational)
    N = draw(far)
    e = draw(epsilon)
    premise = sp.Eq(x * M(x) ** 2 + b * M(x) - 1, 0)
    positive = (sp.sqrt(b ** 2 + 4 * x) - b) / (2 * x)
    negative = (-sp.sqrt(b ** 2 + 4 * x) - b) / (2 * x)
    return [
        _case("algebraic", "none", True, f"sqrt((x + {b})(y + {c})) = sqrt(x + {b}) sqrt(y + {c})",
              one_step(EQ(sp.sqrt((x + b) * (y + c)), sp.sqrt(x + b) * sp.sqrt(y + c)))),
        _case("algebraic", "assumption", False, f"sqrt((t + {b})(s + {c})) = sqrt(t + {b}) sqrt(s + {c}), t, s real",
              one_step(EQ(sp.sqrt((t + b) * (s + c)), sp.sqrt(t + b) * sp.sqrt(s + c)))),
        _case("algebraic", "none", True, f"sqrt((x - {N})^2) = {N} - x for x < {N}",
              one_step(EQ(sp.sqrt((x - N) ** 2), N - x), conditions=[x < N])),
        _case("algebraic", "far", False, f"sqrt((x - {N})^2) = {N} - x",
              one_step(EQ(sp.sqrt((x - N) ** 2), N - x))),
        _case("algebraic", "none", True, f"x M^2 + {b} M - 1 = 0, M > 0: M = positive root",
              _solve(premise, M(x), positive, [Holds(M(x) > 0)], parameters=[x])),
        _case("algebraic", "branch", False, f"x M^2 + {b} M - 1 = 0, M > 0: M = negative root",
              _solve(premise, M(x), negative, [Holds(M(x) > 0)], parameters=[x])),
        _case("algebraic", "sign", False, f"x M^2 + {b} M - 1 = 0, M < 0: M = positive root",
              _solve(premise, M(x), positive, [Holds(M(x) < 0)], parameters=[x])),
        _case("algebraic", "epsilon", False, f"x M^2 + {b} M - 1 = 0, M > 0: M = positive root + {e}",
              _solve(premise, M(x), positive + e, [Holds(M(x) > 0)], parameters=[x])),
    ]


# ---------------------------------------------------------------------------------------------
# Stieltjes curves: s2 m^2 + (z - c) m + 1 = 0 (a semicircle of variance s2 centred at c)
# ---------------------------------------------------------------------------------------------

_STIELTJES_BRANCH = lambda: [Asymptotic(z * m(z), z, sp.I * sp.oo, -1),
                             Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0]),
                             Holds(sp.im(m(z)) < 0, where=[sp.im(z) < 0])]


@st.composite
def stieltjes(draw):
    """The semicircle's Stieltjes branch, at scales from 10^-6 to 10^30, and its perturbations.

    Right: (-(z - c) + sqrt(z - c - 2 s) sqrt(z - c + 2 s))/(2 s^2), the cut on the support;
    (-(z - c) + sqrt((z - c)^2 - 4 s^2))/(2 s^2) is the same only for re z > c (its cut also runs
    along re z = c).
    """
    sd = draw(st.sampled_from([sp.Integer(1), sp.Rational(1, 2), sp.Integer(3), sp.Rational(1, 1000),
                               sp.Integer(10 ** 3), sp.Integer(10 ** 6), sp.Integer(10 ** 10), sp.Integer(10 ** 15)]))
    c = draw(st.sampled_from([sp.Integer(0), sp.Integer(3), sp.Rational(-1, 2), sp.Integer(10 ** 6)]))
    s2 = sd ** 2
    w = z - c
    premise = sp.Eq(s2 * m(z) ** 2 + w * m(z) + 1, 0)
    good = (-w + sp.sqrt(w - 2 * sd) * sp.sqrt(w + 2 * sd)) / (2 * s2)
    other = (-w - sp.sqrt(w - 2 * sd) * sp.sqrt(w + 2 * sd)) / (2 * s2)
    onecut = (-w + sp.sqrt(w ** 2 - 4 * s2)) / (2 * s2)
    flipped = [Asymptotic(z * m(z), z, sp.I * sp.oo, -1), Holds(sp.im(m(z)) < 0, where=[sp.im(z) > 0])]
    label = f"s2 m^2 + (z - {c}) m + 1 = 0, s = {sd}"

    def case(pert, true, what, form, branch, conditions=()):
        build = _solve(premise, m(z), form, branch, conditions, parameters=[z])
        return _case("stieltjes", pert, true, f"{label}: {what}", build)

    return [
        case("none", True, "m = the Stieltjes branch", good, _STIELTJES_BRANCH()),
        case("branch", False, "m = the other root", other, _STIELTJES_BRANCH()),
        case("branch", False, "m = (-(z - c) + sqrt((z - c)^2 - 4 s2))/(2 s2) everywhere", onecut, _STIELTJES_BRANCH()),
        case("none", True, "m = (-(z - c) + sqrt((z - c)^2 - 4 s2))/(2 s2) for re z > c", onecut, _STIELTJES_BRANCH(),
             [sp.re(z) > c]),
        case("kink", False, "m = (-(z - c) + sqrt((z - c)^2 - 4 s2))/(2 s2) for re z > c - s/100", onecut,
             _STIELTJES_BRANCH(), [sp.re(z) > c - sd / 100]),
        case("sign", False, "m = the branch, with im m < 0 above the axis", good, flipped),
        _far_scale(draw(st.sampled_from([sp.Integer(10 ** 20), sp.Integer(1), sp.Integer(10 ** 6), sp.Integer(10 ** 30)]))),
    ]


def _far_scale(V):
    """The semicircle of a symbolic radius 2 v claimed for v > V (the parameters far out)."""
    v = sp.Symbol("v", positive=True)
    premise = sp.Eq(v ** 2 * m(z) ** 2 + z * m(z) + 1, 0)
    good = (-z + sp.sqrt(z - 2 * v) * sp.sqrt(z + 2 * v)) / (2 * v ** 2)
    build = _solve(premise, m(z), good, _STIELTJES_BRANCH(), [v > V], parameters=[z, v])
    return _case("stieltjes", "none", True, f"v^2 m^2 + z m + 1 = 0: m = the Stieltjes branch for v > {V}", build)


# ---------------------------------------------------------------------------------------------
# integrals of periodic and piecewise integrands
# ---------------------------------------------------------------------------------------------


def _periodic_value(kind, omega, b):
    """The exact value of the integral over [0, b] of |sin(w t)|, max(0, sin(w t)) or max(0, cos(w t)),
    and the integrand's period: whole periods (2/w each) plus the part of the last one."""
    if kind == "abs":
        K = sp.floor(omega * b / sp.pi)
        return (2 * K + 1 - (-1) ** K * sp.cos(omega * b)) / omega, sp.pi / omega
    K = sp.floor(omega * b / (2 * sp.pi))
    phase = omega * b - 2 * sp.pi * K
    if kind == "pos":
        inside = (1 - sp.cos(omega * b)) if bool(phase < sp.pi) else sp.Integer(2)
    elif bool(phase <= sp.pi / 2):  # max(0, cos): positive on [0, pi/2] and [3 pi/2, 2 pi]
        inside = sp.sin(omega * b)
    else:
        inside = sp.Integer(1) if bool(phase <= 3 * sp.pi / 2) else 2 + sp.sin(omega * b)
    return (2 * K + inside) / omega, 2 * sp.pi / omega


def _integrand(kind, omega):
    return {"abs": sp.Abs(sp.sin(omega * t)), "pos": sp.Max(0, sp.sin(omega * t)),
            "cos": sp.Max(0, sp.cos(omega * t))}[kind]


def quadrature(integrand, lower, upper, kinks=(), dps=30):
    """An independent value: mpmath's quadrature split at the integrand's kinks."""
    with mpmath.workdps(dps):
        g = sp.lambdify(t, integrand, "mpmath")
        points = [mpmath.mpf(sp.N(v, dps + 5)) for v in (lower, *kinks, upper)]
        return mpmath.quad(g, points)


def _close(exact, reference):
    """An exact value agrees with a 30-digit quadrature (the perturbations are all far larger)."""
    with mpmath.workdps(30):
        return abs(mpmath.mpf(str(sp.N(exact, 35))) - reference) < mpmath.mpf(10) ** -20


def sympy_integral(integrand, lower, upper, seconds=3):
    """sympy's own answer (the proposer's), or None when it takes too long or stays unevaluated."""
    from derive.budget import BudgetExceeded, cpu_limit

    try:
        with cpu_limit(seconds):
            value = sp.integrate(integrand, (t, lower, upper))
    except (BudgetExceeded, NotImplementedError, ValueError, TypeError):
        return None
    return None if value.has(sp.Integral) else value


@st.composite
def periodic(draw, kinds=("abs", "pos", "cos"), perturbations=("period", "epsilon", "proposer")):
    """Integral of |sin(w t)|, max(0, sin(w t)) or max(0, cos(w t)) over [0, b], b a few periods out.

    Perturbed: one period fewer, 10^-40, and sympy's own answer where quadrature shows it wrong.
    """
    kind = draw(st.sampled_from(kinds))
    omega = draw(st.sampled_from([sp.Integer(1), sp.Integer(2), sp.Rational(1, 2), sp.Integer(3)]))
    # Past two half-periods, where sympy's antiderivatives of |sin| and max(0, sin) go wrong.
    if draw(st.booleans()):
        b = (draw(st.integers(2, 7)) + draw(st.sampled_from([sp.Rational(1, 3), 0, sp.Rational(1, 2)]))) * sp.pi / omega
    else:
        b = sp.Rational(draw(st.integers(65, 240)), 10) / omega
    g = _integrand(kind, omega)
    value, period = _periodic_value(kind, omega, b)
    # The closed form is the fuzzer's own claim: hold it to an independent quadrature.
    half, offset = sp.pi / omega, (sp.pi / (2 * omega) if kind == "cos" else 0)
    kinks = [offset + i * half for i in range(0, int(sp.floor(b / half)) + 2) if 0 < offset + i * half < b]
    reference = quadrature(g, 0, b, kinks)
    assert _close(value, reference), (g, b, value, reference)
    integral = sp.Integral(g, (t, 0, b))
    per_period = 2 / omega
    e = draw(epsilon)
    cases = [_case("periodic", "none", True, f"{integral} = {value}", one_step(EQ(integral, value)))]
    if "period" in perturbations:
        cases.append(_case("periodic", "period", False, f"{integral} = {value - per_period} (one period fewer)",
                           one_step(EQ(integral, value - per_period))))
    if "epsilon" in perturbations:
        cases.append(_case("periodic", "epsilon", False, f"{integral} = {value} + {e}", one_step(EQ(integral, value + e))))
    if "proposer" in perturbations:
        answer = sympy_integral(g, 0, b)
        if answer is not None and not _close(answer, reference):
            cases.append(_case("periodic", "proposer", False,
                               f"{integral} = {answer} (sympy's integrate; it is {mpmath.nstr(reference, 12)})",
                               one_step(EQ(integral, answer))))
    return cases


@st.composite
def piecewise(draw):
    """Positive parts and |t - a| under a parameter: int_0^L max(0, t - a) = (L - a)^2/2 for a < L."""
    L = draw(st.sampled_from([sp.Integer(1), sp.Integer(2), sp.Rational(1, 3), sp.Integer(10)]))
    c = draw(st.sampled_from([sp.Integer(1), sp.Integer(3), sp.Rational(1, 2)]))
    e = draw(epsilon)
    pos = sp.Integral(c * sp.Max(0, t - ar), (t, 0, L))
    pos_value = c * (L - ar) ** 2 / 2
    ab = sp.Integral(sp.Abs(t - ar), (t, 0, L))
    ab_value = ar ** 2 - L * ar + L ** 2 / 2
    return [
        _case("piecewise", "none", True, f"{pos} = {pos_value} for 0 < a < {L}",
              one_step(EQ(pos, pos_value), conditions=[ar > 0, ar < L])),
        _case("piecewise", "kink", False, f"{pos} = {pos_value} for 0 < a < {L + 1} (false past the kink a = {L})",
              one_step(EQ(pos, pos_value), conditions=[ar > 0, ar < L + 1])),
        _case("piecewise", "epsilon", False, f"{pos} = {pos_value} + {e} for 0 < a < {L}",
              one_step(EQ(pos, pos_value + e), conditions=[ar > 0, ar < L])),
        _case("piecewise", "none", True, f"{ab} = {ab_value} for 0 < a < {L}",
              one_step(EQ(ab, ab_value), conditions=[ar > 0, ar < L])),
        _case("piecewise", "kink", False, f"{ab} = {ab_value} for 0 < a < {2 * L}",
              one_step(EQ(ab, ab_value), conditions=[ar > 0, ar < 2 * L])),
    ]


@st.composite
def pole(draw):
    """int_0^L dt/(t + a)^p for a > 0, and the same closed form claimed where the pole -a is inside."""
    L = draw(st.sampled_from([sp.Integer(1), sp.Integer(2), sp.Rational(1, 2), sp.Integer(10 ** 6)]))
    power = draw(st.sampled_from([1, 2]))
    integral = sp.Integral(1 / (t + ar) ** power, (t, 0, L))
    value = sp.log(L + ar) - sp.log(ar) if power == 1 else 1 / ar - 1 / (L + ar)
    sym = sp.Integral(1 / (t - ar) ** 2, (t, -L, L))
    across = -1 / (L - ar) - 1 / (L + ar)
    return [
        _case("pole", "none", True, f"{integral} = {value} for a > 0", one_step(EQ(integral, value), conditions=[ar > 0])),
        _case("pole", "pole", False, f"{integral} = {value} for a > -{L}/2 (through the pole at t = -a)",
              one_step(EQ(integral, value), conditions=[ar > -L / 2])),
        _case("pole", "pole", False, f"{sym} = {across} for |a| < {L} (the antiderivative across the pole)",
              one_step(EQ(sym, across), conditions=[ar > -L, ar < L])),
    ]


# ---------------------------------------------------------------------------------------------
# sums
# ---------------------------------------------------------------------------------------------


@st.composite
def sums(draw):
    """Faulhaber, geometric and alternating sums, finite and infinite, and their perturbations."""
    p = draw(st.integers(1, 4))
    faulhaber = sp.factor(sp.summation(k ** p, (k, 1, n)))
    e = draw(epsilon)
    which = draw(st.sampled_from(["faulhaber", "geometric", "alternating", "zeta", "geometric-infinite"]))
    if which == "faulhaber":
        S = sp.Sum(k ** p, (k, 1, n))
        return [
            _case("sum", "none", True, f"{S} = {faulhaber}", one_step(EQ(S, faulhaber))),
            _case("sum", "period", False, f"{sp.Sum(k ** p, (k, 1, n + 1))} = {faulhaber} (one term more)",
                  one_step(EQ(sp.Sum(k ** p, (k, 1, n + 1)), faulhaber))),
            _case("sum", "epsilon", False, f"{S} = {faulhaber} + {e}", one_step(EQ(S, faulhaber + e))),
        ]
    if which == "geometric":
        c = draw(pos_rational)
        S = sp.Sum((c * y) ** j, (j, 0, n0))
        value = (1 - (c * y) ** (n0 + 1)) / (1 - c * y)
        return [
            _case("sum", "none", True, f"{S} = {value}", one_step(EQ(S, value))),
            _case("sum", "period", False, f"{S} = {value.subs(n0, n0 + 1)}", one_step(EQ(S, value.subs(n0, n0 + 1)))),
        ]
    if which == "alternating":
        S = sp.Sum((-1) ** j, (j, 0, n0))
        return [
            _case("sum", "none", True, f"{S} = (1 + (-1)^n)/2", one_step(EQ(S, (1 + (-1) ** n0) / 2))),
            _case("sum", "parity", False, f"{S} = 1", one_step(EQ(S, 1))),
        ]
    if which == "zeta":
        q = draw(st.integers(2, 6))
        S = sp.Sum(1 / k ** q, (k, 1, sp.oo))
        return [
            _case("sum", "none", True, f"{S} = zeta({q})", one_step(EQ(S, sp.zeta(q)))),
            _case("sum", "epsilon", False, f"{S} = zeta({q}) + {e}", one_step(EQ(S, sp.zeta(q) + e))),
            _case("sum", "period", False, f"{sp.Sum(1 / k ** q, (k, 2, sp.oo))} = zeta({q}) (one term fewer)",
                  one_step(EQ(sp.Sum(1 / k ** q, (k, 2, sp.oo)), sp.zeta(q)))),
        ]
    S = sp.Sum(y ** j, (j, 0, sp.oo))
    bound = draw(st.sampled_from([sp.Integer(2), sp.Rational(11, 10), sp.Integer(10 ** 6)]))
    return [
        _case("sum", "none", True, f"{S} = 1/(1 - y) for y < 1", one_step(EQ(S, 1 / (1 - y)), conditions=[y < 1])),
        _case("sum", "kink", False, f"{S} = 1/(1 - y) for y < {bound} (it diverges from y = 1)",
              one_step(EQ(S, 1 / (1 - y)), conditions=[y < bound])),
    ]


# ---------------------------------------------------------------------------------------------
# limits
# ---------------------------------------------------------------------------------------------


def _limit(expr, var, point, value, direction="+", parameters=()):
    def build():
        D = Derivation("fuzz")
        if parameters:
            D.parameter(*parameters)
        D.limit("s", expr, var, point, value=value, direction=direction)
        return D, "s"

    return build


#: (name, expression in x and the parameter a, point, value)
_LIMITS = [
    ("1 - cos", lambda p: (1 - sp.cos(p * x)) / x ** 2, 0, lambda p: p ** 2 / 2),
    ("sin", lambda p: sp.sin(p * x) / x, 0, lambda p: p),
    ("exp - 1", lambda p: (sp.exp(p * x) - 1) / x, 0, lambda p: p),
    ("(1 + a/x)^x", lambda p: (1 + p / x) ** x, sp.oo, lambda p: sp.exp(p)),
    ("x^a log x", lambda p: x ** p * sp.log(x), 0, lambda p: sp.Integer(0)),
]


@st.composite
def limits(draw):
    """Classical limits, with the parameter symbolic or a number (from 10^-6 to 10^6), perturbed by
    10^-40, a sign, or the direction; and a limit at the parameter-dependent point x -> a."""
    name, expr, point, value = draw(st.sampled_from(_LIMITS))
    symbolic = draw(st.booleans())
    p = a if symbolic else draw(st.sampled_from([sp.Integer(1), sp.Integer(3), sp.Rational(1, 7),
                                                 sp.Rational(1, 10 ** 6), sp.Integer(10 ** 6)]))
    params = [a] if symbolic else []
    e = draw(epsilon)
    v = value(p)
    cases = [
        _case("limit", "none", True, f"lim {expr(p)} at {point} = {v}", _limit(expr(p), x, point, v, parameters=params)),
        _case("limit", "epsilon", False, f"lim {expr(p)} at {point} = {v} + {e}",
              _limit(expr(p), x, point, v + e, parameters=params)),
    ]
    if v != 0:
        cases.append(_case("limit", "sign", False, f"lim {expr(p)} at {point} = {-v}",
                           _limit(expr(p), x, point, -v, parameters=params)))
    q = draw(st.sampled_from([sp.Integer(1), sp.Integer(2), sp.Integer(3)]))
    moving = (x ** (q + 1) - a ** (q + 1)) / (x - a)
    cases += [
        _case("limit", "none", True, f"lim (x^{q + 1} - a^{q + 1})/(x - a) at x -> a = {(q + 1)} a^{q}",
              _limit(moving, x, a, (q + 1) * a ** q, parameters=[a])),
        _case("limit", "epsilon", False, f"lim (x^{q + 1} - a^{q + 1})/(x - a) at x -> a = {(q + 1)} a^{q} + {e}",
              _limit(moving, x, a, (q + 1) * a ** q + e, parameters=[a])),
        _case("limit", "sign", False, f"lim |t|/t at t -> 0- = 1",
              _limit(sp.Abs(t) / t, t, 0, 1, direction="-")),
    ]
    return cases


# ---------------------------------------------------------------------------------------------
# spectral means
# ---------------------------------------------------------------------------------------------


def _means(statement, premises=()):
    def build():
        D = Derivation("fuzz")
        free = set(statement.free_symbols).union(*(q.free_symbols for _, q in premises))
        if free:
            D.parameter(*sorted(free, key=str))
        for label, premise in premises:
            D.step(label, premise)
        D.step("s", statement, uses=[label for label, _ in premises])
        return D, "s"

    return build


_INTEGRANDS = [r, 1 / (r + x), sp.exp(-r), sp.log(1 + r), r ** 2 + x * r]


@st.composite
def spectral(draw):
    """Linearity <alpha g + beta> = alpha <g> + beta; <g^2> = <g>^2 (false); the difference of two
    means over U(0, 1) that do not exist, <U^-p> - <U^-p - 1> = 1 for p >= 1 (false)."""
    g = draw(st.sampled_from(_INTEGRANDS))
    alpha = draw(nonzero_int)
    beta = draw(small_int)
    e = draw(epsilon)
    mean = lambda h: SpectralMean(h, r, "C")
    p = draw(st.sampled_from([sp.Integer(1), sp.Integer(2), sp.Rational(3, 2), sp.Rational(1, 2), sp.Rational(1, 3)]))
    exists = p < 1
    diff = EQ(UniformMean(u ** -p, u) - UniformMean(u ** -p - 1, u), 1)
    return [
        _case("spectral", "none", True, f"<{alpha} g + {beta}>_C = {alpha} <g>_C + {beta}, g = {g}",
              _means(EQ(mean(alpha * g + beta), alpha * mean(g) + beta))),
        _case("spectral", "epsilon", False, f"<{alpha} g + {beta}>_C = ({alpha} + {e}) <g>_C + {beta}, g = {g}",
              _means(EQ(mean(alpha * g + beta), (alpha + e) * mean(g) + beta))),
        _case("spectral", "sign", False, f"<g^2>_C = <g>_C^2, g = {g}", _means(EQ(mean(g ** 2), mean(g) ** 2))),
        _case("spectral", "none" if exists else "divergent", exists, f"<U^-{p}> - <U^-{p} - 1> = 1", _means(diff)),
    ]


# ---------------------------------------------------------------------------------------------
# binders: a binding's value captured by a bound variable
# ---------------------------------------------------------------------------------------------


def _bound(statement, value, parameter, definition=None):
    """``b := value`` (a free parameter that is also the bound variable's name), then the step."""
    bname = sp.Symbol("b", real=True)

    def build():
        D = Derivation("fuzz")
        D.parameter(parameter)
        if definition is not None:
            D.define("f-def", definition)
        else:
            D.define("b-def", sp.Eq(bname, value))
        D.step("s", statement, uses=["f-def" if definition is not None else "b-def"])
        return D, "s"

    return build


@st.composite
def binders(draw):
    """b := t (the parameter t), put into Integral, Sum, Product, Subs, Derivative, Limit, a mean, or
    a function f(w) := Integral(w t, (t, 0, 1)) applied at t: the honest value against the captured one."""
    b = sp.Symbol("b", real=True)
    c = draw(nonzero_int)
    K = draw(st.integers(2, 5))
    v = draw(st.sampled_from([sp.Integer(2), sp.Integer(3), sp.Rational(1, 2)]))
    kind = draw(st.sampled_from(["Integral", "Sum", "Product", "Subs", "Derivative", "Limit", "function", "mean"]))
    if kind == "Integral":
        expr, var, honest, captured = sp.Integral(c * b * t, (t, 0, 1)), t, c * t / 2, sp.Rational(c, 3)
    elif kind == "Sum":
        expr, var = sp.Sum(c * b * k, (k, 1, K)), k
        honest, captured = c * k * K * (K + 1) / 2, c * K * (K + 1) * (2 * K + 1) / 6
    elif kind == "Product":
        expr, var, honest, captured = sp.Product(b * k, (k, 1, K)), k, k ** K * sp.factorial(K), sp.factorial(K) ** 2
    elif kind == "Subs":
        expr, var, honest, captured = sp.Subs(c * b * t, t, v), t, c * v * t, c * v ** 2
    elif kind == "Derivative":
        expr, var, honest, captured = sp.Derivative(c * b * t, t), t, c * t, 2 * c * t
    elif kind == "Limit":
        expr, var, honest, captured = sp.Limit(c * b * sp.sin(t) / t, t, 0), t, c * t, sp.Integer(0)
    elif kind == "mean":
        expr, var = SpectralMean(c * r * b, r, "C"), r
        honest, captured = c * r * SpectralMean(r, r, "C"), SpectralMean(c * r ** 2, r, "C")
    else:
        w = sp.Symbol("w", real=True)
        definition = sp.Eq(f(w), sp.Integral(c * w * t, (t, 0, 1)))
        return [
            _case("binder", "none", True, f"f(w) := Integral({c} w t, (t, 0, 1)); f(t) = {c} t/2",
                  _bound(EQ(f(t), c * t / 2), None, t, definition)),
            _case("binder", "capture", False, f"f(w) := Integral({c} w t, (t, 0, 1)); f(t) = {c}/3",
                  _bound(EQ(f(t), sp.Rational(c, 3)), None, t, definition)),
        ]
    return [
        _case("binder", "none", True, f"b := {var}; {expr} = {honest}", _bound(EQ(expr, honest), var, var)),
        _case("binder", "capture", False, f"b := {var}; {expr} = {captured} (captured)", _bound(EQ(expr, captured), var, var)),
    ]


@dataclass(frozen=True)
class Family:
    name: str
    strategy: Callable  # () -> a strategy of lists of Case
    #: the branch expected to close what the fuzzer finds in this family today ("" if nothing)
    closed_by: str = ""
    #: a cheaper strategy for CI, where the full one is slow (sympy's integrate of max(0, sin))
    ci: Callable = None
    #: examples per family in CI
    ci_examples: int = 3

    def ci_strategy(self):
        return (self.ci or self.strategy)()


FAMILIES = [
    Family("rational", rational),
    Family("integer", integer, ci_examples=2),
    Family("assumptions", assumptions),
    Family("algebraic", algebraic, ci_examples=2),
    Family("stieltjes", stieltjes),
    # Each check of these integrals spends seconds in sympy's integrate: CI keeps |sin| and the
    # perturbation that finds wrong verdicts today.
    Family("periodic", periodic, ci=lambda: periodic(kinds=("abs",), perturbations=("proposer",)),
           ci_examples=2),
    Family("piecewise", piecewise, ci_examples=2),
    Family("pole", pole),
    Family("sum", sums),
    Family("limit", limits),
    Family("spectral", spectral),
    Family("binder", binders),
]

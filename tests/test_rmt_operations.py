"""One class per law operation: the registries, the changes of variables (one definition for the
curve, the step and its recognition), and a new operation added by one class."""

import inspect

import numpy as np
import pytest
import sympy as sp

from derive import Derivation
from derive.check.runner import check_step
from derive.rmt import Inverse, Law, MarchenkoPastur, Scale, Shift, marchenko_pastur
from derive.rmt.changes import CHANGES, recognise
from derive.rmt.expression import parse_law
from derive.rmt.law import ChangeOfVariables, FiniteLaw, FreeConvolution, NamedLaw
from derive.rmt.steps import add_law

f, u = sp.Function("f"), sp.Symbol("u")


def _parameters(change):
    """Symbols for a change's parameters (``scale by a``: one)."""
    count = len(inspect.signature(change.change).parameters) - 2
    return sp.symbols(f"a0:{count}", nonzero=True) if count else ()


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.description)
def test_each_change_and_its_back_are_inverse(change):
    parameters = _parameters(change)
    g, v = change.change(f(u), u, *parameters)
    f_back, u_back = change.back(g, v, *parameters)
    assert sp.simplify(f_back - f(u)) == 0 and sp.simplify(u_back - u) == 0


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.description)
def test_each_change_is_recognised_as_itself(change):
    parameters = _parameters(change)
    assert recognise(*change.change(f(u), u, *parameters), f(u), u) == change.describe(*parameters)


def test_every_operation_is_registered_by_its_class():
    assert list(Law.parsers) == ["mp", "semicircle", "atom", "spectrum", "inv"]
    assert [c.description for c in CHANGES] == ["R-transform", "S-transform", "back from the R-transform",
                                                "back from the S-transform", "scale", "shift", "inverse"]
    for name, operation in Law.parsers.items():
        assert operation.usage.startswith(f"{name}(")
        assert issubclass(operation, (NamedLaw, FiniteLaw, ChangeOfVariables, FreeConvolution))


def test_an_operation_is_its_class():
    law = parse_law("inv(2*mp(1/2) + 1) * mp(1/4)")
    assert type(law).__name__ == "FreeProduct"
    scaled, inner = law.operands[0].operands[0], law.operands[1]
    assert isinstance(scaled, Shift) and isinstance(scaled.operands[0], Scale) and isinstance(inner, MarchenkoPastur)
    assert marchenko_pastur is MarchenkoPastur


def test_a_change_of_variables_gives_the_curve_its_step_states():
    # The curve of inv(A) is A's curve carried by Inverse.back; the step states Inverse.change,
    # and carrying A's curve by the stated change gives the law's curve (zero remainder).
    from derive.rmt.algebraic import carried_curve, m, z
    law = marchenko_pastur(sp.Rational(1, 2)).inverse()
    F, G = sp.Function("F"), sp.Function("G")
    P = law.operands[0].curve.subs({m: F(u), z: u}, simultaneous=True)
    Q = law.curve.subs({m: G(u), z: u}, simultaneous=True)
    holds, _ = carried_curve(P, F(u), Q, G(u), *Inverse.change(F(u), u))
    assert holds


# ---- a new operation: one class ------------------------------------------------------------------


@pytest.fixture
def ratio():
    """``ratio(A, a)``, the law of ``a A^{-1}``, added as docs/extending.md shows; unregistered after."""

    class Ratio(ChangeOfVariables):
        """The law of ``a/A``: ``m_{a/A}(a/z) = (-z - z^2 m_A(z))/a``."""

        name, usage, arity, description = "ratio", "ratio(LAW, a)", (2, 2), "ratio"
        step_text = "The law of $a/A$."

        def __init__(self, law, a):
            a = sp.sympify(a)
            mean = a * Inverse._value_at_zero(law)
            super().__init__((law, a), self._carried(law, mean, a), law.positive and a.is_positive, mean)

        @staticmethod
        def change(m, z, a):
            return (-z - z**2 * m) / a, a / z

        @staticmethod
        def back(m, z, a):
            return Ratio.change(m, z, a)   # an involution

        @classmethod
        def parameters_of(cls, phi, chi, F, u):
            a = sp.simplify(chi * u)
            return None if a.has(u, F) or a == 0 else (a,)

        @classmethod
        def describe(cls, a):
            return f"ratio by {a}"

        @staticmethod
        def transform_matrix(X, a):
            return float(a) * np.linalg.inv(X)

        @property
        def text(self):
            return f"ratio({self.operands[0].text}, {self.operands[1]})"

        def latex_name(self, show=sp.latex):
            return f"{show(self.operands[1])}\\left({self.operands[0].latex_name(show)}\\right)^{{-1}}"

        @classmethod
        def parse(cls, arguments):
            return cls(*arguments)

    yield Ratio
    del Law.parsers["ratio"]
    CHANGES.remove(Ratio)


def test_a_new_operation_is_one_class(ratio):
    law = parse_law("ratio(mp(1/2), 2)")
    assert type(law) is ratio and str(law) == "ratio(mp(1/2), 2)"
    assert law.curve == (2 * marchenko_pastur(sp.Rational(1, 2)).inverse()).curve
    assert law.moments(2) == [1, 4, 32]
    assert recognise(*ratio.change(f(u), u, 3), f(u), u) == "ratio by 3"
    g, v = ratio.change(f(u), u, 3)
    assert [sp.simplify(a - b) for a, b in zip(ratio.back(g, v, 3), (f(u), u))] == [0, 0]
    X = law.sample(np.random.default_rng(0), 400)
    assert np.trace(X) / 400 == pytest.approx(4, rel=0.05)


def test_a_new_operation_writes_a_transform_step_that_checks(ratio):
    c, z, g = sp.Symbol("c", positive=True), sp.Symbol("z"), sp.Function("g")
    D = Derivation("ratio")
    D.parameter(c, z)
    add_law(D, "law", ratio(marchenko_pastur(c), 2), g(z), points=[{c: 0.5}], tag="Q")
    result = check_step(D, D["law"])
    assert (result.status, result.method) == ("verified", "transform: ratio by 2, pseudo-remainder")
    assert D["law"].explanation == "The law of $a/A$."

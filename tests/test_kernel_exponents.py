"""The kernel pieces behind the scaling exponents of bordelon2025 (issue 23): infinite integrals
of powers with sampled (dyadic) exponents, the incomplete gamma functions in balls, the leading
power of a Puiseux series, and exponents stated as ``log F(x)/log x -> p``."""

import subprocess
import sys
from fractions import Fraction

import sympy as sp
from flint import arb

from derive import Derivation, check_derivation
from derive.check.kernel import taylor
from derive.check.kernel.balls import enclose, precision

u, x, w = sp.symbols("u x w", positive=True)
#: Exponents as the sampler draws them (doubles, so denominators 2^48 and 2^49).
C_DYADIC = sp.Rational(1143244213368073, 281474976710656)
B_DYADIC = sp.Rational(3992682593525531, 562949953421312)


def test_cancel_is_not_asked_of_huge_powers():
    """sympy's cancel of ``(1/w - 1)^c`` at these exponents stopped the process with SIGFPE
    (python-flint's heuristic gcd): the integrand is kept as written instead."""
    code = ("import sympy as sp\nfrom derive.check.kernel.balls import _normalized\n"
            "w = sp.Symbol('w', positive=True); u = 1/w - 1\n"
            f"print(_normalized(u**sp.Rational({C_DYADIC.p}, {C_DYADIC.q})"
            f" / (1 + u**sp.Rational({B_DYADIC.p}, {B_DYADIC.q})) / w**2))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-300:]


def test_infinite_power_integral_at_sampled_exponents():
    """int_0^oo u^c/(1 + u^b) du = pi/(b sin(pi (c + 1)/b)): the powers of w pulled out of each
    sum after u = 1/w - 1 leave w^(b - c - 2) times a bounded factor."""
    with precision(128):
        ball = enclose(sp.Integral(u**C_DYADIC / (1 + u**B_DYADIC), (u, 0, sp.oo)), {}, prec=128)
    closed = sp.pi / (B_DYADIC * sp.sin(sp.pi * (C_DYADIC + 1) / B_DYADIC))
    assert ball.is_finite() and ball.real.rad() < 1e-12
    assert ball.real.overlaps(arb(str(sp.N(closed, 40))))


def test_incomplete_gamma_in_balls():
    ball = enclose(sp.lowergamma(3, 2) + sp.uppergamma(sp.Rational(1, 2), 3), {}, prec=128)
    expected = 2 - 10 * sp.exp(-2) + sp.sqrt(sp.pi) * sp.erfc(sp.sqrt(3))
    assert ball.real.overlaps(arb(str(sp.N(expected, 40)))) and ball.real.rad() < 1e-12


def test_leading_power_skips_cancelled_terms():
    t = sp.Dummy("t", positive=True)
    v, c = taylor.leading_power((sp.sqrt(1 / t**2 + 1) - 1 / t) ** 2, t, {})
    assert v == Fraction(2)
    assert c.real.overlaps(arb("0.25")) and c.real.rad() < 1e-12


def _exponent_step(value):
    nu, beta, t = sp.symbols("nu beta t", positive=True)
    b = nu * beta + 2 * nu + 1
    law = sp.pi / (b * sp.sin(sp.pi * (2 * nu + 1) / b)) * (4 * t) ** (-nu * beta / b)
    D = Derivation("exponent")
    D.parameter(nu, beta)
    D.limit("e", sp.log(law) / sp.log(t), t, sp.oo, value=value(nu, beta, b),
            conditions=[nu > sp.Rational(1, 2), nu < 3, beta > sp.Rational(1, 2), beta < 3])
    (result,) = check_derivation(D)
    return result


def test_log_ratio_exponent_is_decided():
    """An exponent as lim log F/log t, which closes like 1/log t: verified by F's leading power,
    and the summary's Result 4 exponent failed with a certified difference."""
    right = _exponent_step(lambda nu, beta, b: -nu * beta / b)
    assert right.status == "verified" and right.method == "limit (Arb leading power)"
    wrong = _exponent_step(lambda nu, beta, b: -beta / (nu + nu * beta + 1))
    assert wrong.status == "failed" and "excludes 0" in wrong.evidence

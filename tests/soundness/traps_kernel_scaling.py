"""Traps for a constant factor moved through a spectral mean (``spectral scaling``,
:func:`derive.rmt.rules.proportional_means`, issue 22): ``c1 <f1> + c2 <f2> = 0`` when
``c1 f1 + c2 f2`` vanishes identically, with no existence required.  The false ones differ from
the true ones by a factor that depends on the spectral variable, by two laws, or by a third
term (where linearity, not scaling, would be needed, and a mean may not exist)."""

import sympy as sp

from derive.rmt import SpectralMean, UniformMean

from . import trap
from .traps_kernel_means_refute import _step

r = sp.Symbol("r", real=True)
u = sp.Symbol("u", positive=True)
x = sp.Symbol("x", positive=True)


def _c(f, law="C"):
    return SpectralMean(f, r, law)


@trap("kernel_scaling", true=True, sets="<x/(r^2 + 1)>_C = x <1/(r^2 + 1)>_C")
def k_scaling_rational_true():
    return _step(sp.Eq(_c(x / (r**2 + 1)), x * _c(1 / (r**2 + 1))))


@trap("kernel_scaling", true=True, sets="<sin(2r)>_C = 2 <sin(r) cos(r)>_C (the integrands equal, not polynomial)")
def k_scaling_trig_true():
    return _step(sp.Eq(_c(sp.sin(2 * r)), 2 * _c(sp.sin(r) * sp.cos(r))))


@trap("kernel_scaling", true=False, sets="<r exp(r)>_C = r <exp(r)>_C: the factor r is the bound variable's name")
def k_scaling_factor_is_bound_variable():
    return _step(sp.Eq(_c(r * sp.exp(r)), r * _c(sp.exp(r))))


@trap("kernel_scaling", true=False, sets="<exp(r + x)>_C = exp(2x) <exp(r)>_C (the factor is exp(x))")
def k_scaling_wrong_factor():
    return _step(sp.Eq(_c(sp.exp(r + x)), sp.exp(2 * x) * _c(sp.exp(r))))


@trap("kernel_scaling", true=False, sets="<2 r>_C = 2 <r>_D (two laws)")
def k_scaling_two_laws():
    return _step(sp.Eq(_c(2 * r), 2 * _c(r, "D")))


@trap("kernel_scaling", true=False, sets="<1/U> - <1/U - 1> = 1 written as <1/U> = <1/U - 1> + 1: three terms, "
      "infinity minus infinity, not a scaling")
def k_scaling_three_terms_divergent():
    return _step(sp.Eq(UniformMean(1 / u, u), UniformMean(1 / u - 1, u) + 1))


# ---- a mean as a real unknown in an order relation (the kernel's real algebra, Z3) ------------

@trap("kernel_scaling", true=True, sets="<r>_C > 5 cited: <r>_C^2 > 25 (the mean a real unknown)")
def k_meanorder_square_true():
    return _step(sp.Gt(_c(r) ** 2, 25), premises=[("big", sp.Gt(_c(r), 5))])


@trap("kernel_scaling", true=False, sets="<r>_C > 5 cited: <r>_C > 6")
def k_meanorder_too_strong():
    return _step(sp.Gt(_c(r), 6), premises=[("big", sp.Gt(_c(r), 5))])


@trap("kernel_scaling", true=False, sets="<r>_C > 5 cited: <r - 10>_C > 0 (another mean is another unknown)")
def k_meanorder_another_mean():
    return _step(sp.Gt(_c(r - 10), 0), premises=[("big", sp.Gt(_c(r), 5))])

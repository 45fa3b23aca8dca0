"""Traps for a rule's own verdict over a parameter that may be infinite (issue 22,
adv6-extended): a limit, series or root decided for finite parameter values only is not
verified when a parameter is declared extended real (``derive.check.runner._finite_only``);
the same statements over a real parameter are.  True and false."""

import sympy as sp

from derive import Derivation

from . import trap
from .traps_kernel_limits import _limit, _series

t = sp.Symbol("t", positive=True)
u = sp.Symbol("u", real=True)
xe = sp.Symbol("x", extended_real=True)
xr = sp.Symbol("x", real=True)
xep = sp.Symbol("x", extended_positive=True)


def _root(x, high):
    D = Derivation("trap")
    D.parameter(x)
    D.root("s", u, sp.Eq(u - 1 / (x**2 + 1), 0), interval=(0, high))
    return D, "s"


@trap("kernel_infinite", true=False,
      sets="lim_{t->0+} t/(t + 1/(x^2 + 1)) = 0 for extended real x (t/t = 1 at x = oo)")
def k_infinite_limit_extended():
    return _limit(t / (t + 1 / (xe**2 + 1)), t, 0, 0, parameters=[xe])


@trap("kernel_infinite", true=True, sets="lim_{t->0+} t/(t + 1/(x^2 + 1)) = 0 for real x")
def k_infinite_limit_real():
    return _limit(t / (t + 1 / (xr**2 + 1)), t, 0, 0, parameters=[xr])


@trap("kernel_infinite", true=False,
      sets="x t/(1 + x t) = O(t) as t -> 0+ for extended positive x (1 at x = oo)")
def k_infinite_series_extended():
    return _series(xep * t / (1 + xep * t), t, 0, 1, sp.O(t), parameters=[xep])


@trap("kernel_infinite", true=False,
      sets="u is the root of u = 1/(x^2 + 1) in (0, 2) for extended real x (the root 0 at x = oo is outside)")
def k_infinite_root_extended():
    return _root(xe, 2)


@trap("kernel_infinite", true=True, sets="u is the root of u = 1/(x^2 + 1) in (0, 2) for real x")
def k_infinite_root_real():
    return _root(xr, 2)

"""Traps for branch cuts off the axes (issue 22): statements about a complex symbol that fail
only where an argument of ``log`` or of a fractional power lies on its cut, a line in the
plane that no random point meets (:mod:`derive.check.cuts`).

The sampler puts points on the real and imaginary axes, where ``log z`` and ``sqrt z`` jump;
an argument such as ``w z^2`` with ``w = e^{i pi/7}`` reaches its cut on oblique rays instead.
The false statements below hold everywhere else; their true twins hold on the cuts too (a
principal value on the cut is still a value)."""

import sympy as sp

from . import trap
from .traps_relations import _step

z = sp.Symbol("z")
W7 = sp.exp(sp.I * sp.pi / 7)


@trap("kernel_cuts", true=False,
      sets="conj(sqrt(w z^2)) = sqrt(conj(w) conj(z)^2), w = e^{i pi/7}: false on the two rays where w z^2 < 0")
def k_cut_sqrt_conjugate_oblique():
    return _step(sp.Eq(sp.conjugate(sp.sqrt(W7 * z**2)), sp.sqrt(sp.conjugate(W7) * sp.conjugate(z) ** 2)))


@trap("kernel_cuts", true=False,
      sets="sqrt(1/u) = 1/sqrt(u) for u = w z^2, w = e^{i pi/7}: false exactly where u < 0 (i/sqrt(c) against "
           "-i/sqrt(c))")
def k_cut_sqrt_reciprocal_oblique():
    u = W7 * z**2
    return _step(sp.Eq(sp.sqrt(1 / u), 1 / sp.sqrt(u), evaluate=False))


@trap("kernel_cuts", true=False,
      sets="sqrt(u) sqrt(conj u) = |u| for u = w z^3, w = e^{i pi/7}: false exactly on the cut rays (-|u| there)")
def k_cut_sqrt_times_conjugate_oblique():
    u = W7 * z**3
    return _step(sp.Eq(sp.sqrt(u) * sp.sqrt(sp.conjugate(u)), sp.Abs(u), evaluate=False))


@trap("kernel_cuts", true=True, sets="Re log(w z^3) = log|w z^3|, w = e^{i pi/7}: true on the cut rays too")
def k_cut_real_part_of_log_oblique_true():
    u = W7 * z**3
    return _step(sp.Eq(sp.re(sp.log(u)), sp.log(sp.Abs(u)), evaluate=False))


@trap("kernel_cuts", true=True,
      sets="(w z^3)^(3/2) = w z^3 sqrt(w z^3), w = e^{i pi/7}: the principal power splits on the cut as well")
def k_cut_power_split_oblique_true():
    u = W7 * z**3
    return _step(sp.Eq(u ** sp.Rational(3, 2), u * sp.sqrt(u)))


@trap("kernel_cuts", true=True,
      sets="conj(log(w z^3)) = log(conj(w z^3)) where Im(w z^3) > 0 (the condition keeps every point off the cut)")
def k_cut_conjugate_log_off_cut_true():
    u = W7 * z**3
    return _step(sp.Eq(sp.conjugate(sp.log(u)), sp.log(sp.conjugate(u))), conditions=[sp.im(u) > 0])


# ---- cuts of other functions (the table CUTS of kernel.cuts): asin, atanh, elliptic K --------

@trap("kernel_cuts", true=False,
      sets="asin(conj u) = conj(asin u), u = w z, w = e^{i pi/7}: false on the rays where u is real, |u| > 1")
def k_cut_asin_conjugate_oblique():
    u = W7 * z
    return _step(sp.Eq(sp.asin(sp.conjugate(u)), sp.conjugate(sp.asin(u))))


@trap("kernel_cuts", true=False,
      sets="atanh(conj u) = conj(atanh u), u = w z^2, w = e^{i pi/7}: false where u is real, |u| > 1")
def k_cut_atanh_conjugate_oblique():
    u = W7 * z**2
    return _step(sp.Eq(sp.atanh(sp.conjugate(u)), sp.conjugate(sp.atanh(u))))


@trap("kernel_cuts", true=True,
      sets="asin(u) + acos(u) = pi/2, u = w z, w = e^{i pi/7}: on the cut rays too (acos = pi/2 - asin there)")
def k_cut_asin_acos_sum_oblique_true():
    u = W7 * z
    return _step(sp.Eq(sp.asin(u) + sp.acos(u), sp.pi / 2, evaluate=False))


@trap("kernel_cuts", true=True,
      sets="K(conj m) = conj(K(m)) where Im m > 0 (the condition keeps every point off the cut [1, oo))")
def k_cut_elliptic_conjugate_upper_true():
    return _step(sp.Eq(sp.elliptic_k(sp.conjugate(z)), sp.conjugate(sp.elliptic_k(z))), conditions=[sp.im(z) > 0])

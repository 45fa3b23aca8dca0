"""Issue 22, sampling: a symbol's every assumption honoured, and integers of any size.

Classes aimed at: symbols declared imaginary, extended_positive/negative/real, nonzero,
nonpositive, hermitian, prime, composite, even, odd, irrational, transcendental (true identities
that hold only on the declared set must not be failed; false ones must be); integers beyond
10^6 (claims true only below some bound, parity, (-1)^n for huge n).
"""

import sympy as sp

from . import trap
from .traps_relations import _step

yi = sp.Symbol("y", imaginary=True)
ep = sp.Symbol("e", extended_positive=True)
en = sp.Symbol("e", extended_negative=True)
er = sp.Symbol("e", extended_real=True)
nz = sp.Symbol("v", nonzero=True)
npos = sp.Symbol("v", nonpositive=True)
he = sp.Symbol("h", hermitian=True)
ah = sp.Symbol("h", antihermitian=True)
n = sp.Symbol("n", integer=True)
n0 = sp.Symbol("n", integer=True, nonnegative=True)
ne = sp.Symbol("n", integer=True, even=True)
no = sp.Symbol("n", integer=True, odd=True)
pr = sp.Symbol("p", prime=True)
co = sp.Symbol("c", composite=True)
ir = sp.Symbol("q", irrational=True)
tr = sp.Symbol("q", transcendental=True)
z = sp.Symbol("z")


def _eq(lhs, rhs):
    return _step(sp.Eq(lhs, rhs, evaluate=False))


# --- imaginary and antihermitian: i times a real, never a general complex number ---------------

@trap("sampling-assumptions", true=True, sets="|y|^2 = -y^2 for imaginary y")
def k_sampling_imaginary_abs_square_true():
    return _eq(sp.Abs(yi) ** 2, -yi ** 2)


@trap("sampling-assumptions", true=True, sets="sqrt(-y^2) = |y| for imaginary y")
def k_sampling_imaginary_sqrt_true():
    return _eq(sp.sqrt(-yi ** 2), sp.Abs(yi))


@trap("sampling-assumptions", true=True, sets="|exp(y) + 1|^2 = 2 + 2 cos(y/i) for imaginary y (|exp(y)| = 1)")
def k_sampling_imaginary_unimodular_true():
    return _eq(sp.Abs(sp.exp(yi) + 1) ** 2, 2 + 2 * sp.cos(yi / sp.I))


@trap("sampling-assumptions", true=False, sets="|y|^2 = y^2 for imaginary y (it is -y^2)")
def k_sampling_imaginary_abs_square_false():
    return _eq(sp.Abs(yi) ** 2, yi ** 2)


@trap("sampling-assumptions", true=False, sets="|z|^2 = -z^2 for complex z (true for imaginary z only)")
def k_sampling_complex_abs_square_false():
    return _eq(sp.Abs(z) ** 2, -z ** 2)


@trap("sampling-assumptions", true=True, sets="(h + conj(h))^2 = 0 for antihermitian h (h = -conj h)")
def k_sampling_antihermitian_true():
    return _eq(sp.Abs(ah + sp.conjugate(ah)) ** 2, 0)


# --- extended signs: sampled like their finite counterparts ------------------------------------

@trap("sampling-assumptions", true=True, sets="sqrt(e^2 + e^4) = e sqrt(1 + e^2) for extended_positive e")
def k_sampling_extended_positive_sqrt_true():
    return _eq(sp.sqrt(ep ** 2 + ep ** 4), ep * sp.sqrt(1 + ep ** 2))


@trap("sampling-assumptions", true=True, sets="log(e^3 + e) = log(e) + log(1 + e^2) for extended_positive e")
def k_sampling_extended_positive_log_true():
    return _eq(sp.log(ep ** 3 + ep), sp.log(ep) + sp.log(1 + ep ** 2))


@trap("sampling-assumptions", true=False, sets="sqrt(e^2 + e^4) = e sqrt(1 + e^2) for extended_real e (fails for e < 0)")
def k_sampling_extended_real_sqrt_false():
    return _eq(sp.sqrt(er ** 2 + er ** 4), er * sp.sqrt(1 + er ** 2))


@trap("sampling-assumptions", true=True, sets="sqrt(e^2 + e^4) = -e sqrt(1 + e^2) for extended_negative e")
def k_sampling_extended_negative_sqrt_true():
    return _eq(sp.sqrt(en ** 2 + en ** 4), -en * sp.sqrt(1 + en ** 2))


@trap("sampling-assumptions", true=True, sets="|e + e^3| = |e| (1 + e^2) for extended_real e")
def k_sampling_extended_real_abs_true():
    return _eq(sp.Abs(er + er ** 3), sp.Abs(er) * (1 + er ** 2))


@trap("sampling-assumptions", true=True, sets="sqrt(v^2 + v^4) = -v sqrt(1 + v^2) for nonpositive v")
def k_sampling_nonpositive_sqrt_true():
    return _eq(sp.sqrt(npos ** 2 + npos ** 4), -npos * sp.sqrt(1 + npos ** 2))


@trap("sampling-assumptions", true=True, sets="sign(v)^2 = 1 for nonzero real v")
def k_sampling_nonzero_true():
    return _eq(sp.sign(nz) ** 2 + sp.Heaviside(nz) - sp.Heaviside(nz), 1)


@trap("sampling-assumptions", true=True, sets="sqrt(h^2 + h^4) = |h| sqrt(1 + h^2) for hermitian h (a real number)")
def k_sampling_hermitian_true():
    return _eq(sp.sqrt(he ** 2 + he ** 4), sp.Abs(he) * sp.sqrt(1 + he ** 2))


# --- integers of any size ----------------------------------------------------------------------

@trap("sampling-integers", true=False, sets="floor(n/10^7) = 0 for integer n >= 0 (true below 10^7 only)")
def k_sampling_floor_below_bound_false():
    return _eq(sp.floor(n0 / 10 ** 7), 0)


@trap("sampling-integers", true=False, sets="|n| < 10^9 for every integer n")
def k_sampling_abs_below_bound_false():
    return _step(sp.Lt(sp.Abs(n), 10 ** 9, evaluate=False))


@trap("sampling-integers", true=False, sets="(-1)^n = 1 for every integer n (true for even n only)")
def k_sampling_parity_every_integer_false():
    return _eq((-1) ** n, 1)


@trap("sampling-integers", true=False, sets="Mod(n, 10^8) = n for integer n >= 0 (true below 10^8 only)")
def k_sampling_mod_below_bound_false():
    return _eq(sp.Mod(n0, 10 ** 8), n0)


@trap("sampling-integers", true=True, sets="cos(pi n) = 1 for even n (huge n included)")
def k_sampling_even_cos_true():
    return _eq(sp.cos(sp.pi * ne), 1)


@trap("sampling-integers", true=True, sets="floor(n/2) = (n - 1)/2 for odd n (huge n included)")
def k_sampling_odd_floor_true():
    return _eq(sp.floor(no / 2), (no - 1) / 2)


@trap("sampling-integers", true=True, sets="Mod(n^2, 8) = 1 for odd n (huge n included)")
def k_sampling_odd_square_mod_true():
    return _eq(sp.Mod(no ** 2, 8), 1)


@trap("sampling-integers", true=False, sets="Mod(n^2, 16) = 1 for odd n (3^2 = 9)")
def k_sampling_odd_square_mod16_false():
    return _eq(sp.Mod(no ** 2, 16), 1)


@trap("sampling-integers", true=True, sets="n^2 + n is even: Mod(n^2 + n, 2) = 0 for integer n")
def k_sampling_consecutive_product_even_true():
    return _eq(sp.Mod(n ** 2 + n, 2), 0)


@trap("sampling-integers", true=True, sets="Mod(p^2 - 1, 24) = 0 for a prime p >= 5")
def k_sampling_prime_square_mod24_true():
    return _step(sp.Eq(sp.Mod(pr ** 2 - 1, 24), 0, evaluate=False), conditions=[pr >= 5])


@trap("sampling-integers", true=False, sets="Mod(p, 2) = 1 for every prime p (p = 2)")
def k_sampling_prime_odd_false():
    return _eq(sp.Mod(pr, 2), 1)


@trap("sampling-integers", true=False, sets="Mod(c, 2) = 1 for composite c (4)")
def k_sampling_composite_odd_false():
    return _eq(sp.Mod(co, 2), 1)


@trap("sampling-integers", true=True, sets="(n + 1)^3 - n^3 = 3 n^2 + 3 n + 1 at huge n, through floor (exact)")
def k_sampling_big_integer_identity_true():
    return _eq(sp.floor((n + 1) ** 3 - n ** 3), 3 * n ** 2 + 3 * n + 1)


# --- irrational and transcendental values ------------------------------------------------------

@trap("sampling-assumptions", true=True, sets="sqrt(q^2 + q^4) = |q| sqrt(1 + q^2) for irrational q (a real number)")
def k_sampling_irrational_sqrt_true():
    return _eq(sp.sqrt(ir ** 2 + ir ** 4), sp.Abs(ir) * sp.sqrt(1 + ir ** 2))


@trap("sampling-assumptions", true=False, sets="floor(q) < q for real q (false at integers)")
def k_sampling_real_floor_false():
    q = sp.Symbol("q", real=True)
    return _step(sp.Lt(sp.floor(q), q, evaluate=False))


@trap("sampling-assumptions", true=False, sets="floor(re q) = re q for transcendental q (re q need not be an integer)")
def k_sampling_transcendental_not_integer_false():
    return _eq(sp.floor(sp.re(tr)) - sp.re(tr) + sp.Abs(tr) - sp.Abs(tr), 0)

"""Issue 22, "Branches decided, not followed blindly": which root a solve takes, and names
introduced once.

Classes:

* ``branch continuation``: a root followed in from infinity (``Asymptotic``) must be followed
  with steps bounded by the distance to the other roots; the old rule sized them by the root's
  speed far out (``m ~ -1/z`` barely moves), so one step landed on the target and the root
  nearest 0 was taken.  The far point must scale with the parameters (a shift of 1e24 is inside
  ``|z| = 1e20``).
* ``branch probes``: a form that takes the wrong root only beyond 1e12 or only beside a kink of
  its own (a Piecewise condition, an Abs) must be probed there.
* ``names reused``: a transform into a function already defined, already with a curve, or the
  premise's own; ``add_law`` onto a name with a law, or twice without ``tag=``: refused at build.
"""

import sympy as sp

from derive import Asymptotic, Derivation, Holds
from derive.notation import Meaning
from derive.rmt import marchenko_pastur, semicircle
from derive.rmt.steps import add_law

from . import trap

z = sp.Symbol("z")
a = sp.Symbol("a", positive=True)
r = sp.Symbol("r", positive=True)
rr = sp.Symbol("r", real=True)
y = sp.Symbol("y", real=True)
m, g = sp.Function("m"), sp.Function("g")

# (semicircle(1) + 3) * atom(1, 1/2): the free compression of a shifted semicircle by a projection
# of rank 1/2; an atom 1/2 at 0 and a cut [3 - sqrt 2, 3 + sqrt 2].
COMPRESSED = 4 * m(z) ** 2 * z ** 2 + (4 * z ** 3 - 12 * z ** 2 + 4 * z) * m(z) + 4 * z ** 2 - 6 * z + 1
_EDGES = (3 - sp.sqrt(2), 3 + sp.sqrt(2))
_RADICAL = z * sp.sqrt(z - _EDGES[0]) * sp.sqrt(z - _EDGES[1])
COMPRESSED_ROOT = (-(z ** 2 - 3 * z + 1) + _RADICAL) / (2 * z)       # m ~ -1/z, cut on the support
COMPRESSED_OTHER = (-(z ** 2 - 3 * z + 1) - _RADICAL) / (2 * z)
ASYMPTOTIC = Asymptotic(z * m(z), z, sp.I * sp.oo, -1)


def _curve(curve, parameters=()):
    D = Derivation("trap")
    D.parameter(z, *parameters)
    D.define("m-def", sp.Eq(m(z), Meaning(r"\lim_{N\to\infty}\tfrac1N\operatorname{tr}(X-z)^{-1}")))
    D.fact("curve", sp.Eq(curve, 0), uses=["m-def"])
    return D


def _solve(curve, form, branch, parameters=()):
    """Solved on the closed upper half plane: below the cut the continuation from i oo crosses it
    and names the other root, so no branch condition here settles Im z < 0."""
    D = _curve(curve, parameters)
    D.solve("s", "curve", m(z), form=form, branch=list(branch), conditions=[sp.im(z) >= 0])
    return D, "s"


# ---------------------------------------------------------------------------------------------
# branch continuation
# ---------------------------------------------------------------------------------------------


@trap("branch continuation", true=True,
      sets="compressed shifted semicircle, its Stieltjes root named only by z m -> -1 at i oo: followed in, "
           "the root is the form's at every point (the old follower jumped to the root nearest 0)")
def k_branches_compressed_root_true():
    return _solve(COMPRESSED, COMPRESSED_ROOT, [ASYMPTOTIC, Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0])])


@trap("branch continuation", true=False,
      sets="compressed shifted semicircle solved as 'the root nearest 0' (a Piecewise on the moduli): what "
           "the old follower took once a step landed on the target")
def k_branches_compressed_nearest_zero():
    nearest = sp.Piecewise((COMPRESSED_ROOT, sp.Abs(COMPRESSED_ROOT) <= sp.Abs(COMPRESSED_OTHER)),
                           (COMPRESSED_OTHER, True))
    return _solve(COMPRESSED, nearest, [ASYMPTOTIC])


@trap("branch continuation", true=False,
      sets="compressed shifted semicircle solved as its other root, named only by z m -> -1 at i oo")
def k_branches_compressed_other():
    return _solve(COMPRESSED, COMPRESSED_OTHER, [ASYMPTOTIC])


_SHIFTED = m(z) ** 2 + (z - a ** 2) * m(z) + 1          # a semicircle shifted by a^2 (up to 1e24)
_SHIFTED_ROOT = (-(z - a ** 2) + sp.sqrt(z - a ** 2 - 2) * sp.sqrt(z - a ** 2 + 2)) / 2
_SHIFTED_OTHER = (-(z - a ** 2) - sp.sqrt(z - a ** 2 - 2) * sp.sqrt(z - a ** 2 + 2)) / 2


@trap("branch continuation", true=True,
      sets="semicircle shifted by a^2, z m -> -1 at i oo: at |z| = 1e20 and a = 1e12 z sits inside the "
           "spectrum, so a far point fixed at 1e20 failed the true form")
def k_branches_far_point_scales_true():
    return _solve(_SHIFTED, _SHIFTED_ROOT, [ASYMPTOTIC, Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0])], [a])


@trap("branch continuation", true=False, sets="semicircle shifted by a^2: the other root, with z m -> -1 at i oo")
def k_branches_far_point_scales_false():
    return _solve(_SHIFTED, _SHIFTED_OTHER, [ASYMPTOTIC, Holds(sp.im(m(z)) > 0, where=[sp.im(z) > 0])], [a])


# ---------------------------------------------------------------------------------------------
# branch probes: far out and beside kinks
# ---------------------------------------------------------------------------------------------


def _square(form, branch):
    D = Derivation("trap")
    D.parameter(rr)
    D.define("y-def", sp.Eq(y, Meaning("a root")))
    D.fact("sq", sp.Eq(y ** 2, rr ** 2), uses=["y-def"])
    D.solve("s", "sq", y, form=form, branch=list(branch))
    return D, "s"


@trap("branch probes", true=True, sets="y^2 = r^2 with y >= 0 solved as |r|")
def k_branches_abs_true():
    return _square(sp.Abs(rr), [Holds(y >= 0)])


@trap("branch probes", true=False,
      sets="y^2 = r^2 with y >= 0 solved as r for r > -1e-13 (else -r): the wrong root on (-1e-13, 0) only, "
           "beside the Piecewise's kink")
def k_branches_kink_piecewise():
    return _square(sp.Piecewise((rr, rr > -sp.Rational(1, 10 ** 13)), (-rr, True)), [Holds(y >= 0)])


@trap("branch probes", true=False,
      sets="y^2 = r^2 with y >= 0 solved as |r| below 1e15 and -|r| above: wrong only beyond the 1e12 the "
           "sampling reached")
def k_branches_far_piecewise():
    return _square(sp.Piecewise((sp.Abs(rr), sp.Abs(rr) < 10 ** 15), (-sp.Abs(rr), True)), [Holds(y >= 0)])


@trap("branch probes", true=True, sets="y^2 = r^2 with y >= 0 solved as Max(r, -r), which kinks at 0")
def k_branches_max_true():
    return _square(sp.Max(rr, -rr), [Holds(y >= 0)])


# ---------------------------------------------------------------------------------------------
# names reused
# ---------------------------------------------------------------------------------------------


def _semicircle():
    D = _curve(m(z) ** 2 + z * m(z) + 1)
    return D


@trap("names reused", true=False,
      sets="g := -1/z, then the semicircle's curve carried into g (a scaling by 1): g^2 + z g + 1 = 0")
def k_branches_transform_into_defined():
    D = _semicircle()
    D.define("g-def", sp.Eq(g(z), -1 / z))
    D.transform("t", "curve", sp.Eq(g(z) ** 2 + z * g(z) + 1, 0), change=(g(z), m(z), z))
    return D, "t"


@trap("names reused", true=False,
      sets="a scaling by 2 from m into m itself: m(2z) = m(z)/2 would give m a second curve")
def k_branches_transform_into_itself():
    D = _semicircle()
    D.transform("t", "curve", sp.Eq(4 * m(z) ** 2 + 2 * z * m(z) + 1, 0), change=(m(z), m(z) / 2, 2 * z))
    return D, "t"


@trap("names reused", true=False,
      sets="g already has a curve (a fact, g^2 + 2 z g + 1 = 0); a transform gives it the semicircle's too")
def k_branches_transform_onto_curve():
    D = _semicircle()
    D.define("g-def", sp.Eq(g(z), Meaning("another law")))
    D.fact("g-curve", sp.Eq(g(z) ** 2 + 2 * z * g(z) + 1, 0), uses=["g-def"])
    D.transform("t", "curve", sp.Eq(g(z) ** 2 + z * g(z) + 1, 0), change=(g(z), m(z), z))
    return D, "t"


@trap("names reused", true=False,
      sets="a transform into g, then g := -1/z defined after it")
def k_branches_define_after_transform():
    D = _semicircle()
    D.transform("t", "curve", sp.Eq(g(z) ** 2 + z * g(z) + 1, 0), change=(g(z), m(z), z))
    D.define("g-def", sp.Eq(g(z), -1 / z))
    return D, "t"


@trap("names reused", true=True, sets="the semicircle carried into a new name g by a scaling by 2")
def k_branches_transform_new_name_true():
    D = _semicircle()
    D.transform("t", "curve", sp.Eq(4 * g(z) ** 2 + z * g(z) + 1, 0), change=(g(z), m(z) / 2, 2 * z))
    return D, "t"


_POINTS = [{}]


@trap("names reused", true=False,
      sets="add_law of mp(1/2) onto m, which already holds the semicircle's curve")
def k_branches_add_law_onto_law():
    D = _semicircle()
    last = add_law(D, "law", marchenko_pastur(sp.Rational(1, 2)) + 1, m(z), points=_POINTS, trials=2)
    return D, last


@trap("names reused", true=False,
      sets="add_law twice without tag=: the second law's inner m_1 is the first's, with another curve")
def k_branches_add_law_twice():
    D = Derivation("trap")
    D.parameter(z)
    add_law(D, "first", 2 * semicircle(1), m(z), points=_POINTS, trials=2)
    last = add_law(D, "second", 3 * marchenko_pastur(sp.Rational(1, 2)), g(z), points=_POINTS, trials=2)
    return D, last


@trap("names reused", true=True, sets="add_law twice with distinct tags: the inner names differ; the last transform holds")
def k_branches_add_law_tagged_true():
    D = Derivation("trap")
    D.parameter(z)
    add_law(D, "first", 2 * semicircle(1), m(z), points=_POINTS, trials=2, tag="a")
    last = add_law(D, "second", 3 * semicircle(1), g(z), points=_POINTS, trials=2, tag="b")
    return D, last


# ---------------------------------------------------------------------------------------------
# a linear solve whose leading coefficient's zero the conditions exclude (issue 23)
# ---------------------------------------------------------------------------------------------

q = sp.Symbol("q", positive=True)
w = sp.Symbol("w", real=True)


def _linear(conditions):
    D = Derivation("trap")
    D.parameter(q, w)
    D.define("y-def", sp.Eq(y, Meaning("a root")))
    D.fact("p", sp.Eq((q * w + 1) * y, 1), uses=["y-def"])
    D.solve("s", "p", y, form=1 / (q * w + 1), conditions=conditions)
    return D, "s"


@trap("branch probes", true=True,
      sets="(q w + 1) y = 1 solved for y where q w + 1 > 0: the zero w = -1/q of the coefficient is excluded "
           "(at 80 digits q w + 1 came out a rounding error above 0 there)")
def k_branches_linear_zero_excluded_true():
    return _linear([q * w + 1 > 0])


@trap("branch probes", true=False,
      sets="(q w + 1) y = 1 solved for y where q w + 1 >= 0: at w = -1/q there is no root")
def k_branches_linear_zero_included():
    return _linear([q * w + 1 >= 0])

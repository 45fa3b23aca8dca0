"""A forward bound on the rounding error of a lowered expression, carried through its tree.

``derive eval`` prints numbers computed in double precision.  Near the edges of a domain
(``kappa = 1e-16``, ``alpha = 1e-100``, ``|z| = 1e18``) a formula can lose every digit to
cancellation (``1 + 1/kappa - 1/kappa``), or overflow (``(1/kappa)**2`` at ``kappa = 1e-300``), and
still return a finite, wrong number.  :class:`ErrorBound` evaluates the same expression node by
node, vectorised, and carries next to each value ``v`` a first-order bound ``e`` on
``|computed - exact|`` (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., ch. 3,
running error analysis), with ``u = 2^-53`` the unit round-off and ``eta = 2^-1074`` the absolute
error of an underflow:

* a sum ``t_1 + ... + t_n``: ``e = sum e_i + (n - 1) u sum |t_i|`` (the cancellation ratio
  ``sum |t_i| / |sum t_i|`` is what makes ``e / |v|`` large);
* a product: ``e = sum_i e_i prod_{j != i} |f_j| + (n - 1) u |v| + eta``;
* a power ``b^p`` (constant ``p``): ``e = |p| |v| e_b / |b| + (1 + |p log|b||) u |v| + eta``
  (infinite for ``p < 0`` when ``e_b >= |b|``), with ``p (|b| + e_b)^(p-1) e_b`` for the first
  term when ``p >= 1`` (finite at ``b = 0``), and ``e <= e_b^p`` for ``0 < p < 1`` (a square
  root near 0); for a complex ``b`` near the cut of a
  fractional power (``Re b < 0`` and ``0 < |Im b| <= e_b``, or the ``-0`` imaginary part numpy's
  signed zeros give, where mpmath and sympy take the other side) the bound is infinite; an
  imaginary part exactly 0 is taken as exact (real inputs keep it so);
* a function ``f(a_1, ...)``: ``e = sum |df/da_i| e_i + 4 u |v| + eta``; a hypergeometric function
  or a definite integral (:mod:`derive.special`) carries its own error in place of ``4 u |v|``;
* a value that overflows (not finite although its operands are) or is nan: ``e = inf``.

The relative bound ``e / |v|`` says which points double precision cannot deliver; those are
evaluated again with mpmath (:meth:`derive.lower.Lowered.evaluate`).

>>> import sympy as sp
>>> k = sp.Symbol("k", positive=True)
>>> bound = ErrorBound(sp.sqrt(1 + k**2) - 1, (k,))      # k**2/2 for small k
>>> value, error = bound([np.array([0.5, 1e-5, 1e-9])], [np.zeros(3)])
>>> value.tolist()                                     # the last is 5e-19
[0.1180339887498949, 5.000000413701855e-11, 0.0]
>>> [f"{r:.1e}" for r in relative(value, error)]      # no digit is right at 1e-9
['3.7e-15', '7.8e-06', 'inf']
"""

from __future__ import annotations

import functools
import operator

import numpy as np
import sympy as sp

from .special import special_for

#: The unit round-off of double precision.
UNIT = 2.0 ** -53
#: The absolute error of a result that underflows (the smallest subnormal).
TINY = 2.0 ** -1074
#: Below this a double is subnormal, and has lost relative precision.
SMALLEST_NORMAL = 2.0 ** -1022

_RELATIONS = {sp.Eq: np.equal, sp.Ne: np.not_equal, sp.Lt: np.less, sp.Le: np.less_equal,
              sp.Gt: np.greater, sp.Ge: np.greater_equal}


class ErrorBound:
    """``expr`` of ``arguments`` as a program of numpy operations that returns ``(value, error)``.

    The program is plain data (operations on slot numbers, numbers, and for a function other
    than ``+ * **`` its ``lambdify``'d value and derivatives), so it pickles with the lowered
    quantity.  Identical subtrees are computed once.  A node it has no rule for is evaluated
    and given an infinite bound (its points go to the mpmath path), never a wrong small one.
    """

    def __init__(self, expr, arguments):
        self.arguments = tuple(arguments)
        self.program = []
        self._slots = {}
        self.result = self._compile(sp.sympify(expr))
        del self._slots  # only for building: the program is what is kept

    # ---- building ------------------------------------------------------------------------

    def _emit(self, instruction, key):
        self.program.append(instruction)
        self._slots[key] = len(self.program) - 1
        return self._slots[key]

    def _compile(self, node):
        if node in self._slots:
            return self._slots[node]
        if node in self.arguments:
            return self._emit(("arg", self.arguments.index(node)), node)
        if node.is_Boolean and not isinstance(node, sp.Symbol):
            return self._compile_condition(node)
        if node.is_Number or node.is_NumberSymbol or node is sp.I or node in (sp.nan, sp.zoo):
            return self._emit(("const",) + _constant(node), node)
        special = special_for(node, self.arguments)
        if special is not None:
            return self._emit(("special", tuple(self._compile(s) for s in special.inputs), special), node)
        if node.is_Add:
            return self._emit(("add", tuple(self._compile(a) for a in node.args)), node)
        if node.is_Mul:
            return self._emit(("mul", tuple(self._compile(a) for a in node.args)), node)
        if node.is_Pow:
            base, exponent = node.args
            if exponent.is_Number:
                return self._emit(("pow", self._compile(base), float(exponent),
                                   bool(exponent.is_integer)), node)
            return self._emit(("powx", self._compile(base), self._compile(exponent)), node)
        if isinstance(node, sp.Piecewise):
            pairs = tuple((self._compile(e), self._compile(c)) for e, c in node.args)
            return self._emit(("piecewise", pairs), node)
        if isinstance(node, (sp.Abs, sp.conjugate)):
            return self._emit(("same", self._compile(node.args[0]), type(node).__name__), node)
        if isinstance(node, (sp.re, sp.im)):
            return self._emit(("part", self._compile(node.args[0]), type(node).__name__), node)
        if isinstance(node, sp.Function) and node.args:
            return self._emit(self._function(node), node)
        return self._emit(self._opaque(node), node)

    def _compile_condition(self, node):
        if node is sp.true or node is sp.false:
            return self._emit(("bool", bool(node)), node)
        if type(node) in _RELATIONS:
            return self._emit(("rel", type(node).__name__, self._compile(node.lhs), self._compile(node.rhs)), node)
        if isinstance(node, (sp.And, sp.Or)):
            return self._emit(("logic", type(node).__name__, tuple(self._compile(a) for a in node.args)), node)
        if isinstance(node, sp.Not):
            return self._emit(("logic", "Not", (self._compile(node.args[0]),)), node)
        return self._emit(self._opaque(node), node)

    def _function(self, node):
        """A function of its arguments: its value and its partial derivatives, lowered."""
        dummies = sp.symbols(f"a0:{len(node.args)}", cls=sp.Dummy)
        call = node.func(*dummies)
        try:
            derivatives = [sp.diff(call, d) for d in dummies]
        except Exception:  # no derivative sympy knows: an opaque node
            return self._opaque(node)
        if any(d.has(sp.Derivative, sp.Subs) for d in derivatives):
            return self._opaque(node)
        lowered = {module: (sp.lambdify(dummies, call, modules=module),
                            tuple(sp.lambdify(dummies, d, modules=module) for d in derivatives))
                   for module in ("numpy", "mpmath")}
        return ("func", tuple(self._compile(a) for a in node.args), *lowered["numpy"], *lowered["mpmath"])

    def _opaque(self, node):
        symbols = tuple(sorted(node.free_symbols & set(self.arguments), key=self.arguments.index))
        return ("opaque", tuple(self._compile(s) for s in symbols),
                sp.lambdify(symbols, node, modules="numpy"), sp.lambdify(symbols, node, modules="mpmath"))

    # ---- evaluation ----------------------------------------------------------------------

    def __call__(self, values, errors):
        """``(value, error)`` of the expression at ``values`` (arrays, in the order of
        :attr:`arguments`, broadcast together) whose own absolute errors are ``errors``."""
        with np.errstate(all="ignore"):
            return self._run(values, errors, NUMPY)

    def at_working_precision(self, values, errors):
        """``(value, error)`` at one point of mpmath numbers, in mpmath at its working
        precision: the same bound with ``u = 2^-prec`` (mpmath neither overflows nor
        underflows), so that a value is known to be right, not only to agree with itself at
        another precision."""
        return self._run(values, errors, Mpmath())

    def _run(self, values, errors, ctx):
        vals, errs = [], []
        for instruction in self.program:
            value, error = _RUN[instruction[0]](instruction, vals, errs, values, errors, ctx)
            vals.append(value)
            errs.append(error)
        return vals[self.result], errs[self.result]


class Numpy:
    """The arithmetic of :meth:`ErrorBound.__call__`: numpy arrays in double precision."""

    unit, tiny = UNIT, TINY

    def __init__(self):
        self.abs, self.log, self.isfinite, self.isnan, self.where = np.abs, np.log, np.isfinite, np.isnan, np.where
        self.minimum, self.real, self.imag, self.signbit = np.minimum, np.real, np.imag, np.signbit
        self.conjugate, self.any, self.all, self.iscomplex = np.conjugate, np.any, np.all, np.iscomplexobj

    @staticmethod
    def constant(ins):
        return ins[1], ins[2]

    @staticmethod
    def function(ins):
        return ins[2], ins[3]

    @staticmethod
    def underflow(value, operands):
        """``TINY`` where ``value`` is subnormal or 0 although no operand is 0: the absolute
        error of gradual underflow (a product that underflows to 0 keeps only this, so its
        relative bound is infinite)."""
        small = np.abs(value) < SMALLEST_NORMAL
        if not small.any():
            return 0.0
        nonzero = _all(np.asarray(o) != 0 for o in operands)
        return np.where(small & nonzero, TINY, 0.0)


NUMPY = Numpy()


class Mpmath:
    """The arithmetic of :meth:`ErrorBound.at_working_precision`: mpmath numbers, one point,
    ``u`` the working precision's."""

    tiny = 0

    def __init__(self):
        import mpmath

        self.mp = mpmath
        self.unit = mpmath.mpf(2) ** -mpmath.mp.prec
        self.abs, self.log, self.isfinite, self.isnan = abs, mpmath.log, mpmath.isfinite, mpmath.isnan
        self.minimum, self.real, self.imag, self.conjugate = min, mpmath.re, mpmath.im, mpmath.conj

    @staticmethod
    def where(condition, a, b):
        return a if condition else b

    @staticmethod
    def any(x):
        return bool(x)

    all = any

    def iscomplex(self, x):
        return isinstance(x, self.mp.mpc)

    @staticmethod
    def signbit(x):
        return False  # mpmath has no signed zeros: its branches are the principal ones

    def constant(self, ins):
        value = self.mp.mpmathify(ins[3].evalf(self.mp.mp.dps + 5)) if ins[3] is not None else ins[1]
        return value, ins[2] and self.unit * abs(value)

    @staticmethod
    def function(ins):
        return ins[4], ins[5]

    @staticmethod
    def underflow(value, operands):
        return 0


def relative(value, error):
    """``error / |value|`` with ``0 / 0 = 0``, ``e / 0 = inf`` and ``inf`` at a non-finite value."""
    size = np.abs(value)
    with np.errstate(all="ignore"):
        ratio = np.where(error == 0, 0.0, error / size)
    return np.where(np.isfinite(value), np.where(np.isnan(ratio), np.inf, ratio), np.inf)


def _constant(node):
    """``(value, error, exact)`` of a number: the error is 0 when double precision holds it;
    ``exact`` is the number itself, for mpmath, when the double is not."""
    if node is sp.nan:
        return np.nan, 0.0, None
    if node is sp.zoo:
        return np.inf, 0.0, None
    value = complex(node) if node is sp.I or not node.is_real else float(node)
    exact = (node.is_Integer and abs(int(node)) < 2 ** 53) or node.is_Float or node is sp.I or (
        node.is_Rational and (int(node.q) & (int(node.q) - 1)) == 0 and abs(int(node.p)) < 2 ** 53)
    return value, 0.0 if exact else UNIT * abs(value), None if exact else node


def _exact(error):
    """Whether ``error`` is the scalar 0 of an exact number (a constant, a parameter)."""
    return np.ndim(error) == 0 and error == 0


def _times(error, factor, ctx):
    """``error * factor`` with an exact operand (``error = 0``) staying exact at any factor."""
    if _exact(error):
        return 0.0
    product = error * factor
    if ctx.any(ctx.isnan(product)):  # 0 * inf: exact stays exact; nan * x: no bound
        product = ctx.where(error == 0, 0.0, ctx.where(ctx.isnan(product), np.inf, product))
    return product


def _unbounded(error, ctx):
    """``error`` with nan (an operation on inf, say) as an infinite bound."""
    return ctx.where(ctx.isnan(error), np.inf, error) if ctx.any(ctx.isnan(error)) else error


def _all(conditions):
    """Elementwise ``and`` of conditions of broadcastable shapes."""
    return functools.reduce(np.logical_and, conditions, np.True_)


def _overflow(value, error, operands, ctx):
    """``inf`` where ``value`` is nan, or infinite although every operand is finite."""
    bad = ~ctx.isfinite(value) if ctx is NUMPY else not ctx.isfinite(value)
    if not ctx.any(bad):
        return error
    if ctx is not NUMPY:
        return np.inf
    finite = _all(np.isfinite(o) for o in operands)
    return np.where(np.isnan(value) | (bad & finite), np.inf, error)


def _arg(ins, vals, errs, values, errors, ctx):
    return values[ins[1]], errors[ins[1]]


def _const(ins, vals, errs, values, errors, ctx):
    return ctx.constant(ins)


def _add(ins, vals, errs, values, errors, ctx):
    terms = [vals[i] for i in ins[1]]
    value = functools.reduce(operator.add, terms)
    error = sum((errs[i] for i in ins[1] if not _exact(errs[i])), 0.0)
    error = error + (len(terms) - 1) * ctx.unit * sum(ctx.abs(t) for t in terms)
    return value, _overflow(value, error, terms, ctx)


def _mul(ins, vals, errs, values, errors, ctx):
    factors = [vals[i] for i in ins[1]]
    value = functools.reduce(operator.mul, factors)
    size = ctx.abs(value)
    error = (len(factors) - 1) * ctx.unit * size + ctx.underflow(value, factors)
    inexact = [k for k, i in enumerate(ins[1]) if not _exact(errs[i])]
    if inexact:
        # |v| sum e_i / |f_i|, unless a factor is 0 or a value infinite: then the product rule
        with np.errstate(all="ignore"):
            spread = size * sum(_ratio(errs[ins[1][k]], factors[k], ctx) for k in inexact)
        if not ctx.all(ctx.isfinite(spread)):
            spread = 0.0
            for k in inexact:
                others = functools.reduce(operator.mul, [ctx.abs(f) for j, f in enumerate(factors) if j != k], 1.0)
                spread = spread + _times(errs[ins[1][k]], others, ctx)
        error = error + spread
    return value, _overflow(value, error, factors, ctx)


def _ratio(error, value, ctx):
    """``error / |value|``, inf for a nonzero error of a 0 (mpmath raises where numpy gives inf)."""
    size = ctx.abs(value)
    if ctx is NUMPY:
        return error / size
    return error / size if size else (np.inf if error else 0)


def _pow(ins, vals, errs, values, errors, ctx):
    _, b, p, integer = ins
    base, e_base = vals[b], errs[b]
    value = base ** p
    size, base_size = ctx.abs(value), ctx.abs(base)
    with np.errstate(all="ignore"):
        if _exact(e_base):
            error = 0.0
        elif p >= 1:  # mean value: (|b| + e)^p - |b|^p <= p (|b| + e)^(p - 1) e, finite at b = 0
            error = _unbounded(_times(e_base, p * (base_size + e_base) ** (p - 1), ctx), ctx)
        else:
            error = _unbounded(_times(_ratio(e_base, base, ctx), abs(p) * size, ctx), ctx)
            if p < 0:  # an error as large as b itself may reach the pole
                error = ctx.where(e_base >= base_size, np.inf, error)
        logarithm = (0.0 if integer or p in (0.5, -0.5)
                     else abs(p) * ctx.abs(ctx.log(ctx.where(base_size == 0, 1.0, base_size))))
    if 0 < p < 1:  # |(b + d)^p - b^p| <= |d|^p: a root near 0 is not infinitely sensitive
        error = ctx.minimum(error, e_base ** p)
    error = error + (1 + logarithm) * ctx.unit * size + ctx.underflow(value, [base])
    if ctx.iscomplex(base) and not integer:
        # near the cut: an error in b (or numpy's -0 imaginary part) can put it on the other side
        real, imag = ctx.real(base), ctx.imag(base)
        # an imaginary part exactly 0 is taken as exact (real arithmetic keeps it so)
        uncertain = (ctx.abs(imag) <= e_base) & (imag != 0)
        near = (real < 0) & (uncertain | ((imag == 0) & ctx.signbit(imag)))
        error = ctx.where(near, np.inf, error)
    return value, _overflow(value, error, [base], ctx)


def _powx(ins, vals, errs, values, errors, ctx):
    base, exponent = vals[ins[1]], vals[ins[2]]
    value = base ** exponent
    size = ctx.abs(value)
    with np.errstate(all="ignore"):
        logarithm = ctx.abs(ctx.log(ctx.abs(base)))
        error = size * (_times(_ratio(errs[ins[1]], base, ctx), ctx.abs(exponent), ctx)
                        + _times(errs[ins[2]], logarithm, ctx))
    error = (_unbounded(error, ctx) + (1 + ctx.abs(exponent) * logarithm) * ctx.unit * size
             + ctx.underflow(value, [base]))
    return value, _overflow(value, error, [base, exponent], ctx)


def _piecewise(ins, vals, errs, values, errors, ctx):
    pairs = ins[1]
    value, error = vals[pairs[-1][0]], errs[pairs[-1][0]]
    for expr, condition in reversed(pairs[:-1]):
        value = ctx.where(vals[condition], vals[expr], value)
        error = ctx.where(vals[condition], errs[expr], error)
    if not ctx.all(vals[pairs[-1][1]]):  # no branch holds: nan, as lambdify gives
        held = functools.reduce(np.logical_or, (vals[c] for _, c in pairs), np.False_)
        value = ctx.where(held, value, np.nan)
    return value, _overflow(value, error, [], ctx)


def _same(ins, vals, errs, values, errors, ctx):
    argument = vals[ins[1]]
    return (ctx.abs(argument) if ins[2] == "Abs" else ctx.conjugate(argument)), errs[ins[1]]


def _part(ins, vals, errs, values, errors, ctx):
    argument = vals[ins[1]]
    return (ctx.real(argument) if ins[2] == "re" else ctx.imag(argument)), errs[ins[1]]


def _function(ins, vals, errs, values, errors, ctx):
    slots = ins[1]
    function, slopes = ctx.function(ins)
    arguments = [vals[i] for i in slots]
    value = function(*arguments)
    error = 4 * ctx.unit * ctx.abs(value) + ctx.underflow(value, arguments)
    for slope, index in zip(slopes, slots):
        error = error + _times(errs[index], ctx.abs(slope(*arguments)), ctx)
    return value, _overflow(value, _unbounded(error, ctx), arguments, ctx)


def _special(ins, vals, errs, values, errors, ctx):
    """A node of :mod:`derive.special`: its own error, and each argument's error times the
    derivative in it (infinite for an inexact argument sympy cannot differentiate in)."""
    special = ins[2]
    arguments = [vals[i] for i in ins[1]]
    value, error = special.numpy(*arguments) if ctx is NUMPY else special.mpmath(*arguments)
    for k, index in enumerate(ins[1]):
        if _exact(errs[index]):
            continue
        slope = special.slope(k)
        if slope is None:
            error = error + ctx.where(errs[index] > 0, np.inf, 0.0)
            continue
        exact = [0.0] * len(arguments)
        derivative, _ = slope(arguments, exact) if ctx is NUMPY else slope.at_working_precision(arguments, exact)
        error = error + _times(errs[index], ctx.abs(derivative), ctx)
    return value, _overflow(value, _unbounded(error, ctx), arguments, ctx)


def _opaque_run(ins, vals, errs, values, errors, ctx):
    value = (ins[2] if ctx is NUMPY else ins[3])(*[vals[i] for i in ins[1]])
    return value, (np.full(np.shape(value), np.inf) if ctx is NUMPY else np.inf)


def _bool(ins, vals, errs, values, errors, ctx):
    return np.bool_(ins[1]), None


def _relation(ins, vals, errs, values, errors, ctx):
    compare = {type_.__name__: f for type_, f in _RELATIONS.items()}[ins[1]]
    return compare(vals[ins[2]], vals[ins[3]]), None


def _logic(ins, vals, errs, values, errors, ctx):
    operands = [vals[i] for i in ins[2]]
    if ins[1] == "Not":
        return np.logical_not(operands[0]), None
    combine = np.logical_and if ins[1] == "And" else np.logical_or
    return functools.reduce(combine, operands), None


_RUN = {"arg": _arg, "const": _const, "add": _add, "mul": _mul, "pow": _pow, "powx": _powx,
        "piecewise": _piecewise, "same": _same, "part": _part, "func": _function, "opaque": _opaque_run,
        "special": _special,
        "bool": _bool, "rel": _relation, "logic": _logic}

__all__ = ["ErrorBound", "relative", "UNIT", "TINY"]

"""Vectorised root finding for self-consistent equations, with an mpmath reference.

:class:`MonotoneRoot` solves ``F(u; params) = 0`` for every parameter point of a grid at once,
where ``F`` changes sign once on a bracket ``(lower, upper)``.  Newton steps use the derivative
``dF/du`` computed by sympy; a step that leaves the current bracket, or does not shrink ``|F|``,
is replaced by bisection, and the bracket shrinks with every evaluation (the safeguarded
Newton of Numerical Recipes' ``rtsafe``).  Convergence is quadratic once inside the basin and
never slower than bisection.

When the upper end of the bracket is only a guess, it is doubled (per point) until ``F``
changes sign.  Points where the root is known in closed form (a boundary case such as a
ridgeless limit) are given by ``closed`` where ``closed_when`` holds.

:meth:`MonotoneRoot.solve` also bounds the root's error: a root is only as good as the
residual it zeroes, ``|du| <= (|F(u)| + e_F) / |F'(u)|`` with ``e_F`` the rounding-error bound of
``F`` at ``u`` (:class:`derive.roundoff.ErrorBound`); near the edges of a domain ``F`` itself
can cancel (``1 - 1/kappa + ...`` at ``kappa = 1e-16``) and the bound says so.

>>> import sympy as sp
>>> u, a = sp.symbols("u a", positive=True)
>>> root = MonotoneRoot(a - u**2, u, (a,), lower=0, upper=1)
>>> root(np.array([4.0, 9.0])).round(12).tolist()
[2.0, 3.0]
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from .roundoff import ErrorBound
from .special import lambdify
from .grid import shown

#: How far (a power of 2) the mpmath reference moves the upper end of a bracket before it gives
#: up: 2^8192, far past the range of double precision, where every parameter of ``derive eval`` lies.
MAX_DOUBLINGS = 8192


class MonotoneRoot:
    """The root in ``u`` of ``equation = 0``, as a vectorised function of ``parameters``."""

    def __init__(self, equation, unknown, parameters, lower, upper, closed=None, closed_when=None,
                 tolerance=1e-14, max_iterations=200):
        self.equation = sp.sympify(equation)
        self.unknown = unknown
        self.parameters = tuple(parameters)
        args = (unknown,) + self.parameters
        derivative = sp.diff(self.equation, unknown)
        self._f = lambdify(args, self.equation, cse=True)
        self._df = lambdify(args, derivative, cse=True)
        self._lower = lambdify(self.parameters, lower)
        self._upper = lambdify(self.parameters, upper)
        self._closed = lambdify(self.parameters, closed, cse=True) if closed is not None else None
        self._closed_when = lambdify(self.parameters, closed_when) if closed_when is not None else None
        self._bound = ErrorBound(self.equation, args)
        self._bound_df = ErrorBound(derivative, args)
        self._closed_bound = ErrorBound(closed, self.parameters) if closed is not None else None
        self._reference = lambdify(args, self.equation, modules="mpmath")
        self.closed_expr, self.closed_when_expr = closed, closed_when
        self.lower_expr, self.upper_expr = sp.sympify(lower), sp.sympify(upper)
        self.tolerance, self.max_iterations = tolerance, max_iterations

    def __call__(self, *params):
        return self.solve(*params, bound=False)[0]

    def solve(self, *params, bound=True):
        """``(root, error)``: the root on the grid and a bound on its absolute error (inf where
        double precision cannot deliver it; None without ``bound``)."""
        params = np.broadcast_arrays(*[np.asarray(p, dtype=float) for p in params])
        shape = params[0].shape
        flat = [p.ravel() for p in params]
        root = np.full(flat[0].shape, np.nan)
        error = np.full(flat[0].shape, np.inf) if bound else None
        use_closed = np.zeros(flat[0].shape, dtype=bool)
        with np.errstate(all="ignore"):
            if self._closed_when is not None:
                use_closed = np.broadcast_to(np.asarray(self._closed_when(*flat), dtype=bool),
                                             root.shape).copy()
                if use_closed.any():
                    root[use_closed] = np.broadcast_to(self._closed(*flat), root.shape)[use_closed]
                    if bound:
                        _, closed_error = self._closed_bound([p[use_closed] for p in flat], [0.0] * len(flat))
                        error[use_closed] = closed_error
            todo = ~use_closed
            if todo.any():
                points = [p[todo] for p in flat]
                root[todo] = self._solve(points)
                if bound:
                    error[todo] = self._root_error(root[todo], points)
        return root.reshape(shape), (error.reshape(shape) if bound else None)

    def _root_error(self, root, params):
        """``(|F(u)| + e_F) / |F'(u)|`` at the computed roots ``u``; inf where ``F'`` is not
        known to half its size."""
        inputs, exact = [root, *params], [0.0] * (1 + len(params))
        value, e_value = self._bound(inputs, exact)
        slope, e_slope = self._bound_df(inputs, exact)
        slope, e_slope = np.abs(slope) * np.ones_like(root), e_slope * np.ones_like(root)
        error = (np.abs(value) + e_value) / slope
        return np.where((e_slope < slope / 2) & np.isfinite(error), error, np.inf)

    def _solve(self, params):
        f = lambda u, p: np.asarray(self._f(u, *p), dtype=float) * np.ones_like(u)
        df = lambda u, p: np.asarray(self._df(u, *p), dtype=float) * np.ones_like(u)
        shape = params[0].shape
        lo, hi, f_lo, f_hi = self._bracket(f, params, shape)
        bracketed = np.sign(f_hi) != np.sign(f_lo)
        root = np.full(shape, np.nan)
        # Iterate only on the points not yet converged (the active set shrinks every step).
        active = np.flatnonzero(bracketed)
        sign_lo = np.sign(f_lo[active])
        lo, hi = lo[active], hi[active]
        u = 0.5 * (lo + hi)
        for _ in range(self.max_iterations):
            if active.size == 0:
                break
            p = [q[active] for q in params]
            f_u = f(u, p)
            left = np.sign(f_u) == sign_lo
            lo = np.where(left, u, lo)
            hi = np.where(left, hi, u)
            newton = u - f_u / df(u, p)
            # The bracket ends are admissible: at convergence the bracket collapses onto the root.
            safe = np.isfinite(newton) & (newton >= lo) & (newton <= hi)
            step = np.where(safe, newton, 0.5 * (lo + hi))
            # relative: a root of 1e-100 is as good as one of 1; a bracket of adjacent doubles
            # is as far as double precision goes
            done = ((np.abs(step - u) <= self.tolerance * np.abs(u)) | (f_u == 0)
                    | (hi - lo <= 2 * np.spacing(np.abs(hi))))
            root[active[done]] = step[done]
            keep = ~done
            active, sign_lo, lo, hi, u = active[keep], sign_lo[keep], lo[keep], hi[keep], step[keep]
        root[active] = u  # not converged within max_iterations: the best iterate, still bracketed
        return root

    def _bracket(self, f, params, shape):
        """``(lo, hi, F(lo), F(hi))`` on the grid: the given ends, the upper one doubled (per
        point, at most 200 times) until ``F`` changes sign."""
        lo, hi = self._ends(params, shape)
        return self._widened(f, params, lo, hi, 200)

    def _ends(self, params, shape):
        """The given ends of the bracket, one pair per grid point."""
        lo = np.broadcast_to(np.asarray(self._lower(*params), dtype=float), shape).copy()
        hi = np.broadcast_to(np.asarray(self._upper(*params), dtype=float), shape).copy()
        return lo, hi

    def _widened(self, f, params, lo, hi, widenings):
        """``(lo, hi, F(lo), F(hi))`` with the upper end moved out by :meth:`_widen`, per point
        and at most ``widenings`` times, until ``F`` changes sign (or ``hi`` is infinite)."""
        f_lo, f_hi = f(lo, params), f(hi, params)
        for _ in range(widenings):
            same = (np.sign(f_hi) == np.sign(f_lo)) & np.isfinite(hi)
            if not same.any():
                break
            hi[same] = self._widen(lo[same], hi[same])
            f_hi[same] = f(hi[same], [p[same] for p in params])
        return lo, hi, f_lo, f_hi

    def _widen(self, lo, hi):
        """The next guess of the upper end when ``F`` has not changed sign up to ``hi``."""
        return 2 * hi

    def _reference_start(self, f, values, floats):
        """The mpmath bracket :meth:`certified` starts from: the given ends."""
        return mpmath.mpf(float(self._lower(*floats))), mpmath.mpf(float(self._upper(*floats)))

    def reference(self, *params, dps=50):
        """The root at one parameter point with mpmath at ``dps`` digits (``None``: the working
        precision); see :meth:`certified`."""
        with mpmath.workdps(dps if dps is not None else mpmath.mp.dps):
            return self.certified(*params)[0]

    def certified(self, *params):
        """``(root, error)`` at one parameter point with mpmath at its working precision.

        The root is found by Anderson-Bjoerck on a bracket grown from the double-precision one
        (see the comment in the code), to a tolerance relative to the bracket's lower end (a root of 1e-200 to every digit); its
        error is ``h = 2^(-3 prec / 4) |root|``, certified by ``F`` taking opposite signs at
        ``root -+ h``, each larger than its rounding-error bound at this precision.  A closed
        form's error is its own bound.  No bracket below ``2^MAX_DOUBLINGS``, or no certificate, is :class:`mpmath.libmp.NoConvergence` (a higher precision may do)."""
        values = [mpmath.mpf(float(p)) for p in params]
        floats = [float(v) for v in values]
        if self._closed_when is not None and bool(self._closed_when(*floats)):
            return self._closed_bound.at_working_precision(values, [0] * len(values))
        f = lambda u: self._reference(u, *values)
        lo, hi = self._reference_start(f, values, floats)
        # The upper end grows by 2, 4, 16, 256, ... (a root of 1e600 in a dozen steps); the lower
        # end follows it while the sign does not change; then the bracket is halved in log
        # scale down to a factor 2, where Anderson-Bjoerck converges fast.
        sign_lo, growth = mpmath.sign(f(lo)), 1
        while mpmath.sign(f(hi)) == sign_lo:
            if growth > MAX_DOUBLINGS:
                raise mpmath.libmp.NoConvergence(f"no sign change of {self.equation} up to {self.unknown} = {hi}")
            lo, hi, growth = hi, hi * mpmath.mpf(2) ** growth, 2 * growth
        while lo > 0 and hi > 2 * lo:
            middle = mpmath.sqrt(lo * hi)
            lo, hi = (middle, hi) if mpmath.sign(f(middle)) == sign_lo else (lo, middle)
        tol = mpmath.eps * (min(lo, 1) if lo > 0 else 1)  # findroot stops at tol * max(1, |u|)
        root = mpmath.findroot(f, (lo, hi), solver="anderson", tol=tol, verify=False,
                               maxsteps=max(100, mpmath.mp.prec // 8))
        side = mpmath.mpf(2) ** (-(3 * mpmath.mp.prec) // 4) * abs(root)
        signs = []
        for end in (root - side, root + side):
            value, error = self._bound.at_working_precision([end, *values], [0] * (1 + len(values)))
            signs.append(mpmath.sign(value) if abs(value) > error else 0)
        if not signs[0] * signs[1] < 0:
            raise mpmath.libmp.NoConvergence(f"{self.unknown} = {root} is not certified a root of {self.equation}")
        return root, side


def bisect(f, low, high, iterations=100):
    """The root of a continuous ``f`` that changes sign once on ``[low, high]``, by bisection:
    for a function given only numerically (an empirical transform), where a derivative is not
    at hand.  ``iterations = 100`` halves the bracket to below double precision.

    >>> round(bisect(lambda u: u * u - 2, 0.0, 2.0), 12)
    1.414213562373
    """
    sign_low = np.sign(f(low))
    for _ in range(iterations):
        middle = (low + high) / 2
        if np.sign(f(middle)) == sign_low:
            low = middle
        else:
            high = middle
    return (low + high) / 2


class IntervalRoot(MonotoneRoot):
    """The unique root in ``u`` of ``equation = 0`` in the open interval ``(low, high)``, as a
    vectorised function of ``parameters``: the lowering of a ``root`` step
    (:mod:`derive.rules.root`), whose check established that ``F`` changes sign once there.

    The same safeguarded Newton as :class:`MonotoneRoot` (its tolerance and iteration count),
    on the bracket ``(low, high)``; an upper end at ``oo`` starts at ``max(low + 1, 1)`` and is
    moved up (doubled) until ``F`` changes sign.  An end where ``F`` is not finite (a pole of
    ``1 - lam/u`` at ``u = 0``) is moved a hair inside.  ``conditions`` are where the root is
    defined: a grid point outside them is a :class:`~derive.errors.UsageError` naming the
    parameters and the condition, never a number.

    >>> import sympy as sp
    >>> u, a = sp.symbols("u a", real=True)
    >>> root = IntervalRoot(u**3 - a, u, (a,), (0, sp.oo), conditions=[a > 0], name="cube root")
    >>> root(np.array([8.0, 27.0])).round(12).tolist()
    [2.0, 3.0]
    >>> root(np.array([8.0, -1.0]))
    Traceback (most recent call last):
    ...
    derive.errors.UsageError: cube root: a=-1 is outside a > 0, where the root is defined
    """

    def __init__(self, equation, unknown, parameters, interval, conditions=(), name="", **options):
        from .errors import DerivationError

        low, high = (sp.sympify(end) for end in interval)
        if low.is_finite is False:
            raise DerivationError(f"{name or unknown}: an interval unbounded below is not lowered; write the "
                                  f"equation in -{unknown}")
        self.bounded = high.is_finite is not False
        start = high if self.bounded else sp.Max(low + 1, 1)
        super().__init__(equation, unknown, parameters, lower=low, upper=start, **options)
        self.interval = (low, high)
        self.name = name or str(unknown)
        self.conditions = tuple(sp.sympify(c) for c in conditions)
        self._conditions = [lambdify(self.parameters, c) for c in self.conditions]

    def solve(self, *params, bound=True):
        self.check_conditions(*params)
        return super().solve(*params, bound=bound)

    def check_conditions(self, *params):
        """Raise :class:`~derive.errors.UsageError` at the first grid point outside the
        conditions (points with a nan parameter are left alone)."""
        from .errors import UsageError

        if not self._conditions:
            return
        arrays = np.broadcast_arrays(*[np.asarray(p, dtype=float) for p in params])
        known = np.ones(arrays[0].shape, dtype=bool)
        for a in arrays:
            known &= ~np.isnan(a)
        for condition, test in zip(self.conditions, self._conditions):
            with np.errstate(all="ignore"):
                holds = np.broadcast_to(np.asarray(test(*arrays), dtype=bool), known.shape)
            bad = known & ~holds
            if bad.any():
                i = int(np.flatnonzero(bad.ravel())[0])
                where = ", ".join(f"{p}={shown(np.ravel(a)[i])}" for p, a in zip(self.parameters, arrays)
                                  if p in condition.free_symbols)
                raise UsageError(f"{self.name}: {where} is outside {condition}, where the root is defined")

    def _bracket(self, f, params, shape):
        lo, hi = self._ends(params, shape)
        lo = self._inward(f, params, lo, hi)
        if self.bounded:
            hi = self._inward(f, params, hi, lo)
        return self._widened(f, params, lo, hi, 0 if self.bounded else 2100)  # 2^1024 is past every double

    def _widen(self, lo, hi):
        return lo + 2 * (hi - lo)

    @staticmethod
    def _inward(f, params, end, other):
        """``end`` moved towards ``other`` where ``F`` is not finite (or 0) at it: by 2^-40,
        then 2^-20 of the bracket (the root is inside, so a sign found there stands)."""
        end = end.copy()
        for fraction in (0.0, 2.0**-40, 2.0**-20, 2.0**-8):
            value = f(end, params)
            bad = ~np.isfinite(value) | (value == 0)
            if not bad.any():
                break
            moved = end + fraction * (other - end) if fraction else np.nextafter(end, other)
            end = np.where(bad, moved, end)
        return end

    def _reference_start(self, f, values, floats):
        lo, hi = super()._reference_start(f, values, floats)

        def inward(end, other):
            for fraction in (0, mpmath.mpf(2) ** -60, mpmath.mpf(2) ** -30):
                candidate = end + fraction * (other - end)
                try:
                    value = f(candidate)
                except (ArithmeticError, ValueError):
                    continue
                if mpmath.isfinite(value) and value != 0:
                    return candidate
            return end + mpmath.mpf(2) ** -10 * (other - end)

        lo = inward(lo, hi)
        return lo, (inward(hi, lo) if self.bounded else hi)

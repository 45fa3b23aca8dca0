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


class MonotoneRoot:
    """The root in ``u`` of ``equation = 0``, as a vectorised function of ``parameters``."""

    def __init__(self, equation, unknown, parameters, lower, upper, closed=None, closed_when=None,
                 tolerance=1e-14, max_iterations=200):
        self.equation = sp.sympify(equation)
        self.unknown = unknown
        self.parameters = tuple(parameters)
        args = (unknown,) + self.parameters
        self._f = sp.lambdify(args, self.equation, modules="numpy", cse=True)
        self._df = sp.lambdify(args, sp.diff(self.equation, unknown), modules="numpy", cse=True)
        self._lower = sp.lambdify(self.parameters, sp.sympify(lower), modules="numpy")
        self._upper = sp.lambdify(self.parameters, sp.sympify(upper), modules="numpy")
        self._closed = (sp.lambdify(self.parameters, closed, modules="numpy", cse=True)
                        if closed is not None else None)
        self._closed_when = (sp.lambdify(self.parameters, closed_when, modules="numpy")
                             if closed_when is not None else None)
        self._reference = sp.lambdify(args, self.equation, modules="mpmath")
        self._reference_closed = (sp.lambdify(self.parameters, closed, modules="mpmath")
                                  if closed is not None else None)
        self.closed_expr, self.closed_when_expr = closed, closed_when
        self.lower_expr, self.upper_expr = sp.sympify(lower), sp.sympify(upper)
        self.tolerance, self.max_iterations = tolerance, max_iterations

    def __call__(self, *params):
        params = np.broadcast_arrays(*[np.asarray(p, dtype=float) for p in params])
        shape = params[0].shape
        flat = [p.ravel() for p in params]
        root = np.full(flat[0].shape, np.nan)
        use_closed = np.zeros(flat[0].shape, dtype=bool)
        with np.errstate(all="ignore"):
            if self._closed_when is not None:
                use_closed = np.broadcast_to(np.asarray(self._closed_when(*flat), dtype=bool),
                                             root.shape).copy()
                if use_closed.any():
                    root[use_closed] = np.broadcast_to(self._closed(*flat), root.shape)[use_closed]
            todo = ~use_closed
            if todo.any():
                root[todo] = self._solve([p[todo] for p in flat])
        return root.reshape(shape)

    def _solve(self, params):
        f = lambda u, p: np.asarray(self._f(u, *p), dtype=float) * np.ones_like(u)
        df = lambda u, p: np.asarray(self._df(u, *p), dtype=float) * np.ones_like(u)
        shape = params[0].shape
        lo = np.broadcast_to(np.asarray(self._lower(*params), dtype=float), shape).copy()
        hi = np.broadcast_to(np.asarray(self._upper(*params), dtype=float), shape).copy()
        f_lo, f_hi = f(lo, params), f(hi, params)
        # Expand the upper end until the sign changes (at most 2^200 times the guess).
        for _ in range(200):
            same = np.sign(f_hi) == np.sign(f_lo)
            if not same.any():
                break
            hi[same] *= 2
            f_hi[same] = f(hi[same], [p[same] for p in params])
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
            done = (np.abs(step - u) <= self.tolerance * np.maximum(1.0, np.abs(u))) | (f_u == 0)
            root[active[done]] = step[done]
            keep = ~done
            active, sign_lo, lo, hi, u = active[keep], sign_lo[keep], lo[keep], hi[keep], step[keep]
        root[active] = u  # not converged within max_iterations: the best iterate, still bracketed
        return root

    def reference(self, *params, dps=50):
        """The root at one parameter point with mpmath at ``dps`` digits (bisection-Illinois
        on a bracket found the same way)."""
        values = [mpmath.mpf(float(p)) for p in params]
        with mpmath.workdps(dps):
            if self._closed_when is not None and bool(self._closed_when(*[float(v) for v in values])):
                return self._reference_closed(*values)
            f = lambda u: self._reference(u, *values)
            lo = mpmath.mpf(float(self._lower(*[float(v) for v in values])))
            hi = mpmath.mpf(float(self._upper(*[float(v) for v in values])))
            while mpmath.sign(f(hi)) == mpmath.sign(f(lo)):
                hi *= 2
            return mpmath.findroot(f, (lo, hi), solver="anderson")


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

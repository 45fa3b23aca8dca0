"""The changes of variables between a law's curves, one class per change, and their recognition.

A ``transform`` step carries a curve ``P(f(u), u) = 0`` into ``Q(g(v), v) = 0`` by a change
``g(v) = phi`` at ``v = chi`` (``phi``, ``chi`` functions of ``f(u)`` and ``u``).  Whether ``Q``
follows is decided exactly (:func:`derive.rmt.algebraic.carried_curve`); whether the *change*
is right is a separate question: it is what the operation means.  These are the changes that
hold by definition or by a one-line theorem, for ``m`` a Stieltjes transform
``m(z) = E 1/(X - z)``:

========================  ==========================  ===============  =====================  ==============
change                    ``g``                       ``phi``          ``chi``                class
========================  ==========================  ===============  =====================  ==============
scale by ``a``            ``m_{aX}``                  ``m(z)/a``       ``a z``                ``law.Scale``
shift by ``b``            ``m_{X+b}``                 ``m(z)``         ``z + b``              ``law.Shift``
inverse                   ``m_{X^{-1}}``              ``-z - z^2 m``   ``1/z``                ``law.Inverse``
R-transform               ``R`` (Voiculescu)          ``z + 1/m``      ``-m``                 :class:`RTransform`
S-transform               ``S``                       ``m/(1 + z m)``  ``-1 - z m``           :class:`STransform`
back from R               ``m``                       ``-w``           ``R(w) + 1/w``         :class:`FromR`
back from S               ``m``                       ``-S(w) w``      ``(1 + w)/(S(w) w)``   :class:`FromS`
========================  ==========================  ===============  =====================  ==============

(``m_{aX}(a z) = E 1/(aX - az) = m(z)/a``; ``m_{X+b}(z + b) = m(z)``;
``m_{X^{-1}}(1/z) = E z X/(z - X) = -z - z^2 m(z)``; ``R(-m(z)) = z + 1/m(z)`` is the definition
``R(w) = m^{-1}(-w) - 1/w``; ``S(-1 - z m) = m/(1 + z m)`` is ``S(w) = (1 + w)/w psi^{-1}(w)``
with ``psi(z) = -1 - m(1/z)/z``.)

Each change is written once, as :meth:`Change.change`, and :meth:`Change.back` is its inverse
(a test composes the two).  The same class serves three ends:

* computing a curve: the curve of ``g`` is ``P`` at ``f, u = back(g, v)``
  (:meth:`Change.carry`; the curves of :mod:`derive.rmt.algebraic` and of the laws' operations);
* stating a step: :func:`derive.rmt.steps.add_law` writes ``change=(g(v), *change(f, u))``;
* checking a step: :func:`recognise` names the change a step states, or refuses it.

The changes of the law operations (scale, shift, inverse) are those operations' classes in
:mod:`derive.rmt.law`; subclassing :class:`Change` registers them here (the package imports
:mod:`derive.rmt.law`, so they are registered before :func:`recognise` runs).  The first
registered change that matches wins: ``Scale`` comes before ``Shift``, so the identity is
"scale by 1".
"""

from __future__ import annotations

import sympy as sp

#: Every change :func:`recognise` knows, in the order it tries them (registration order).
CHANGES = []


class Change:
    """A change of variables ``g(v) = phi(f, u)`` at ``v = chi(f, u)``, with its inverse.

    Subclasses give :attr:`description` (what :func:`recognise` calls it; set it to register
    the change), :meth:`change` and :meth:`back`, and when the change has parameters
    (``scale by a``), :meth:`parameters_of`, which reads them off a stated change."""

    #: What the change is called in a verdict (``"inverse"``); ``None``: not a change itself.
    description = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("description") is not None:
            # A class defined again (its module run twice) replaces itself.
            name = (cls.__module__, cls.__qualname__)
            same = [i for i, c in enumerate(CHANGES) if (c.__module__, c.__qualname__) == name]
            if same:
                CHANGES[same[0]] = cls
            else:
                CHANGES.append(cls)

    @staticmethod
    def change(f, u, *parameters):
        """``(phi, chi)``: the new function's value and where, in terms of ``f = f(u)`` and ``u``."""
        raise NotImplementedError

    @staticmethod
    def back(g, v, *parameters):
        """``(f, u)`` in terms of ``g = g(v)`` and ``v``: the inverse of :meth:`change`."""
        raise NotImplementedError

    @classmethod
    def carry(cls, P, old, new, *parameters):
        """The curve ``P(f, u)`` (``old = (f, u)``) written in ``new = (g, v)``, not yet cleared
        of denominators: ``P`` at ``(f, u) = back(g, v)``."""
        return P.subs(dict(zip(old, cls.back(*new, *parameters))), simultaneous=True)

    @classmethod
    def parameters_of(cls, phi, chi, F, u):
        """The parameters a stated change ``(phi, chi)`` would have if it were this one (a
        tuple), or None when none fit; ``F`` stands for ``f(u)``."""
        return ()

    @classmethod
    def describe(cls, *parameters):
        """The change with its parameters, as :func:`recognise` reports it."""
        return cls.description

    @classmethod
    def recognise(cls, phi, chi, F, u):
        """:meth:`describe` when ``(phi, chi)`` is this change, else None."""
        parameters = cls.parameters_of(phi, chi, F, u)
        if parameters is None:
            return None
        if all(map(_same, (phi, chi), cls.change(F, u, *parameters))):
            return cls.describe(*parameters)
        return None


class RTransform(Change):
    """Voiculescu's R-transform: ``R(-m(z)) = z + 1/m(z)``."""

    description = "R-transform"

    @staticmethod
    def change(m, z):
        return z + 1 / m, -m

    @staticmethod
    def back(r, w):
        return -w, r + 1 / w


class STransform(Change):
    """The S-transform: ``S(-1 - z m) = m/(1 + z m)``."""

    description = "S-transform"

    @staticmethod
    def change(m, z):
        return m / (1 + z * m), -1 - z * m

    @staticmethod
    def back(s, w):
        return -s * w, (1 + w) / (s * w)


class FromR(Change):
    """Back from the R-transform to the Stieltjes transform: the inverse of :class:`RTransform`."""

    description = "back from the R-transform"
    change, back = staticmethod(RTransform.back), staticmethod(RTransform.change)


class FromS(Change):
    """Back from the S-transform: the inverse of :class:`STransform`."""

    description = "back from the S-transform"
    change, back = staticmethod(STransform.back), staticmethod(STransform.change)


def _same(a, b):
    return sp.simplify(sp.together(a - b)) == 0


def recognise(value, variable, f, u):
    """The change ``g = value`` at ``variable`` (in ``f = f(u)`` and ``u``) as a string
    (``"scale by 2"``), or None when it is none of :data:`CHANGES`."""
    F = sp.Dummy("F")
    phi, chi = sp.sympify(value).xreplace({f: F}), sp.sympify(variable).xreplace({f: F})
    if phi.has(f.func) or chi.has(f.func):
        return None  # f appears at another argument: not a change of variables of this curve
    for change in CHANGES:
        found = change.recognise(phi, chi, F, u)
        if found is not None:
            return found
    return None

"""Laws written as text: ``"mp(0.5) * mp(0.25)"``, ``"2*semicircle(1) + atom(3, 0.1)"``.

The grammar is Python's expression syntax, read with :mod:`ast` (nothing is evaluated):

* ``mp(c)``, ``semicircle(v)``, ``atom(x)``, ``atom(x, w)``, ``spectrum(x1, w1, x2, w2, ...)``,
  ``inv(LAW)``, ``powerlaw(p)`` (not algebraic, :mod:`derive.rmt.continuum`),
  ``powerlaw_spectrum(alpha, P)`` (keywords allowed: ``powerlaw_spectrum(alpha=1.5, P=1000)``,
  :mod:`derive.rmt.powerlaw`): the operations of :mod:`derive.rmt.law` that have a :attr:`~derive.rmt.law.Law.name`
  (the class reads its own arguments, :meth:`~derive.rmt.law.Law.parse`);
* ``LAW + LAW`` and ``LAW - LAW`` (free additive convolution, with ``-B`` the law of ``-B``),
  ``LAW * LAW`` (free multiplicative convolution);
* ``NUMBER * LAW``, ``LAW / NUMBER`` (scaling), ``LAW + NUMBER``, ``LAW - NUMBER`` (shift);
* numbers, arithmetic between them (``1/3``), and names, which become symbolic parameters.

>>> parse_law("mp(1/2) * mp(1/4)").moments(2)
[1, 1, 7/4]
>>> parse_law("mp(c)").moments(2)
[1, 1, c + 1]
"""

from __future__ import annotations

import ast
import operator

import sympy as sp

from . import law as laws
from .continuum import ContinuumLaw

_NUMBER_OPERATIONS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
                      ast.Div: operator.truediv, ast.Pow: operator.pow}


def _operations():
    """The parser's names: the algebraic operations, then the laws that are not algebraic."""
    return {**laws.Law.parsers, **ContinuumLaw.parsers}


def _is_law(value):
    """A law: algebraic (:class:`~derive.rmt.law.Law`) or not (:mod:`derive.rmt.continuum`)."""
    return isinstance(value, laws.Law) or getattr(value, "continuum", False)


def parse_law(text):
    """The :class:`~derive.rmt.law.Law` that ``text`` writes; ValueError with one line otherwise."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"cannot read the law {text!r}: {exc.msg}") from None
    result = _read(tree.body, text)
    if not _is_law(result):
        raise ValueError(f"{text!r} is a number, not a law (write atom({text}) for a point mass)")
    return result


def _read(node, text):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return laws.exact(node.value)
    if isinstance(node, ast.Name):
        if node.id in _operations():
            raise ValueError(f"{node.id} is a law: call it, e.g. {node.id}(...)")
        return sp.Symbol(node.id, real=True)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _read(node.operand, text)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _NUMBER_OPERATIONS:
        return _binary(node.op, _read(node.left, text), _read(node.right, text))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _call(node, text)
    usage = ", ".join(cls.usage for cls in _operations().values())
    raise ValueError(f"cannot read {ast.get_source_segment(text, node) or text!r}: use {usage}, +, -, *, / "
                     "and numbers")


def _binary(op, left, right):
    left_law, right_law = _is_law(left), _is_law(right)
    if not (left_law or right_law):
        return sp.sympify(_NUMBER_OPERATIONS[type(op)](left, right))
    if isinstance(op, ast.Pow):
        raise ValueError("a power of a law is not supported; write the product A * A for free copies")
    if isinstance(op, ast.Div):
        if right_law:
            raise ValueError("a number or law divided by a law is not supported; use inv(LAW)")
        if sp.sympify(right) == 0:
            raise ValueError("scaling: a law divided by 0 is not a law (the divisor must be nonzero)")
        return left / right
    if isinstance(op, ast.Sub):
        return left + (-right) if right_law else left - right
    return left + right if isinstance(op, ast.Add) else left * right


def _call(node, text):
    name = node.func.id
    if name not in _operations():
        raise ValueError(f"unknown law {name!r} (known: {', '.join(_operations())})")
    operation = _operations()[name]
    arguments = _arguments(name, operation, node)
    if operation.arity is not None:
        least, most = operation.arity
        if not least <= len(arguments) <= most:
            count = str(least) if least == most else f"{least} to {most}"
            raise ValueError(f"{name}() takes {count} positional argument(s)")
    return operation.parse([_read(arg, text) for arg in arguments])


def _arguments(name, operation, node):
    """The call's argument nodes in order: positional ones, then those a law that names its
    parameters (``keywords``, e.g. ``powerlaw_spectrum(alpha=1.5, P=1000)``) takes by name."""
    if not node.keywords:
        return list(node.args)
    names = tuple(getattr(operation, "keywords", ()))
    if not names:
        raise ValueError(f"{name}() takes no keyword arguments")
    slots = dict(enumerate(node.args))
    for keyword in node.keywords:
        if keyword.arg not in names:
            raise ValueError(f"{name}() has no parameter {keyword.arg!r} (its parameters: {', '.join(names)})")
        index = names.index(keyword.arg)
        if index in slots:
            raise ValueError(f"{name}() got {keyword.arg} twice")
        slots[index] = keyword.value
    if sorted(slots) != list(range(len(slots))):
        missing = [names[i] for i in range(len(names)) if i not in slots]
        raise ValueError(f"{name}() is missing {', '.join(missing)}")
    return [slots[i] for i in range(len(slots))]

"""Laws written as text: ``"mp(0.5) * mp(0.25)"``, ``"2*semicircle(1) + atom(3, 0.1)"``.

The grammar is Python's expression syntax, read with :mod:`ast` (nothing is evaluated):

* ``mp(c)``, ``semicircle(v)``, ``atom(x)``, ``atom(x, w)``, ``spectrum(x1, w1, x2, w2, ...)``,
  ``inv(LAW)``;
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

_FUNCTIONS = {
    "mp": (laws.marchenko_pastur, 1, 1),
    "semicircle": (laws.semicircle, 0, 1),
    "atom": (laws.atom, 1, 2),
    "inv": (None, 1, 1),
}
_NUMBER_OPERATIONS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
                      ast.Div: operator.truediv, ast.Pow: operator.pow}


def parse_law(text):
    """The :class:`~derive.rmt.law.Law` that ``text`` writes; ValueError with one line otherwise."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"cannot read the law {text!r}: {exc.msg}") from None
    result = _read(tree.body, text)
    if not isinstance(result, laws.Law):
        raise ValueError(f"{text!r} is a number, not a law (write atom({text}) for a point mass)")
    return result


def _read(node, text):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return laws.exact(node.value)
    if isinstance(node, ast.Name):
        if node.id in _FUNCTIONS:
            raise ValueError(f"{node.id} is a law: call it, e.g. {node.id}(...)")
        return sp.Symbol(node.id, real=True)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _read(node.operand, text)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _NUMBER_OPERATIONS:
        return _binary(node.op, _read(node.left, text), _read(node.right, text))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _call(node, text)
    raise ValueError(f"cannot read {ast.get_source_segment(text, node) or text!r}: use mp(c), semicircle(v), "
                     "atom(x[, w]), spectrum(x1, w1, ...), inv(LAW), +, -, *, / and numbers")


def _binary(op, left, right):
    left_law, right_law = isinstance(left, laws.Law), isinstance(right, laws.Law)
    if not (left_law or right_law):
        return sp.sympify(_NUMBER_OPERATIONS[type(op)](left, right))
    if isinstance(op, ast.Pow):
        raise ValueError("a power of a law is not supported; write the product A * A for free copies")
    if isinstance(op, ast.Div):
        if right_law:
            raise ValueError("a number or law divided by a law is not supported; use inv(LAW)")
        return left / right
    if isinstance(op, ast.Sub):
        return left + (-right) if right_law else left - right
    return left + right if isinstance(op, ast.Add) else left * right


def _call(node, text):
    name = node.func.id
    if name == "spectrum":
        values = [_number(_read(arg, text), name) for arg in node.args]
        if not values or len(values) % 2:
            raise ValueError("spectrum(x1, w1, x2, w2, ...) takes value, weight pairs")
        return laws.spectrum(values[::2], values[1::2])
    if name not in _FUNCTIONS:
        raise ValueError(f"unknown law {name!r} (known: {', '.join([*_FUNCTIONS, 'spectrum'])})")
    build, least, most = _FUNCTIONS[name]
    if node.keywords or not least <= len(node.args) <= most:
        count = str(least) if least == most else f"{least} to {most}"
        raise ValueError(f"{name}() takes {count} positional argument(s)")
    arguments = [_read(arg, text) for arg in node.args]
    if name == "inv":
        if not isinstance(arguments[0], laws.Law):
            raise ValueError("inv() takes a law")
        return arguments[0].inverse()
    return build(*[_number(a, name) for a in arguments])


def _number(value, where):
    if isinstance(value, laws.Law):
        raise ValueError(f"{where}() takes numbers or parameters, not a law")
    return value

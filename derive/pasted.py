"""An equation pasted from a paper's LaTeX, compared with a step by the checker.

``compare(derivation, label, latex)`` reads ``latex`` in the derivation's own notation (the
LaTeX ``derive latex`` prints for its symbols and functions, :func:`derive.latex.printer`), and
asks the checker whether it says what the step says:

- an expression is compared with the step's right side;
- an equation ``A = B`` whose left side is the step's left side (``M_\\kappa(x) = ...``) has its
  right side compared with the step's; otherwise ``A - B`` is compared with ``lhs - rhs`` of the
  step, and with ``rhs - lhs`` (an equation moved to the other side).

The comparison is a step of its own, ``step side = pasted side``, in a derivation that holds
only it, checked by :func:`derive.check.check_step`: *equal* means the kernel proved it (or
certified evaluation confirmed it at the sampled points: the method says which), *not equal*
that the checker found a counterexample, *undecided* that neither. Nothing above the step is
substituted: the paste must say the same as the step as written, not merely something true in
the derivation (``M = closed form`` is not the quadratic ``M`` solves).

Reading is done before sympy's LaTeX parser sees the text
(:func:`sympy.parsing.latex.parse_latex`, the ANTLR backend): every name of the derivation is
replaced by a placeholder symbol or function that the parser cannot misread, so the parser
never guesses what ``\\sigma^2``, ``x_*``, ``M_\\kappa(x)`` or ``e^{\\mathrm{ICL}}`` is. What
could be read two ways is refused in one line (:class:`AmbiguousLatex`) that says how to
write it so that it cannot:

- a name that is a longer form of another (``\\sigma^{2}`` a name of its own and ``\\sigma``
  squared; ``xy`` a name and ``x`` times ``y``): write ``{\\sigma^{2}}`` for the name,
  ``(\\sigma)^{2}`` or ``x \\cdot y`` for the other;
- a symbol of the derivation followed by parentheses holding only names (``g(x)``): the
  parser would make it a function, the derivation has it as a number; write ``g \\cdot (x)``
  for the product.

Unknown names (a letter or command that is no name of the derivation and no function the
parser knows), a function of the derivation without its arguments, and text the parser cannot
read are :class:`derive.errors.UsageError` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from .errors import UsageError, did_you_mean

#: What the parser knows without the derivation: commands passed to it as written.
PARSER_COMMANDS = {r"\frac", r"\sqrt", r"\cdot", r"\times", r"\pi", r"\infty", r"\exp", r"\log", r"\ln",
                   r"\sin", r"\cos", r"\tan", r"\sinh", r"\cosh", r"\tanh", r"\lim", r"\to", r"\binom"}
#: Spacing and sizing: nothing to read.
IGNORED = {r"\left", r"\right", r"\big", r"\Big", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\displaystyle",
           r"\textstyle", r"\,", r"\;", r"\:", r"\!", r"\ ", r"\quad", r"\qquad", r"\nonumber"}
#: Spellings of one thing.
SYNONYMS = {r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\text": r"\mathrm", r"\textrm": r"\mathrm",
            r"\operatorname": r"\mathrm", r"\rm": r"\mathrm", r"\le": r"\leq", r"\ge": r"\geq"}
#: Commands whose one-token argument may be written with or without braces (``\hat\sigma``).
ONE_ARGUMENT = {r"\hat", r"\widehat", r"\tilde", r"\widetilde", r"\bar", r"\overline", r"\dot", r"\ddot",
                r"\vec", r"\check", r"\breve", r"\mathrm", r"\mathcal", r"\mathbf", r"\mathbb", r"\mathit",
                r"\boldsymbol", r"\mathsf", "_", "^"}
RELATIONS = {"<", ">", r"\leq", r"\geq", r"\neq", r"\approx", r"\lt", r"\gt", r"\sim", r"\propto"}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[0-9]+(?:\.[0-9]+)?|\S")


class AmbiguousLatex(UsageError):
    """Text that reads two ways in the derivation's notation: refused, never guessed."""


# -- tokens ---------------------------------------------------------------------------------------

def tokens(tex):
    """``tex`` as normalised tokens: spacing and ``\\left``/``\\right`` dropped, synonyms
    merged, a one-token group after a script or an accent unbraced (``x_{*}`` is ``x_*``), and
    a star subscript made a superscript (``x_*`` is ``x^*``, as papers write both).

    >>> tokens(r"M_{\\kappa}\\left(x_{*}\\right)")
    ['M', '_', '\\\\kappa', '(', 'x', '^', '*', ')']
    """
    raw = [SYNONYMS.get(t, t) for t in _TOKEN.findall(tex) if t not in IGNORED]
    out = []
    i = 0
    while i < len(raw):
        t = raw[i]
        if (out and out[-1] in ONE_ARGUMENT and t == "{" and i + 2 < len(raw) and raw[i + 2] == "}"
                and raw[i + 1] not in "{}"):
            out.append(raw[i + 1])
            i += 3
            continue
        out.append(t)
        i += 1
    for k in range(len(out) - 1):
        if out[k] == "_" and out[k + 1] == "*":
            out[k] = "^"
    return _braced_arguments(out)


def _braced_arguments(toks):
    """``\\frac12``, ``\\frac1\\kappa``, ``\\sqrt x`` with their arguments braced, as the
    parser needs them (a number's first digit is an argument of its own, as in TeX)."""
    out, i = [], 0
    while i < len(toks):
        out.append(toks[i])
        count = {r"\frac": 2, r"\binom": 2, r"\sqrt": 1}.get(toks[i], 0)
        i += 1
        for _ in range(count):
            if i >= len(toks) or toks[i] in ("{", "["):
                break
            t = toks[i]
            if re.fullmatch(r"[0-9]{2,}", t):
                out += ["{", t[0], "}"]
                toks = toks[:i] + [t[0], t[1:]] + toks[i + 1:]
            else:
                out += ["{", t, "}"]
            i += 1
    return out


def _group_end(toks, i):
    """The index after the group starting at ``toks[i]`` (a brace or parenthesis group, or
    one token), or None when it is not closed."""
    pairs = {"{": "}", "(": ")", "[": "]"}
    if toks[i] not in pairs:
        return i + 1
    depth = 0
    for k in range(i, len(toks)):
        if toks[k] in pairs:
            depth += 1
        elif toks[k] in pairs.values():
            depth -= 1
            if depth == 0:
                return k + 1
    return None


def _text(toks):
    """Tokens back as LaTeX text, for a message."""
    out = ""
    for t in toks:
        if re.search(r"\\[A-Za-z]+$", out) and t[:1].isalpha():
            out += " "  # \kappa x, not \kappax
        out += t
    return out


# -- the derivation's names -------------------------------------------------------------------------

@dataclass
class Name:
    """A symbol or function of the derivation and the tokens it is written with."""

    obj: object                      # a Symbol, or an undefined function class
    latex: str                       # its LaTeX, as derive latex prints it
    toks: tuple
    subscripts: int = 0              # a function's leading arguments written as a subscript
    arity: int | None = None
    example: str = ""                # a function applied, as the derivation writes it

    @property
    def is_function(self):
        return not isinstance(self.obj, sp.Symbol)

    @property
    def python(self):
        return str(self.obj) if isinstance(self.obj, sp.Symbol) else self.obj.__name__


def names_of(derivation):
    """Every symbol and function the derivation's steps and parameters mention, each with
    the LaTeX its printer gives it (and sympy's default LaTeX as a second spelling, unless
    that is another name's)."""
    from .latex import DerivePrinter, printer

    mine, default = printer(derivation), DerivePrinter()
    objects, applied = set(derivation.parameters), {}
    for step in derivation.ordered():
        objects |= step.symbols()
        for application in sorted(step.statement.atoms(AppliedUndef), key=sp.default_sort_key):
            applied.setdefault(application.func, application)
    subscripts = getattr(derivation, "latex_subscripts", {})
    primary, spellings = {}, {}
    for obj in objects:
        if isinstance(obj, sp.Symbol):
            texts = [mine.doprint(obj), default.doprint(obj), sp.latex(obj)]
            # e^{ICL} for e^{\\mathrm{ICL}}: papers drop the upright (a primary name still wins)
            texts.append(re.sub(r"\\(?:mathrm|text|textrm|operatorname)\s*\{([^{}]*)\}", r"\1", texts[0]))
        elif isinstance(obj, sp.FunctionClass):
            name = obj.__name__
            texts = [mine.doprint(sp.Symbol(name)), mine._hprint_Function(name), sp.latex(sp.Symbol(name))]
        else:
            continue
        primary[obj] = texts[0]
        for text in texts:
            spellings.setdefault(tuple(tokens(text)), set()).add(obj)
    found = []
    taken = {tuple(tokens(t)): obj for obj, t in primary.items()}
    for toks, objs in spellings.items():
        if toks in taken:
            objs = {taken[toks]}  # a name's own LaTeX beats another's second spelling
        if len(objs) != 1 or not toks:
            continue
        (obj,) = objs
        is_function = not isinstance(obj, sp.Symbol)
        application = applied.get(obj) if is_function else None
        found.append(Name(obj, primary[obj], toks, subscripts.get(obj.__name__, 0) if is_function else 0,
                          len(application.args) if application is not None else None,
                          mine.doprint(application) if application is not None else primary[obj]))
    return found


# -- reading --------------------------------------------------------------------------------------

@dataclass
class Reader:
    """Rewrites pasted LaTeX with placeholders for the derivation's names, then parses it."""

    names: list
    placeholders: dict = field(default_factory=dict)   # placeholder text -> Name
    primes: dict = field(default_factory=dict)         # a function's placeholder -> derivative order

    def placeholder(self, name, primes=None):
        """``x_{N}`` for a symbol, ``f_{N}`` for a function (one per order of derivative)."""
        for key, value in self.placeholders.items():
            if value is name and self.primes.get(key) == primes:
                return key
        # A command of letters only (\\xqb, \\fqc): the parser reads it as one symbol or function
        # head, also as a limit's variable, and no paste can contain it (it is no known name).
        number, code = len(self.placeholders), ""
        while True:
            number, digit = divmod(number, 26)
            code += "abcdefghijklmnopqrstuvwxyz"[digit]
            if not number:
                break
        key = f"{'xq' if primes is None else 'fq'}{code}"
        self.placeholders[key] = name
        self.primes[key] = primes
        return key

    def matches(self, toks, i):
        """The names whose tokens start at ``toks[i]``, longest first."""
        found = [n for n in self.names if tuple(toks[i:i + len(n.toks)]) == n.toks]
        return sorted(found, key=lambda n: -len(n.toks))

    def readable(self, rest):
        """Whether ``rest`` (what a longer name has beyond a shorter one) also reads on its
        own after the shorter: a power of numbers or names, or names in a row."""
        if not rest:
            return False
        if rest[0] == "^":
            inner = [t for t in rest[1:] if t not in "{}"]
            k = 0
            while k < len(inner):
                if re.fullmatch(r"[0-9.]+|[-+/]", inner[k]):
                    k += 1
                    continue
                found = self.matches(inner, k)
                if not found:
                    return False
                k += len(found[0].toks)
            return bool(inner)
        k = 0
        while k < len(rest):
            found = self.matches(rest, k)
            if not found:
                return False
            k += len(found[0].toks)
        return True

    def rewrite(self, toks):
        """``toks`` as text for the parser, each name of the derivation a placeholder."""
        out, i = [], 0
        while i < len(toks):
            t = toks[i]
            if t == "{":
                end = _group_end(toks, i)
                if end is None:
                    raise UsageError(f"the LaTeX has an unclosed brace: {_text(toks[i:])}")
                inner = toks[i + 1:end - 1]
                exact = [n for n in self.names if n.toks == tuple(inner) and not n.is_function]
                if exact:  # {\sigma^{2}}: a group that is exactly a name is that name
                    out.append("{\\" + self.placeholder(exact[0]) + "}")
                    i = self._after_symbol(toks, end, exact[0], out)
                    continue
                out.append("{" + self.rewrite(inner) + "}")
                i = end
                continue
            found = self.matches(toks, i)
            if found:
                self._refuse_ambiguous(toks, i, found)
                name = found[0]
                end = i + len(name.toks)
                if name.is_function:
                    i = self._application(toks, end, name, out)
                else:
                    out.append("\\" + self.placeholder(name))
                    i = self._after_symbol(toks, end, name, out)
                continue
            if t in RELATIONS:
                raise UsageError(f"'{t}': compare reads an equation or an expression, not an order relation")
            if re.fullmatch(r"[A-Za-z]", t) or (t.startswith("\\") and t[1:2].isalpha()
                                                and t not in PARSER_COMMANDS):
                if t == "e" and toks[i + 1:i + 2] == ["^"]:
                    out.append(r"\exp")  # e^{...}: e is no name of the derivation, so Euler's number
                    end = _group_end(toks, i + 2) if i + 2 < len(toks) else None
                    if end is None:
                        raise UsageError("the LaTeX ends after 'e^'")
                    out.append("(" + self.rewrite(self._ungroup(toks[i + 2:end])) + ")")
                    i = end
                    continue
                raise UsageError(self._unknown(toks, i))
            out.append(t)
            i += 1
        return " ".join(out)

    @staticmethod
    def _ungroup(toks):
        return toks[1:-1] if toks[:1] == ["{"] else toks

    def _unknown(self, toks, i):
        word = toks[i]
        if toks[i + 1:i + 2] in (["_"], ["^"]) and i + 2 < len(toks):
            word = _text(toks[i:_group_end(toks, i + 2) or len(toks)])
        elif word in ONE_ARGUMENT and i + 1 < len(toks):  # \\mathrm{XYZ}, \\hat{q}: the whole name
            word = _text(toks[i:_group_end(toks, i + 1) or len(toks)])
        known = sorted({n.latex for n in self.names})
        hint = did_you_mean(word, known)
        return (f"'{word}' is no name of the derivation{hint} (its names: {', '.join(known)}); "
                "derive show NAME --latex prints them")

    def _refuse_ambiguous(self, toks, i, found):
        longest = found[0]
        for shorter in found[1:]:
            rest = list(longest.toks[len(shorter.toks):])
            if not self.readable(rest):
                continue
            text = _text(list(longest.toks))
            if rest[0] == "^":
                other = f"{shorter.latex} to the power {_text(rest[1:])}"
                fix = f"(" + shorter.latex + ")" + _text(rest)
            else:
                other = f"{shorter.latex} times {_text(rest)}"
                fix = shorter.latex + r" \cdot " + _text(rest)
            raise AmbiguousLatex(
                f"ambiguous: '{text}' reads as the name {longest.python} or as {other}; "
                f"write '{{{longest.latex}}}' for the name or '{fix}' for the other")

    def _after_symbol(self, toks, i, name, out):
        """What may follow a symbol: not a subscript (that would be another, unknown name),
        not parentheses holding only names (a function the derivation does not have)."""
        nxt = toks[i] if i < len(toks) else None
        if nxt == "_":
            raise UsageError(self._unknown(toks, i - len(name.toks)) if len(name.toks) == 1 else
                             f"'{_text(toks[i - len(name.toks):(_group_end(toks, i + 1) or len(toks))])}' "
                             f"is no name of the derivation ({name.latex} is, with no subscript)")
        if nxt == "(":
            end = _group_end(toks, i)
            inner = toks[i + 1:(end or len(toks)) - 1]
            if inner and self._only_names(inner):
                raise AmbiguousLatex(
                    f"ambiguous: '{name.latex}({_text(inner)})' reads as a function applied, but {name.latex} "
                    f"is a symbol of the derivation, not a function; write '{name.latex} \\cdot ({_text(inner)})' "
                    "for the product")
            out.append(r"\cdot")  # a symbol times a parenthesis: the parser would apply it otherwise
        return i

    def _only_names(self, toks):
        k = 0
        while k < len(toks):
            if toks[k] == ",":
                k += 1
                continue
            found = self.matches(toks, k)
            if not found or found[0].is_function:
                return False
            k += len(found[0].toks)
        return True

    def _application(self, toks, i, name, out):
        """``M_{\\kappa}(x)`` -> ``f_{N}(\\kappa, x)``; primes make a derivative in the last argument."""
        subscript = []
        if name.subscripts:
            if toks[i:i + 1] != ["_"] or i + 1 >= len(toks):
                raise UsageError(f"{name.latex} is a function of the derivation written with "
                                 f"{name.subscripts} subscript argument(s): write {self._example(name)}")
            end = _group_end(toks, i + 1)
            subscript = self._ungroup(toks[i + 1:end])
            i = end
        primes = 0
        while toks[i:i + 1] == ["'"]:
            primes, i = primes + 1, i + 1
        power = []
        if toks[i:i + 1] == ["^"] and i + 1 < len(toks):  # M_{\\kappa}^{2}(x), as derive latex prints a square
            end = _group_end(toks, i + 1)
            power, i = self._ungroup(toks[i + 1:end]), end
        wrapped = 0
        if toks[i:i + 1] == ["{"] and toks[i + 1:i + 2] == ["("]:
            end = _group_end(toks, i)  # m{\\left(z\\right)}, as sympy prints an application
            if end is not None and _group_end(toks, i + 1) == end - 1:
                wrapped, i = 1, i + 1
        if toks[i:i + 1] != ["("]:
            raise UsageError(f"{name.latex} is a function of the derivation: give its arguments, as in "
                             f"{self._example(name)}")
        end = _group_end(toks, i)
        if end is None:
            raise UsageError(f"the arguments of {name.latex} are not closed: {_text(toks[i:])}")
        arguments, end = toks[i + 1:end - 1], end + wrapped
        head = self.placeholder(name, primes)
        parts = [self.rewrite(subscript)] if subscript else []
        if arguments:
            parts.append(self.rewrite(arguments))
        out.append(f"\\{head}({', '.join(parts)})" + (f"^{{{self.rewrite(power)}}}" if power else ""))
        return end

    @staticmethod
    def _example(name):
        return name.example

    def parse(self, tex):
        """The sympy expression or equation ``tex`` says, in the derivation's objects."""
        from sympy.parsing.latex import LaTeXParsingError, parse_latex

        toks = tokens(tex)
        depth, signs = 0, 0
        for t in toks:
            depth += {"{": 1, "}": -1}.get(t, 0)
            signs += t == "=" and depth == 0  # \\lim_{\\substack{\\alpha = ...}} has its own
        if signs > 1:
            raise UsageError(f"the LaTeX has {signs} '=' signs: paste one equation or one expression")
        text = self.rewrite(toks)
        if not text.strip():
            raise UsageError("the LaTeX is empty")
        try:
            # strict: the parser otherwise drops what it cannot read at the end (x + * 2 is x)
            parsed = parse_latex(text, strict=True)
        except ImportError as error:  # the parser's runtime is a dependency (pyproject.toml)
            raise UsageError(f"sympy's LaTeX parser is not available ({error}); "
                             "pip install 'antlr4-python3-runtime==4.11.*'") from None
        except (LaTeXParsingError, Exception) as error:  # the ANTLR parser raises several kinds
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise UsageError(f"the LaTeX does not parse: {self._back(reason)} (in '{tex.strip()}')") from None
        return self._objects(parsed)

    def _back(self, text):
        for key, name in sorted(self.placeholders.items(), key=lambda item: -len(item[0])):
            text = text.replace("\\" + key, name.latex).replace(key, name.latex)
        return text

    def _objects(self, expr):
        """Placeholders replaced by the derivation's symbols and functions."""
        symbols = {sp.Symbol(key): name.obj for key, name in self.placeholders.items() if key.startswith("xq")}
        if isinstance(expr, sp.logic.boolalg.BooleanAtom):
            raise UsageError("the LaTeX reads as a truth value, not an equation or an expression")
        if isinstance(expr, sp.Rel) and not isinstance(expr, sp.Equality):
            raise UsageError("compare reads an equation or an expression, not an order relation")
        apps = {}
        for app in expr.atoms(AppliedUndef):
            key = app.func.__name__
            name = self.placeholders.get(key) if key.startswith("fq") else None
            if name is None:
                raise UsageError(f"'{self._back(app.func.__name__)}' is no function of the derivation")
            args = tuple(a.xreplace(symbols) for a in app.args)
            if name.arity is not None and len(args) != name.arity:
                raise UsageError(f"{name.latex} takes {name.arity} argument(s) ({self._example(name)}); "
                                 f"the LaTeX gives {len(args)}")
            value = name.obj(*args)
            if self.primes[key]:
                value = _derivative(name.obj, args, self.primes[key])
            apps[app] = value
        expr = expr.xreplace(apps).xreplace(symbols)
        leftover = sorted(str(s) for s in expr.free_symbols if s not in symbols.values()
                          and s not in {n.obj for n in self.names})
        if leftover:
            raise UsageError(f"'{leftover[0]}' is no name of the derivation")
        return expr


def _derivative(function, args, order):
    """``f^{(order)}`` in the last argument, at ``args`` (a ``Subs`` when that is no symbol)."""
    last = args[-1]
    if isinstance(last, sp.Symbol) and last not in args[:-1]:
        return sp.Derivative(function(*args), (last, order))
    t = sp.Dummy("t")
    return sp.Subs(sp.Derivative(function(*args[:-1], t), (t, order)), t, last)


def read(derivation, latex):
    """``latex`` as a sympy expression or equation in ``derivation``'s symbols and functions."""
    return Reader(names_of(derivation)).parse(latex)


# -- comparing --------------------------------------------------------------------------------------

EQUAL, NOT_EQUAL, UNDECIDED = "equal", "not equal", "undecided"


@dataclass
class Comparison:
    """What :func:`compare` found: ``status`` (``equal``, ``not equal``, ``undecided``), the
    paste as read, the claim checked (``step side = pasted side``) and the checker's
    :class:`~derive.check.CheckResult`; for *not equal*, ``point`` and the two ``values``."""

    derivation: str
    step: str
    pasted: object
    claim: object
    compared: str
    result: object
    status: str
    point: str = ""
    values: tuple = ()

    @property
    def exit_code(self):
        return {EQUAL: 0, NOT_EQUAL: 1}.get(self.status, 2)

    @property
    def method(self):
        return self.result.method

    def lines(self, show=str):
        """The report ``derive compare`` prints (``show`` prints an expression)."""
        relation = "=" if isinstance(self.pasted, sp.Equality) else ""
        read_as = (f"{show(self.pasted.lhs)} = {show(self.pasted.rhs)}" if relation else show(self.pasted))
        head = [f"read:  {read_as}"]
        if self.status == EQUAL:
            return head + [f"equal: {self.compared} of {self.step} (decided by {self.result.method})"]
        if self.status == NOT_EQUAL:
            step_value, paste_value = self.values or ("?", "?")
            return head + [f"not equal: {self.compared} of {self.step} and the paste differ at {self.point}",
                           f"  {self.step}: {step_value}",
                           f"  paste: {paste_value}",
                           f"  (decided by {self.result.method})"]
        return head + [f"undecided: {self.result.method}: {self.result.evidence}"]


def compare(derivation, label, latex):
    """Whether the LaTeX ``latex`` says what step ``label`` of ``derivation`` says, decided by
    the checker (see the module's docstring): a :class:`Comparison`.

    ``derivation`` is a :class:`~derive.Derivation` or a name :func:`derive.registry.load`
    takes.  Unknown steps or names, and text that does not parse, raise
    :class:`~derive.errors.UsageError`; text that reads two ways raises :class:`AmbiguousLatex`.
    """
    from .check import FAILED, VERIFIED, check_step
    from .registry import load

    if isinstance(derivation, str):
        derivation = load(derivation)
    if label not in derivation:
        known = [s.label for s in derivation.ordered()]
        raise UsageError(f"no step '{label}' in {derivation.name}{did_you_mean(label, known)} "
                         f"(known: {', '.join(known)})")
    step = derivation[label]
    statement = step.statement
    if not isinstance(statement, sp.Equality):
        raise UsageError(f"step '{label}' is an order relation; compare compares equations and expressions")
    from .notation import Meaning

    if statement.rhs.atoms(Meaning):
        raise UsageError(f"step '{label}' defines {statement.lhs} by its meaning, with no formula to compare")
    pasted = read(derivation, latex)
    found = []
    for compared, claim, scratch in claims(derivation, step, pasted):
        result = check_step(scratch, scratch["pasted"])
        status = {VERIFIED: EQUAL, FAILED: NOT_EQUAL}.get(result.status, UNDECIDED)
        comparison = Comparison(derivation.name, label, pasted, claim, compared, result, status)
        if status == NOT_EQUAL:
            comparison.point = str(result.details.get("point", "")) or result.evidence
            if "lhs" in result.details:
                comparison.values = (result.details["lhs"], result.details["rhs"])
        if status == EQUAL:
            return comparison
        found.append(comparison)
    # Not equal only when every form compared has a counterexample; else undecided.
    return next((c for c in found if c.status == UNDECIDED), found[0])


def claims(derivation, step, pasted):
    """``(what is compared, claim, derivation holding only the claim as step 'pasted')`` for
    each comparison :func:`compare` tries, in order: the claim ``step side = pasted side``, with
    the step's conditions and every name it mentions a parameter."""
    from .derivation import Derivation

    found = []
    for compared, sides in _claims(step.statement, pasted):
        ours, theirs, *conditions = _as_numbers(derivation, (*sides, *step.conditions))
        claim = sp.Eq(ours, theirs, evaluate=False)
        mentioned = (claim.free_symbols | set().union(*(sp.sympify(c).free_symbols for c in conditions)))
        scratch = Derivation(f"compare {derivation.name} {step.label}")
        scratch.parameter(*sorted(mentioned, key=str) or [sp.Symbol("unused")])
        scratch.step("pasted", claim, conditions=conditions)
        found.append((compared, claim, scratch))
    return found


def _as_numbers(derivation, exprs):
    """Each application of an unknown function (``M(kappa, x)``, ``M'(x)``, a limit of one) as a
    real number of its own, named as the derivation prints it.

    The paste is compared with the step as written, with nothing above the step substituted, so
    an unknown function's value is any number: the kernel proves an identity that holds for every
    value (as its exact algebra already does, taking each application as an indeterminate), and
    the numeric checker, which refuses to sample a function no premise determines, can refute
    one by choosing values (``M + 1`` is not ``M``)."""
    from .notation import plain_expr

    table = {}

    def number(node):
        if isinstance(node, AppliedUndef) or (isinstance(node, (sp.Derivative, sp.Subs, sp.Limit))
                                              and node.atoms(AppliedUndef)):
            if node not in table:
                table[node] = sp.Symbol(plain_expr(node, derivation), real=True)
            return table[node]
        if not node.args:
            return node
        return node.func(*[number(a) for a in node.args])

    return tuple(number(sp.sympify(e)) for e in exprs)


def _claims(statement, pasted):
    """``(what is compared, (step side, pasted side))`` in the order tried."""
    lhs, rhs = statement.lhs, statement.rhs
    if not isinstance(pasted, sp.Equality):
        return [("the right side", (rhs, pasted))]
    if pasted.lhs == lhs:
        return [("the right side", (rhs, pasted.rhs))]
    if pasted.rhs == lhs:
        return [("the right side", (rhs, pasted.lhs))]
    return [("lhs - rhs", (lhs - rhs, pasted.lhs - pasted.rhs)),
            ("lhs - rhs", (lhs - rhs, pasted.rhs - pasted.lhs))]

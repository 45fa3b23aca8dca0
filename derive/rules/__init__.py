"""Rules: one class per kind of step, each in its own module, registered by :func:`register`.

A rule owns everything that is particular to its kind of step, in the manner of mpmath's root
finders (one class per method):

* its **verb**, the :class:`~derive.Derivation` method that builds the step (``D.solve``), and
  the symbols its rule data introduces (the variable of a limit);
* its **check**: the evidence that the statement is what the rule gives, returning a
  :class:`~derive.check.result.Verdict`, ``None`` when it leaves the step to the generic methods,
  or raising :class:`~derive.check.result.Refused` when its own requirement is not met;
* its **LaTeX**: the word the justification opens with, the relation it prints, and what it adds
  (the branch conditions of a solve);
* its **mutations**: the operators that change what the step claims beyond its formula (a
  limit's direction, a series' order), and how to tell whether such a mutant is true.

The runner (:mod:`derive.check.runner`), the LaTeX writer, the graph export and
:mod:`derive.mutate` ask the rule of a step (:func:`rule_for`) and know no kind by name.  Adding
a rule is one module: subclass :class:`Rule`, decorate it with :func:`register`, import it
where the package is loaded (the built-in ones below; a free-probability rule from
:mod:`derive.rmt.rules`).  ``docs/extending.md`` walks through it.
"""

from __future__ import annotations

#: kind -> the registered :class:`Rule` instance.
RULES = {}
#: The factor a mutant multiplies a coefficient by (8/7: no simplification undoes it by accident).
PERTURBATION = __import__('sympy').Rational(8, 7)
#: CPU seconds a verb may give sympy to compute what it was not given (a root, a limit, a series).
BUILD_SECONDS = 30.0


class Rule:
    """Base class of the rule kinds (module docstring)."""

    #: The step kind this rule checks, as stored in :attr:`derive.Step.kind`.
    kind = None
    #: The word a LaTeX justification opens with ("Solving, from (3).").
    title = ""
    #: The function that becomes the :class:`~derive.Derivation` method of the same name.
    verb = None
    #: False for the kinds that are not exact consequences (definitions, facts).
    exact = True
    #: The rule's verdict is final and it refutes by its own route: no generic method decides in
    #: its place, and the statement has the rule's own form (so its relation is not mutated).
    final = False
    #: The rule's own check decides statements whose parameters may be +-oo (declared extended
    #: real) too.  None does yet: a verification by :meth:`check` over such a parameter is
    #: downgraded to unverified (:func:`derive.check.runner._finite_only`).
    handles_infinite = False
    #: The first premise is the rule's operand (the equation solved, the curve transformed):
    #: dropping it leaves no step of this kind.
    operand = False
    #: The LaTeX relation between the sides when it is not the statement's own (":=").
    relation_symbol = None
    #: Graphviz node shape in ``derive graph``.
    shape = "box"

    def check(self, step, derivation):
        """A :class:`~derive.check.result.Verdict`, or None to leave the step to the generic
        methods (proof, then numeric)."""
        return None

    def introduces(self, step):
        """Symbols and function heads the rule data introduces (not undeclared names)."""
        return set()

    def justification(self, step, printer):
        """LaTeX sentences the rule adds to the justification after its title and premises."""
        return []

    def mutants(self, derivation, step):
        """``(kind, description, mutated step)`` for the claims the rule adds to a formula."""
        return []

    def mutant_is_true(self, derivation, clone, step, mutant):
        """Whether ``mutant`` (of one of this rule's own mutant kinds) is true, decided apart
        from the checker; None for a kind the rule does not own."""
        return None

    def holds(self, derivation, step):
        """The mutation oracle for this kind: whether the (mutated) statement holds with its
        premises as cited, decided by the most thorough route; None for the generic numeric one.
        A ``final`` rule's statement has the rule's own form, which the generic route cannot
        judge: unless the rule says otherwise, no oracle stands in (False)."""
        return False if self.final else None

    def __repr__(self):
        return f"<rule {self.kind}>"


def register(cls):
    """Class decorator: register a :class:`Rule` and give :class:`~derive.Derivation` its verb."""
    from ..derivation import Derivation

    known = RULES.get(cls.kind)
    if known is not None and (type(known).__module__, type(known).__qualname__) != (cls.__module__, cls.__qualname__):
        # The same class registered again (a user's file run twice) replaces itself; another
        # class for the same kind is a mistake.
        raise ValueError(f"two rules for the kind '{cls.kind}': {type(known).__qualname__} and {cls.__qualname__}")
    RULES[cls.kind] = cls()
    if cls.verb is not None:
        setattr(Derivation, cls.verb.__name__, cls.verb)
    return cls


def rule_for(kind):
    """The registered rule of a step kind (or of a step)."""
    kind = getattr(kind, "kind", kind)
    try:
        return RULES[kind]
    except KeyError:
        raise KeyError(f"no rule is registered for the step kind '{kind}' (known: {', '.join(sorted(RULES))})") \
            from None


def verdict(result):
    """A rule check's result as a :class:`~derive.check.result.Verdict` (None stays None)."""
    from ..check.result import Verdict

    return None if result is None else Verdict(*result)


def kinds(exact=None):
    """The registered kinds, optionally only the exact ones (or only the others)."""
    return tuple(k for k, r in RULES.items() if exact is None or r.exact == exact)


from . import algebra, definition, differentiate, fact, limit, root, series, solve, substitute  # noqa: E402,F401

"""What a number rests on: the steps a quantity's value is built from, and their verdicts.

A quantity (:class:`derive.derivation.Quantity`) is the value one step binds, with the bindings of
the steps it cites substituted (:func:`derive.lower.closed_form`); those bindings come from every
step above the cited ones (:meth:`derive.derivation.Derivation.bindings`), and an implicit
unknown is solved from a cited step's residual.  So the value is established only as far as the
whole ancestry of its cited steps is: definitions, algebra, solves and the facts (simulations)
among them.  :func:`quantity_lineage` works that set out and takes each step's verdict from
:func:`derive.check.check_derivation` restricted to it (``only=``): from the verdict cache when
the steps are unchanged, so a second call costs the cache reads; the first call checks the
steps it has no verdict for.

It is the one code path for this: ``derive eval``, ``derive figure``, ``derive reproduce`` and
:class:`derive.lower.Lowered` (``.lineage``, and the warning a call gives) all use it.  A lineage
is *verified* when every step in it is verified or a definition; otherwise its
:meth:`Lineage.message` is the one line the command line prints (``derive: warning: e_icl rests
on steps not verified: foo (failed), bar (unverified)``) and ``--strict`` (``strict=True``)
refuses with.

While a figure is drawn, :func:`recording` collects the lineage of every quantity called, so
that the figure can say what it was drawn from (:func:`derive.figures.draw`).
"""

from __future__ import annotations

import contextlib
import threading
import warnings
import weakref
from dataclasses import dataclass, field

from .errors import DerivationError, LineageWarning, UnverifiedLineage

#: The status shown for a step left unverified because a CPU-time budget ran out.
BUDGET = "budget"


@dataclass(frozen=True)
class Lineage:
    """The steps a quantity rests on, in derivation order, each with its status: ``verified``,
    ``definition``, ``failed``, ``unverified``, or ``budget`` (unverified because a CPU-time
    budget ran out)."""

    quantity: str
    statuses: dict = field(default_factory=dict)

    @property
    def steps(self):
        """The labels, in derivation order."""
        return tuple(self.statuses)

    @property
    def unverified(self):
        """``{label: status}`` of the steps that are neither verified nor definitions."""
        from .check.result import ACCEPTED

        return {label: status for label, status in self.statuses.items() if status not in ACCEPTED}

    @property
    def verified(self):
        return not self.unverified

    def named(self):
        """The steps not verified with their statuses: ``foo (failed), bar (unverified)``."""
        return ", ".join(f"{label} ({status})" for label, status in self.unverified.items())

    def message(self):
        """The one line naming the steps not verified (empty when there are none)."""
        return f"{self.quantity} rests on steps not verified: {self.named()}" if self.unverified else ""

    def __str__(self):
        return self.message() or f"{self.quantity} rests on {len(self.statuses)} steps, all verified"


def lineage_labels(derivation, quantity):
    """The labels a quantity's value is built from: the steps it cites
    (:meth:`~derive.derivation.Quantity.steps`) and every ancestor of them, facts included, in
    derivation order."""
    import networkx as nx

    cited = [label for label in quantity.steps() if label in derivation.graph]
    labels = set(cited)
    for label in cited:
        labels |= nx.ancestors(derivation.graph, label)
    return [step.label for step in derivation.ordered() if step.label in labels]


def status(result):
    """The status a lineage shows for a :class:`~derive.check.CheckResult`: its own, or
    :data:`BUDGET` for an unverified step a budget cut short."""
    if result.status == "unverified" and (result.method == "budget" or result.details.get("budget_expired")):
        return BUDGET
    return result.status


#: Lineages computed in this process: derivation -> {name: ((steps in it, Quantity), Lineage)}.
#: A derivation is only ever grown, so its number of steps tells whether it changed; a quantity
#: defined again under the same name is another Quantity object.
_known = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def quantity_lineage(derivation, name, results=None):
    """The :class:`Lineage` of the quantity ``name`` of ``derivation``.

    ``results`` (a list of :class:`~derive.check.CheckResult`, as ``derive reproduce`` has
    them) gives the verdicts when they are at hand; a step they do not cover is checked.
    Without them the steps are checked with :func:`~derive.check.check_derivation`
    (``only=`` the lineage; verdicts come from the cache when unchanged).  Either way the
    lineage is kept for the rest of the process (per derivation object and quantity), so that a
    failed fact, which the cache never keeps, is not simulated again by every later number.
    """
    from .check import check_derivation

    quantity = derivation.quantities.get(name)
    if quantity is None:
        known = ", ".join(sorted(derivation.quantities)) or "none"
        raise DerivationError(f"no quantity '{name}' in '{derivation.name}' (known: {known})")
    if results is None:
        with _lock:
            kept = _known.get(derivation, {}).get(name)
        if kept is not None and kept[0][0] == len(derivation) and kept[0][1] is quantity:
            return kept[1]
    labels = lineage_labels(derivation, quantity)
    found = {r.label: r for r in results or () if r.label in labels}
    missing = [label for label in labels if label not in found]
    if missing:
        found.update((r.label, r) for r in check_derivation(derivation, only=set(missing)))
    lineage = Lineage(name, {label: status(found[label]) for label in labels})
    with _lock:
        _known.setdefault(derivation, {})[name] = ((len(derivation), quantity), lineage)
    return lineage


# ---- what a caller does with a lineage ---------------------------------------------------------

#: The recorders :func:`recording` has open: ``(drawn, strict)``.
_recorders = []


@contextlib.contextmanager
def recording(strict=False):
    """Collect the lineage of every quantity :func:`settle` sees while the block runs (a figure
    being drawn): yields ``{quantity: Lineage}``.  With ``strict`` an unverified one raises
    :class:`~derive.errors.UnverifiedLineage` at once, before more work is done on it."""
    drawn = {}
    entry = (drawn, strict)
    _recorders.append(entry)
    try:
        yield drawn
    finally:
        _recorders.remove(entry)


def settle(lineage, strict=False, stacklevel=2):
    """What a number computed from a quantity does with its ``lineage``: recorded by every open
    :func:`recording`; when it is not verified, a :class:`~derive.errors.LineageWarning` naming
    the steps, or with ``strict`` (or a strict recording) an
    :class:`~derive.errors.UnverifiedLineage`."""
    if lineage is None:
        return
    for drawn, strict_recording in list(_recorders):
        drawn.setdefault(lineage.quantity, lineage)
        strict = strict or strict_recording
    if lineage.verified:
        return
    if strict:
        raise UnverifiedLineage(lineage.message())
    warnings.warn(lineage.message(), LineageWarning, stacklevel=stacklevel + 1)


def unverified(lineages):
    """The lineages among ``lineages`` that are not verified, in the order given."""
    return [lineage for lineage in lineages if lineage is not None and not lineage.verified]

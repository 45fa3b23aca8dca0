"""Check results as data: status, method, evidence, time; printed as a table or JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import NamedTuple

VERIFIED = "verified"
FAILED = "failed"
UNVERIFIED = "unverified"
DEFINITION = "definition"
#: Statuses that do not count against a derivation.
ACCEPTED = (VERIFIED, DEFINITION)


class Verdict(NamedTuple):
    """What a method decided about a step: ``(status, method, evidence, details)``.

    Every route of the checker (a rule's own check, a proof, the numeric checker, a
    simulation) returns one; :func:`derive.check.runner.check_step` adds the label, kind and time
    to make a :class:`CheckResult`.
    """

    status: str
    method: str
    evidence: str
    details: dict = {}


class Refused(Exception):
    """A rule's requirement is not met: the step is unverified, and no generic method may
    establish it in the rule's place (a ``solve`` whose root is not shown to be the one meant)."""

    def __init__(self, method, evidence):
        super().__init__(evidence)
        self.method, self.evidence = method, evidence

    def __reduce__(self):  # pickled back from a check run in a child process (budget.isolated)
        return type(self), (self.method, self.evidence)


@dataclass
class CheckResult:
    """What the checker established about one step.

    ``method`` names what established it ("symbolic: substitution + simplify", "numeric:
    mpmath 50 digits at 5 points", "monte carlo: ..."), ``evidence`` is a one-line account,
    and ``details`` holds the numbers (residuals, points, standard errors) for the JSON export.
    """

    label: str
    kind: str
    status: str
    method: str = ""
    evidence: str = ""
    seconds: float = 0.0
    cached: bool = False
    details: dict = field(default_factory=dict)

    @property
    def ok(self):
        return self.status in ACCEPTED

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(**data)

    def _repr_html_(self):
        """One row: label, kind, status, method and evidence (Jupyter shows it).  The list
        :func:`~derive.check.check_derivation` returns is a plain list: ``print(table(results))``."""
        from html import escape

        cells = "".join(f"<td>{escape(str(value))}</td>" for value in
                        (self.label, self.kind, self.status, self.method, self.evidence))
        heads = "".join(f"<th>{name}</th>" for name in ("step", "kind", "status", "method", "evidence"))
        return f"<table><tr>{heads}</tr><tr>{cells}</tr></table>"


def table(results):
    """Fixed-width text table, one row per step, in derivation order."""
    rows = [("step", "kind", "status", "method", "s")]
    for r in results:
        seconds = "cache" if r.cached else f"{r.seconds:.2f}"
        rows.append((r.label, r.kind, r.status, r.method, seconds))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(4)] + [row[4]]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def summary(results):
    """One line: how many steps in each status, and the labels of those not established."""
    counts = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    parts = [f"{n} {status}" for status, n in sorted(counts.items())]
    bad = [r.label for r in results if not r.ok]
    text = ", ".join(parts)
    if bad:
        text += "; not established: " + ", ".join(bad)
    return text


def to_json(results, name):
    """The results as one valid JSON document (a value that is not finite, as a string:
    :func:`derive.output.json_text`)."""
    from ..output import json_text

    return json_text({"derivation": name, "steps": [r.to_dict() for r in results]}).rstrip("\n")

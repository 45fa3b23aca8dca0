"""Exceptions that the command line turns into one clear line and an exit code.

Every message names the thing that is wrong (a step label, a parameter, a file) and, where it
helps, what would be accepted instead.  Nothing here ever reaches the user as a traceback.
"""

import difflib


class DeriveError(Exception):
    """Base class: a problem the user can fix.  ``exit_code`` is what the CLI returns."""

    exit_code = 2


class UsageError(DeriveError):
    """A malformed command, an unknown name, a parameter out of its range (exit 2)."""

    exit_code = 2


class DerivationError(DeriveError):
    """A derivation that cannot be built: missing premise, cycle, undeclared symbol (exit 1).

    Structural errors are the derivation's fault, not the command's, so they share the exit
    code of a failed check: the derivation is not established.
    """

    exit_code = 1

    def __init__(self, message, label=None):
        super().__init__(message if label is None else f"step '{label}': {message}")
        self.label = label


class InternalError(RuntimeError):
    """A bug in derive itself, found by a check of its own results (a negative error, a
    density below 0): not the user's to fix, so not a :class:`DeriveError`.  The command line
    prints it as ``derive: internal error: ...`` and exits 3, as every unexpected exception."""


class UnverifiedLineage(DerivationError):
    """A number refused because a step it rests on is not verified (``--strict``, or
    ``strict=True`` in Python; see :mod:`derive.lineage`).  Exit 1, as a failed check: the
    derivation does not establish the number."""


class LineageWarning(UserWarning):
    """A number computed from a quantity resting on a step that is not verified (failed,
    unverified, or cut short by a budget): the value is printed, and this names the steps
    (:mod:`derive.lineage`)."""


def did_you_mean(name, known):
    """``"; did you mean 'lu2025'?"`` when one of ``known`` is close to ``name`` (difflib's ratio
    at least 0.6, or the same name in another case), else ``""``: the one suggestion an unknown
    derivation, quantity, step or parameter name gets in its error line.

    >>> did_you_mean("lu2052", ["letey2025", "lu2025", "marchenko-pastur"])
    "; did you mean 'lu2025'?"
    >>> did_you_mean("zzz", ["lu2025"])
    ''
    """
    known = [str(k) for k in known]
    same = [k for k in known if k.lower() == str(name).lower()]
    close = same or difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""

"""The gap between a simulated mean and the theory, labelled by significance and by size.

A simulation at finite d estimates the theory's d = infinity value with a bias (``O(1/d)`` in
the models shipped) and a noise (the standard error of the mean over trials).  Every compared
point gets two numbers and one label:

- the *size*: the relative gap ``(mean - theory)/|theory|`` at the largest d (``nan`` where the
  theory is 0, whose relative gap has no meaning);
- the *significance*: ``z = (mean - theory)/se`` at the largest d, and ``z_inf =
  (extrapolated - theory)/se_inf`` of the ``a + b/d`` extrapolation over the sizes;
- the *label*, by this rule (:func:`classify`):

  ==================  ====================================================================
  ``agrees``          ``|z| <= 3``: no gap the noise can show at the largest d
  ``finite-d bias``   ``|z| > 3``, and the extrapolation *resolves* it: ``|z_inf| <= 3``
                      (the theory is within 3 of its standard errors), ``se_inf <= 5%`` of
                      ``|theory|`` (its error is small against the value), and ``3 se_inf <
                      |mean - theory|`` (its error is smaller than the gap it explains)
  ``unresolved``      ``|z| > 3`` and ``|z_inf| <= 3``, but the extrapolation's error is too
                      large for either of the last two conditions: it neither confirms nor
                      excludes a finite-d bias
  ``disagrees``       ``|z| > 3`` and the extrapolation is more than 3 of its standard errors
                      from the theory, or there is one size only (nothing to extrapolate)
  ==================  ====================================================================

No gap is let pass for being small: a point 4% off at ``z = 34`` is ``disagrees`` unless the
extrapolation resolves it, and its size is printed next to the label.  The thresholds are
:data:`SIGNIFICANCE` and :data:`RESOLUTION`.
"""

from __future__ import annotations

import math

from collections import Counter
from dataclasses import dataclass

#: A gap is significant beyond this many standard errors.
SIGNIFICANCE = 3.0

#: The extrapolation resolves a gap only when its standard error is at most this fraction of the
#: theory's size.
RESOLUTION = 0.05

#: Every label :func:`classify` gives, in the order summaries count them.
LABELS = ("agrees", "finite-d bias", "unresolved", "disagrees")


@dataclass(frozen=True)
class Gap:
    """One point's gap: ``relative`` and ``z`` at the largest d, ``z_inf`` of the extrapolation
    (None with one size), the ``label`` (one of :data:`LABELS`) and a sentence saying why."""

    relative: float
    z: float
    z_inf: float | None
    label: str
    reason: str


def _z(value, theory, se):
    """The gap in standard errors; with none (every trial gave the same value), 0 when the value
    is the theory to rounding and an infinity of the gap's sign otherwise: never nan."""
    if se > 0:
        return (value - theory) / se
    if abs(value - theory) <= 1e-12 * max(abs(theory), 1e-300):
        return 0.0
    return math.copysign(math.inf, value - theory)


def classify(theory, mean, se, extrapolated=None, extrapolated_se=None, sizes=()):
    """The :class:`Gap` of a simulated ``mean ± se`` at the largest of ``sizes`` against
    ``theory``, with the 1/d extrapolation ``extrapolated ± extrapolated_se`` when there are two
    sizes or more (the rule is in the module's docstring).

    >>> classify(1.0, 1.04, 0.001).label          # 4% off at z = 40, one size
    'disagrees'
    >>> classify(2.0, 2.6, 0.02, 2.0, 0.06, (20, 40)).label
    'finite-d bias'
    >>> classify(1.0, 1.3, 0.01, 1.2, 0.5, (20, 40)).label   # se_inf is half the value
    'unresolved'
    """
    relative = (mean - theory) / abs(theory) if theory else math.nan
    z = _z(mean, theory, se)
    extrapolating = extrapolated is not None and len(sizes) > 1
    z_inf = _z(extrapolated, theory, extrapolated_se) if extrapolating else None
    at = f"d = {max(sizes)}" if sizes else "the largest d"
    if not abs(z) > SIGNIFICANCE:
        return Gap(relative, z, z_inf, "agrees", f"within {SIGNIFICANCE:g} standard errors at {at}")
    if not extrapolating:
        return Gap(relative, z, z_inf, "disagrees", f"{z:+.1f} standard errors at {at}; one size, no extrapolation")
    fit = f"the 1/d extrapolation from d = {', '.join(map(str, sizes))} is {extrapolated:.4g} ± {extrapolated_se:.2g}"
    if not abs(z_inf) <= SIGNIFICANCE:
        return Gap(relative, z, z_inf, "disagrees", f"{fit}, {z_inf:+.1f} standard errors from the theory")
    too_wide = []
    if extrapolated_se > RESOLUTION * abs(theory):
        share = extrapolated_se / abs(theory) if theory else math.inf
        too_wide.append(f"its error is {share:.0%} of the value (at most {RESOLUTION:.0%} resolves)")
    if not 3 * extrapolated_se < abs(mean - theory):
        too_wide.append(f"3 of its errors ({3 * extrapolated_se:.2g}) span the gap at {at} ({abs(mean - theory):.2g})")
    if too_wide:
        return Gap(relative, z, z_inf, "unresolved", f"{fit}, but {' and '.join(too_wide)}")
    return Gap(relative, z, z_inf, "finite-d bias", f"{fit}, {z_inf:+.1f} standard errors from the theory")


def counts(gaps):
    """``"3 agree, 1 finite-d bias, 2 disagree"``: every gap counted, by label (none left out)."""
    found = Counter(g.label for g in gaps)
    words = {"agrees": "agree", "disagrees": "disagree"}
    return ", ".join(f"{found[label]} {words.get(label, label)}" for label in LABELS if found[label])


def relative_text(gap):
    """The size column: ``+4.0%``, or ``—`` where the theory is 0."""
    return "—" if math.isnan(gap.relative) else f"{gap.relative:+.1%}"


__all__ = ["Gap", "LABELS", "RESOLUTION", "SIGNIFICANCE", "classify", "counts", "relative_text"]

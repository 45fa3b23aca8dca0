"""A corpus of trap derivations, true and false, for measuring the checker as an adversary would.

Each trap is a tiny derivation built by a function registered with :func:`trap`; the function
returns ``(derivation, label)`` and the step ``label`` is the one under test.  A trap says
whether its step is true (``true=True``: the checker must not fail it) or false (``true=False``:
the checker must not verify it), which *class* of checker weakness it aims at, and in one line
the trap it sets.

The corpus lives in the modules ``traps_*.py`` beside this file; :func:`load` imports them all.
``tests/test_soundness.py`` runs it; ``bench/soundness_table.py`` prints the per-class table
that ``docs/checking.md`` shows.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

#: Every registered trap, in registration order.
TRAPS: list = []


@dataclass(frozen=True)
class Trap:
    name: str
    klass: str
    true: bool
    sets: str
    build: Callable
    #: Why the checker still gets this trap wrong, when it does: a limit of any sampling checker
    #: or an open gap.  Listed in docs/checking.md; the test expects it wrong (strict xfail), so
    #: a fix shows up as a test to update.
    known: str = ""

    def __repr__(self):
        return f"Trap({self.name}, {self.klass}, {'true' if self.true else 'false'})"


def trap(klass, *, true, sets):
    """Register the decorated builder as a trap of ``klass``."""

    def register(build):
        name = build.__name__
        if any(t.name == name for t in TRAPS):
            raise ValueError(f"two traps named {name}")
        TRAPS.append(Trap(name, klass, bool(true), sets, build))
        return build

    return register


#: Traps the checker still gets wrong, with the reason (see :attr:`Trap.known`).
KNOWN = {
    # Limits of any checker that samples points at finite precision:
    # A limit of any check at a few finite sizes:
    "audit4_fact_slow_correction": "limit of finite-size extrapolation: a correction decaying like d^-1/4, "
                                   "slower than every exponent tried (1/2 to 2), extrapolates to a false limit "
                                   "that three sizes and 40 trials cannot tell from the true one",
    # A limit of sampling at numbers of a printable size (open: astronomical probes would reach it):
    "adv6_int_tower_false": "log log log n < 6 fails only past n = e^(e^403); every sampled integer, "
                            "however large its printed exponent, lies below, and the relaxation to real n "
                            "holds there too",
}


#: Traps found wrong by the fuzzer on the morning of issue 22, each with the branch of that issue
#: expected to close it (filled by ``traps_kernel_fuzz.py``). ``tests/test_soundness.py`` expects
#: them wrong, not strictly (a fix shows up as an xpass); remove a name once its branch is merged.
OPEN: dict = {}
#: True traps of the fuzzer's that no method decides yet (unverified, not wrong), each with the
#: branch of issue 22 expected to decide them; the unverified rate of the corpus leaves them out.
AWAITING: dict = {}


#: Traps whose check takes 30 s of CPU or more (a step that runs into its budget, an integral at
#: many points): run in the long tier (``pytest -m long``), not in every CI run.  Measured on
#: 2026-12-07 (``--durations``): 130, 90, 46, 39, 36 and 33 s; then 96, 93, 50 and 31 s, which
#: kept CI at 19 of its 20 minutes.
LONG = {
    "k_diff_uniform_power_false",  # 32 s in CI on 2026-12-08 (the numeric screen's integrals)
    "k_adv_undecided_where_false_small",
    "adv5_beyond_bands_parametric_false",
    "k_adv_arb_legendre_real",
    "k_adv_arb_gegenbauer",
    "k_fuzz_divergent_means_true",
    "k_adv_multi_incomplete_gamma",
    "k_adv_sum_alternating_binomial_shifted",
    "audit3_prime_symbol_fermat_true",
    "audit4_sum_binomial_true",
    "prec_heavy_cancellation_true",
}


def load():
    """Import every ``traps_*`` module of this package; returns :data:`TRAPS`."""
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("traps_"):
            importlib.import_module(f"{__name__}.{info.name}")
    for index, t in enumerate(TRAPS):
        if t.name in KNOWN and not t.known:
            TRAPS[index] = Trap(t.name, t.klass, t.true, t.sets, t.build, KNOWN[t.name])
    return TRAPS


def run(trap_):
    """Check the trap's step (no cache) and return its :class:`~derive.check.CheckResult`.

    A derivation the builder refuses (a :class:`~derive.DerivationError`, such as a name
    defined twice) never reaches the checker: its result has the status ``refused``.
    """
    from derive import CheckResult, DerivationError
    from derive.check import check_step

    try:
        derivation, label = trap_.build()
        derivation.validate()
    except DerivationError as exc:
        return CheckResult(trap_.name, "build", "refused", "refused at build", str(exc))
    return check_step(derivation, derivation[label])

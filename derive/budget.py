"""CPU-time budgets for sympy calls that can run for ever (simplify, groebner, limit, series).

sympy has no cancellation hook, so the only way to bound a call is a timer signal.  The timer
counts the *CPU time* of this process (``ITIMER_PROF``: user and system time), not wall-clock
time: a call gets the same amount of work on an idle machine and on a busy one, so a verdict
never depends on how loaded the machine is.  Signals are delivered to the main thread only;
elsewhere the budget is not enforced and the call simply runs.

Every expiry is counted (:func:`expiries`), so that a checker can tell a result that a budget
cut short (unverified, never cached) from one that was decided.
"""

import contextlib
import signal
import threading

_TIMER, _SIGNAL = signal.ITIMER_PROF, signal.SIGPROF
_expired = 0


class BudgetExceeded(BaseException):
    """Raised inside a :func:`cpu_limit` block when its CPU seconds run out.

    A ``BaseException``, like ``KeyboardInterrupt``: sympy's internals catch ``Exception``
    in places, and would otherwise swallow the interruption and run on without a limit.
    """


def expiries():
    """How many budgets have run out in this process so far."""
    return _expired


@contextlib.contextmanager
def cpu_limit(seconds):
    """Raise :class:`BudgetExceeded` if the block uses more than ``seconds`` of CPU time.

    >>> with cpu_limit(1.0):
    ...     x = sum(range(10))
    """
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expire(signum, frame):
        global _expired
        _expired += 1
        raise BudgetExceeded(f"gave up after {seconds:g} CPU seconds")

    previous = signal.signal(_SIGNAL, _expire)
    remaining, _ = signal.getitimer(_TIMER)
    # Fire again every CPU second after the first expiry, should a handler intercept one.
    signal.setitimer(_TIMER, max(seconds, 1e-3), 1.0)
    try:
        yield
    finally:
        signal.setitimer(_TIMER, 0)
        signal.signal(_SIGNAL, previous)
        if remaining:
            # An enclosing budget was running: give it back what is left of it.
            signal.setitimer(_TIMER, remaining)

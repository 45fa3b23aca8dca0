"""Wall-clock limits for sympy calls that can run for ever (simplify, groebner, limit).

sympy has no cancellation hook, so the only way to bound a call is an alarm signal.  Signals are
delivered to the main thread only; elsewhere the limit is not enforced and the call simply runs.
"""

import contextlib
import signal
import threading


class TimeLimitExceeded(BaseException):
    """Raised inside a :func:`time_limit` block when its seconds run out.

    A ``BaseException``, like ``KeyboardInterrupt``: sympy's internals catch ``Exception``
    in places, and would otherwise swallow the interruption and run on without a limit.
    """


@contextlib.contextmanager
def time_limit(seconds):
    """Raise :class:`TimeLimitExceeded` if the block runs longer than ``seconds``.

    >>> with time_limit(1.0):
    ...     x = sum(range(10))
    """
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expire(signum, frame):
        raise TimeLimitExceeded(f"gave up after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expire)
    remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    # Fire again every second after the first expiry, should a handler intercept one.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if remaining:
            # An enclosing limit was running: give it back what is left of it.
            signal.setitimer(signal.ITIMER_REAL, remaining)

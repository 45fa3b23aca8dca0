"""CPU-time budgets for work that can run for ever (simplify, groebner, limit, series, a numeric
check at thousands of digits).

sympy has no cancellation hook, so the only way to bound a call is a timer signal.  The timer
counts the *CPU time* of this process (``ITIMER_PROF``: user and system time), not wall-clock
time: a call gets the same amount of work on an idle machine and on a busy one, so a verdict
never depends on how loaded the machine is.  Signals are delivered to the main thread only;
elsewhere the budget is not enforced and the call simply runs.

:func:`cpu_limit` raises :class:`BudgetExceeded` in the block when its CPU seconds run out:

* budgets nest: an inner block gets at most what the enclosing one has left, and the CPU time
  it used is charged to the enclosing one;
* an expiry is never lost: raised inside a finaliser (``__del__``), a garbage collector
  callback (hypothesis keeps one) or a weakref callback, where Python would print "Exception
  ignored" and drop it, it is raised again at the next line of the code they interrupted; once
  run out, a budget lets no budget nested in it start; and the timer fires again every
  :data:`AGAIN` CPU seconds until the block is left, should anything else swallow it;
* a Python signal handler runs between bytecodes only, so a call stuck in C code (a BLAS
  routine, an extension's loop) cannot be interrupted.  :func:`isolated` runs such work in a
  forked child whose CPU time the kernel limits (``RLIMIT_CPU``): past the budget the child is
  ended whatever it is doing, and the caller gets :class:`BudgetExceeded` all the same.

Every expiry is counted (:func:`expiries`), so that a checker can tell a result that a budget
cut short (unverified, never cached) from one that was decided.
"""

import contextlib
import math
import os
import pickle
import signal
import sys
import threading
import time

_TIMER, _SIGNAL = signal.ITIMER_PROF, signal.SIGPROF
_expired = 0
#: The states of the cpu_limit blocks running, outermost first.
_ACTIVE = []
#: After an expiry the timer fires again every AGAIN CPU seconds until the block is left.
AGAIN = 0.1
#: CPU seconds a forked child (:func:`isolated`) gets past its budget before the kernel ends it:
#: time enough for the timer of :func:`cpu_limit` to end the work in the ordinary way.
GRACE = 5


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
    message = f"gave up after {seconds:g} CPU seconds"
    if any(outer["counted"] for outer in _ACTIVE):
        # An enclosing budget has run out (and its caller caught it as if this kind of attempt's
        # own): nothing more is tried inside it.
        raise BudgetExceeded(message)
    state = {"active": True, "counted": False}

    def _expire(signum, frame):
        if not state["active"]:
            return
        _run_out(state)
        raise BudgetExceeded(message)

    def _unraisable(report):
        # Raised where Python cannot propagate it (a finaliser, a gc or weakref callback): no
        # "Exception ignored" traceback on the terminal; it is raised again at the next line of
        # the code those interrupted.
        if not isinstance(report.exc_value, BudgetExceeded):
            return previous_hook(report)
        _raise_at_next_line(sys._getframe(1), message)

    enclosing, _ = signal.getitimer(_TIMER)
    started = time.process_time()
    previous = signal.signal(_SIGNAL, _expire)
    previous_hook, sys.unraisablehook = sys.unraisablehook, _unraisable
    # An inner budget gets at most what the enclosing one has left.
    signal.setitimer(_TIMER, max(min(seconds, enclosing) if enclosing else seconds, 1e-3), AGAIN)
    _ACTIVE.append(state)
    try:
        yield
    finally:
        state["active"] = False
        _ACTIVE.remove(state)
        signal.setitimer(_TIMER, 0)
        sys.unraisablehook = previous_hook
        signal.signal(_SIGNAL, previous)
        _stop_tracing()
        if enclosing:
            # Give the enclosing budget back what is left of it, less what this block used; when
            # nothing is, it runs out at once.
            left = enclosing - (time.process_time() - started)
            if left <= 0 and _ACTIVE:
                _run_out(_ACTIVE[-1])  # even before its own signal comes (a timer tick later)
            signal.setitimer(_TIMER, max(left, 1e-6), AGAIN)


def _run_out(state):
    """Mark a budget as run out, and count it once."""
    global _expired
    if not state["counted"]:
        state["counted"] = True
        _expired += 1


def _raise_at_next_line(frame, message):
    """Raise :class:`BudgetExceeded` at the next line ``frame`` runs (a tracer on it).  Not when
    a tracer is in place already (a debugger, a coverage tool): the timer fires again then."""
    if frame is None or sys.gettrace() is not None:
        return

    def _raise(frame, event, arg):
        sys.settrace(None)
        frame.f_trace = None
        raise BudgetExceeded(message)

    frame.f_trace = _raise
    sys.settrace(_line_events)  # line events for that frame
    _TRACED.append(frame)


#: Frames given a tracer that raises BudgetExceeded (:func:`_raise_after_callbacks`).
_TRACED = []


def _line_events(frame, event, arg):
    """The global tracer while a frame waits for its BudgetExceeded: no tracing of other frames."""
    return None


def _stop_tracing():
    while _TRACED:
        _TRACED.pop().f_trace = None
        if sys.gettrace() is _line_events:
            sys.settrace(None)


def isolated(function, seconds):
    """``function()`` run in a forked child process limited to ``seconds`` of CPU time (and
    :data:`GRACE` more) by the kernel, which ends it even inside C code; its result (or the
    exception it raised) comes back pickled.  Raises :class:`BudgetExceeded` when the child is
    ended for its CPU time, :class:`MemoryError` when it is killed (the out-of-memory killer).
    The child dies with this process (Ctrl-C reaches it too, as part of the process group).

    Without ``fork`` (or outside the main thread, where a fork could copy a held lock) it runs
    here, under :func:`cpu_limit` alone.
    """
    if (not hasattr(os, "fork") or threading.current_thread() is not threading.main_thread()
            or threading.active_count() > 1):
        with cpu_limit(seconds):
            return function()
    for stream in (sys.stdout, sys.stderr):  # no buffered text written twice, by both processes
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        _child(function, seconds, write, parent)
    os.close(write)
    try:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
    finally:
        _, status = _reap(pid)
    if data:
        ok, value = pickle.loads(data)
        if ok:
            return value
        raise value
    global _expired
    signalled = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if signalled == signal.SIGXCPU:
        _expired += 1
        raise BudgetExceeded(f"gave up after {seconds:g} CPU seconds (stopped inside compiled code)")
    if signalled == signal.SIGKILL:
        raise MemoryError("the work was killed (out of memory, or ended from outside)")
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 130:
        raise KeyboardInterrupt
    raise RuntimeError(f"the worker process ended without a result (status {status})")


def _reap(pid):
    """Wait for the child; one that is still running (this process was interrupted) is ended."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return done, status
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    except ChildProcessError:
        return pid, 0
    return os.waitpid(pid, 0)


def _child(function, seconds, write, parent):
    import resource

    code = 0
    try:
        _die_with_parent(parent)
        limit = math.ceil(seconds + GRACE)
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)  # a limit the user set (ulimit -t) stays
        if hard == resource.RLIM_INFINITY:
            resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + GRACE))
        else:
            resource.setrlimit(resource.RLIMIT_CPU, (min(limit, hard), hard))
        signal.signal(signal.SIGXCPU, signal.SIG_DFL)
        try:
            with cpu_limit(seconds):
                outcome = (True, function())
        except (Exception, BudgetExceeded) as exc:
            outcome = (False, exc)
        try:
            data = pickle.dumps(outcome)
            pickle.loads(data)  # what the parent will do: an exception must rebuild from its args
        except Exception as exc:  # an unpicklable result or exception: said in words
            what = outcome[1] if not outcome[0] else exc
            data = pickle.dumps((False, RuntimeError(f"{type(what).__name__}: {what}")))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except KeyboardInterrupt:
        code = 130  # the parent says it, once
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def _die_with_parent(parent):
    """Linux: the kernel kills this process when its parent dies (a worker terminated)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(70)


@contextlib.contextmanager
def refusing(seconds, what, hint=""):
    """The block under :func:`cpu_limit`; past its ``seconds``, a one-line
    :class:`~derive.errors.UsageError` naming ``what`` was asked (a command's option), with a
    ``hint`` of what would fit.

    >>> with refusing(5.0, "--moments 4"):
    ...     x = sum(range(10))
    """
    from .errors import UsageError

    try:
        with cpu_limit(seconds):
            yield
    except BudgetExceeded:
        raise UsageError(f"{what}: not done within {seconds:g} CPU seconds{'; ' + hint if hint else ''}") from None


def memory_limit():
    """Bytes of memory this process may use at most: the machine's physical memory, or less
    under an address-space limit (``ulimit -v``).  The same however busy the machine is."""
    import resource

    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not on this platform: no limit known
        total = float("inf")
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return total if soft == resource.RLIM_INFINITY else min(total, soft)

"""Where a sweep's trials run: in this process, in local processes, or on a Dask cluster.

Every executor has one method, ``run(function, tasks)``, which yields ``(task, result)`` pairs
as trials finish, in any order.  A trial's random generator is derived from its task alone
(:func:`derive.montecarlo.seeds`), so the numbers do not depend on the executor or the order.

* :class:`InProcess` (the default): joblib's threading backend, one thread per core. BLAS is
  held to one thread per trial (threadpoolctl), so two trials use both cores without
  oversubscribing them.  With ``workers=1`` it is a plain loop.
* :class:`Processes`: joblib's loky backend, one process per core.
* :class:`Dask`: ``dask.distributed``, on the scheduler at ``address``, or on a LocalCluster
  started for the sweep (one single-threaded worker process per core) when none is given.

:func:`use` makes an executor the current one for the sweeps run inside a ``with`` block:
``derive reproduce --executor dask`` runs its figures' and cross-check's sweeps on the cluster.
"""

from __future__ import annotations

import contextlib
import contextvars
import os

from .errors import UsageError

KINDS = ("inprocess", "processes", "dask")


def cores():
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class InProcess:
    """Threads in this process; BLAS limited to one thread each."""

    name = "inprocess"

    def __init__(self, workers=None):
        self.workers = workers or cores()

    def run(self, function, tasks):
        tasks = list(tasks)
        if self.workers == 1 or len(tasks) <= 1:
            for task in tasks:
                yield task, function(task)
            return
        import joblib
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            parallel = joblib.Parallel(n_jobs=self.workers, backend="threading",
                                       return_as="generator_unordered")
            yield from parallel(joblib.delayed(_keyed)(function, task) for task in tasks)


class Processes:
    """Local worker processes (joblib's loky backend)."""

    name = "processes"

    def __init__(self, workers=None):
        self.workers = workers or cores()

    def run(self, function, tasks):
        import joblib

        parallel = joblib.Parallel(n_jobs=self.workers, backend="loky", return_as="generator_unordered")
        yield from parallel(joblib.delayed(_keyed)(function, task) for task in tasks)


class Dask:
    """A Dask distributed cluster: ``address`` of a running scheduler, or a LocalCluster."""

    name = "dask"

    def __init__(self, address=None, workers=None):
        self.address = address
        self.workers = workers or cores()

    def run(self, function, tasks):
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise UsageError("--executor dask needs dask.distributed: pip install 'derive[dask]'") from None
        tasks = list(tasks)
        if not tasks:
            return
        with contextlib.ExitStack() as stack:
            stack.enter_context(_quiet_dask())
            if self.address:
                try:
                    client = stack.enter_context(Client(self.address, timeout="5s"))
                except OSError as exc:
                    raise UsageError(f"--scheduler {self.address}: cannot connect ({exc})") from None
            else:
                with _interrupts_ignored():  # the worker processes inherit it: Ctrl-C is ours alone
                    cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
                stack.enter_context(cluster)
                client = stack.enter_context(Client(cluster))
            futures = client.map(_keyed, [function] * len(tasks), tasks, pure=False)
            for _, pair in as_completed(futures, with_results=True):
                yield pair


@contextlib.contextmanager
def _quiet_dask():
    """Dask's own log (tasks cancelled, workers killed on the way out of an interrupted sweep,
    and, logged as errors, a worker's heartbeat to a scheduler already closed) kept off the
    terminal, here and in the worker processes started meanwhile: an interrupted sweep says one
    line, the CLI's.  A task's failure still reaches the client as its exception."""
    import logging

    logger = logging.getLogger("distributed")
    level = logger.level
    variable = "DASK_LOGGING__DISTRIBUTED"
    previous = os.environ.get(variable)
    logger.setLevel(logging.CRITICAL)
    os.environ[variable] = "critical" if previous is None else previous
    try:
        yield
    finally:
        logger.setLevel(level)
        if previous is None:
            os.environ.pop(variable, None)


@contextlib.contextmanager
def _interrupts_ignored():
    """SIGINT ignored while worker processes start (they inherit it): a Ctrl-C at the terminal,
    sent to the whole process group, reaches only this process, which then ends the workers.
    Outside the main thread (where signals cannot be set) nothing changes."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _keyed(function, task):
    return task, function(task)


def make(kind="inprocess", scheduler=None, workers=None):
    """The executor named ``kind`` (one of KINDS); a one-line UsageError otherwise."""
    if workers is not None and workers < 1:
        raise UsageError(f"--workers {workers}: must be at least 1")
    if scheduler and kind != "dask":
        raise UsageError("--scheduler is for --executor dask")
    if kind == "inprocess":
        return InProcess(workers)
    if kind == "processes":
        return Processes(workers)
    if kind == "dask":
        return Dask(scheduler, workers)
    raise UsageError(f"--executor {kind}: must be one of {', '.join(KINDS)}")


_CURRENT = contextvars.ContextVar("derive_executor", default=None)


def current():
    """The executor of the innermost :func:`use` block, or a new :class:`InProcess`."""
    return _CURRENT.get() or InProcess()


@contextlib.contextmanager
def use(executor):
    """Run the sweeps inside the block on ``executor``."""
    token = _CURRENT.set(executor)
    try:
        yield executor
    finally:
        _CURRENT.reset(token)

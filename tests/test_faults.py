"""Fault injection: every fault of the file system, of the input and of signals is one line on
stderr naming what is wrong, a non-zero exit and never a traceback or an internal error (exit 3).

* paths: a file where a directory is needed, a read-only directory (``chmod``; as root, which
  ``chmod`` does not stop, an immutable directory, ``chattr +i``), a full disk (a small
  ``RLIMIT_FSIZE`` in a subprocess: writes past it fail with EFBIG), stdout on ``/dev/full``, a
  reader that closes the pipe;
* requests that cannot fit: grids, sizes, trials, seeds; ``derive law`` input;
* derivation files that are not UTF-8, whose factory raises, that call ``sys.exit``;
* a cache entry of the wrong shape, sweep-store files with nan, missing or non-numeric values;
* Ctrl-C (SIGINT to the process group, as a terminal sends it) in a Dask sweep and in
  ``derive mutate``: one line, no worker left, and a rerun resumes from the store.

Most cases run in-process through :func:`derive.cli.main`; the ones that need a resource limit,
a device or a signal run in a subprocess.
"""

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from derive import executors
from derive.check import cache
from derive.cli import main
from derive.montecarlo import sweep

MP = ["eval", "marchenko-pastur", "M", "kappa=0.5"]


def cli(capsys, *argv):
    """Run the command in-process; returns (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(code, err, text, expected=2):
    assert code == expected, err
    assert "Traceback" not in err and "internal error" not in err, err
    lines = [line for line in err.strip().splitlines() if not line.startswith("derive: note:")]
    assert len(lines) == 1, err
    assert lines[0].startswith("derive: error: ") and text in lines[0], err


def derive(*argv, cwd=None, limit=None, stdout=subprocess.PIPE, **kwargs):
    """The command in a subprocess; ``limit`` caps the size of any file it writes (bytes)."""
    def fsize():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "derive", *argv], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120,
                          preexec_fn=fsize if limit else None, **kwargs)


@pytest.fixture
def read_only(tmp_path):
    """A directory nothing may be created in, even by root."""
    directory = tmp_path / "read-only"
    directory.mkdir()
    if os.geteuid() != 0:
        directory.chmod(0o555)
        yield directory
        directory.chmod(0o755)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(directory)],
                                                    capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr +i: no read-only directory")
    try:
        yield directory
    finally:
        subprocess.run(["chattr", "-i", str(directory)], capture_output=True)


# --- output paths ---------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["graph", "marchenko-pastur", "-o"],
    ["latex", "marchenko-pastur", "--fragment", "-o"],
    MP + ["x=1", "-o"],
    ["law", "mp(0.5)", "--density", "0:2:5", "-o"],
], ids=["graph", "latex", "eval", "law"])
def test_an_output_path_under_a_file(capsys, tmp_path, argv):
    (tmp_path / "afile").write_text("keep")
    target = tmp_path / "afile" / "out.txt"
    code, _, err = cli(capsys, *argv, str(target))
    one_line(code, err, "is a file, not a directory")
    assert (tmp_path / "afile").read_text() == "keep"


def test_an_output_path_in_a_read_only_directory(capsys, read_only):
    code, _, err = cli(capsys, "graph", "marchenko-pastur", "-o", str(read_only / "g.dot"))
    one_line(code, err, str(read_only))


def test_an_output_directory_that_cannot_be_created(capsys, read_only):
    from derive.figures import Figure, Panel, write

    figure = Figure("f", "f", [Panel("p", "x", "y")])
    with pytest.raises(Exception) as caught:
        write(figure, read_only / "figures")
    assert "cannot create the directory" in str(caught.value)
    assert type(caught.value).__name__ == "UsageError"


@pytest.mark.parametrize("argv", [
    MP + ["x=0.1:1:400", "-o", "out.csv"],
    ["law", "mp(0.5)", "--density", "0.1:2:400", "-o", "out.csv"],
], ids=["eval", "law"])
def test_a_full_disk_leaves_no_truncated_file(tmp_path, argv):
    run = derive(*argv, cwd=tmp_path, limit=2000)
    one_line(run.returncode, run.stderr, "cannot write out.csv: File too large")
    assert not (tmp_path / "out.csv").exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_stdout_on_a_full_device():
    with open("/dev/full", "w") as full:
        run = derive(*MP, "x=0.1:1:400", stdout=full)
    one_line(run.returncode, run.stderr, "cannot write to standard output: No space left on device")


def test_a_closed_pipe_ends_quietly_and_says_so_in_the_exit_code():
    read, write = os.pipe()
    os.close(read)
    try:
        run = derive(*MP, "x=0.1:1:100000", stdout=write)
    finally:
        os.close(write)
    assert run.returncode == 141, run.stderr  # as a command killed by SIGPIPE
    assert run.stderr == ""


# --- requests that cannot fit, and input ----------------------------------------------------

LU = ["mc", "lu2025", "alpha=1", "kappa=0.5", "tau=2", "rho=0.01", "lam=1", "--no-store"]

REFUSED = [
    (MP + ["x=1:2:1000000000"], "at most 1000000"),
    (MP[:3] + ["kappa=0.1:1:10000", "x=1:2:10000"], "10000 (kappa) x 10000 (x) = 100000000 points"),
    (LU + ["--d", "100000"], "2 <= d <= 4096"),
    (LU + ["--trials", "1000000000"], "2 <= trials <= 100000"),
    (LU + ["--d", "8,8"], "the sizes must be different"),
    (LU + ["--d", "1000,2000"], "d=2000 at alpha=1, kappa=0.5, tau=2, rho=0.01, lam=1: one trial needs at least"),
    (["mc", "takanami2025", "alpha=2", "kappa=0.5", "rank_ratio=0.5", "tau=2", "sigma2=0.1", "lam=0.1", "--d",
      "1000,2000", "--no-store"], "d=2000 at alpha=2, alpha_test=2, kappa=0.5, rank_ratio=0.5, tau=2"),
    (LU + ["--d", ""], "--d is empty"),
    (LU + ["--seed", "-1"], "from 0 to"),
    (["figure", "lu2025", "--seed", "-1"], "from 0 to"),
    (["reproduce", "lu2025", "--d", "100000"], "2 <= d <= 4096"),
    (["reproduce", "lu2025", "--d", "1000,2000"], "d=2000 at alpha=1, kappa=0.5, tau=2, rho=0.01, lam=1: one trial"),
    (["law", "mp(nan)", "--moments", "3"], "not nan"),
    (["law", "mp(inf)", "--moments", "3"], "not inf"),
    (["law", "mp(1e400)", "--moments", "3"], "must be finite"),
    (["law", "mp(c)", "c=nan", "--moments", "3"], "c must be a finite number"),
    (["law", "mp(c)", "c=inf", "--moments", "3"], "c must be a finite number"),
    (["law", "mp(c)", "c=1e400", "--moments", "3"], "c must be a finite number"),
    (["law", "mp(0.5)", "--moments", "100000"], "K must be from 0 to 100"),
    (["law", "mp(0.5)", "--cumulants", "100000"], "K must be from 1 to 100"),
    (["law", "mp(9**9**9)", "--moments", "2"], "exponent must be a number from -64 to 64"),
    (["law", "mp(1/0)", "--moments", "2"], "not finite"),
    (["law", "+".join(["semicircle(1)"] * 3000), "--moments", "2"], "at most 1000 are read"),
    (["law", "mp(0.5)", "--density", "0:inf:10"], "must be finite"),
    (["law", "mp(0.5)", "--density", "0:2:1000000000"], "n <= 100000"),
    (["law", "mp(0.5)", "--stieltjes", "nan"], "finite complex numbers"),
    (["law", "mp(0.5)", "--stieltjes", ""], "write complex points"),
]


@contextlib.contextmanager
def bounded(seconds=20, memory=4 << 30):
    """At most ``seconds`` of CPU time (BudgetExceeded past it) and ``memory`` more bytes of
    address space (MemoryError past it): a request that is not refused fails the test, never
    hangs it or exhausts the machine."""
    from derive.budget import cpu_limit

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        used = int(statm.read().split()[0]) * resource.getpagesize()
    limit = used + memory if hard == resource.RLIM_INFINITY else min(used + memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        with cpu_limit(seconds):
            yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.parametrize("argv, text", REFUSED, ids=[" ".join(a)[:50] for a, _ in REFUSED])
def test_what_cannot_fit_or_is_not_a_number_is_refused_before_any_work(capsys, argv, text):
    with bounded():
        code, _, err = cli(capsys, *argv)
    one_line(code, err, text)


def test_a_trial_that_runs_out_of_memory_is_one_line_naming_its_size(capsys, tmp_path):
    """A model that states no memory estimate: its MemoryError names the size and the point."""
    (tmp_path / "model.py").write_text(MODEL.replace(
        'return {"x": float(rng.standard_normal()) + point["a"]}',
        'import numpy\n    return {"x": float(numpy.empty((10**7, 10**7)).sum())}'))
    code, _, err = cli(capsys, "mc", str(tmp_path / "model.py"), "a=1", "--d", "4,6", "--trials", "2", "--no-store",
                       "--workers", "1")
    one_line(code, err, "d=4 at a=1: a trial ran out of memory")


def test_memory_that_runs_out_anywhere_else_is_one_line(capsys, tmp_path):
    """A figure (or any work no stated limit covers) that exhausts memory: the machine's fault,
    one line, exit 2; not an internal error."""
    (tmp_path / "figure.py").write_text(MODEL + textwrap.dedent('''
        import numpy

        def big(paper, quick=False, seed=0):
            return numpy.empty((10**7, 10**7))

        paper.figures["big"] = big
    '''))
    code, _, err = cli(capsys, "figure", str(tmp_path / "figure.py"), "big", "-o", str(tmp_path / "figures"))
    one_line(code, err, "out of memory")


SLOW_LAWS = [
    (["law", "semicircle(a)+mp(b)+inv(mp(c))+mp(d)*mp(e)"], "building the law: not done within 1 CPU seconds"),
    (["law", "mp(a)*mp(b)*mp(c)", "--moments", "100"], "--moments 100: not done within 1 CPU seconds"),
    (["law", "mp(a)*mp(b)*mp(c)", "--cumulants", "100"], "--cumulants 100: not done within 1 CPU seconds"),
]


@pytest.mark.parametrize("argv, text", SLOW_LAWS, ids=[" ".join(a)[:50] for a, _ in SLOW_LAWS])
def test_law_work_past_its_cpu_budget_is_refused_in_one_line(capsys, monkeypatch, argv, text):
    """Symbolic work that would run for minutes (or hours) stops at derive law's CPU budget."""
    from derive import cli as module

    monkeypatch.setattr(module, "MAX_LAW_SECONDS", 1)
    with bounded():
        code, _, err = cli(capsys, *argv)
    one_line(code, err, text)


# --- derivation files -----------------------------------------------------------------------

FILES = {
    "latin.py": (b'x = "\xff\xfe"\n', 2, "not UTF-8"),
    "factory.py": (b"def derivation():\n    raise RuntimeError('boom')\n", 1, "derivation() raised RuntimeError: boom"),
    "exit0.py": (b"import sys\nsys.exit(0)\n", 1, "called sys.exit(0)"),
    "exit-in-factory.py": (b"def derivation():\n    raise SystemExit(0)\n", 1, "called sys.exit(0)"),
}


@pytest.mark.parametrize("name", FILES)
def test_a_broken_derivation_file_is_an_error_never_a_success(capsys, tmp_path, name):
    source, expected, text = FILES[name]
    (tmp_path / name).write_bytes(source)
    code, _, err = cli(capsys, "check", str(tmp_path / name))
    one_line(code, err, text, expected=expected)


def test_a_derivation_file_that_calls_os_exit_is_an_error(tmp_path):
    """In a subprocess: were os._exit not refused, it would end pytest itself, with status 0."""
    (tmp_path / "exit.py").write_text("import os\nos._exit(0)\n")
    run = derive("check", "exit.py", cwd=tmp_path)
    one_line(run.returncode, run.stderr, "called os._exit(0)", expected=1)


# --- damaged cache and store ----------------------------------------------------------------

@pytest.mark.parametrize("content", ['{"label": 5, "kind": "algebra", "status": "verified"}',
                                     '{"label": "x", "kind": "algebra", "status": "bogus"}',
                                     '{"label": "x", "kind": "algebra", "status": "verified", "details": "oops"}'])
def test_a_cache_entry_of_the_wrong_shape_is_ignored_and_recomputed(capsys, tmp_path, monkeypatch, content,
                                                                   demo_file):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    assert cli(capsys, "check", str(demo_file))[0] == 0
    entries = list((tmp_path / "cache").glob("*.json"))
    for entry in entries:
        entry.write_text(content)
    code, out, err = cli(capsys, "check", str(demo_file))
    assert code == 0, err
    assert "Traceback" not in err and "internal error" not in err
    assert err.count("derive: note: cache entry") == len(entries)
    assert "s-square" in out and "bogus" not in out
    assert all(json.loads(e.read_text())["status"] in ("verified", "definition") for e in entries)


def steady(rng, d, point):
    return {"x": float(rng.standard_normal()) + point["a"], "y": float(d)}


def test_damaged_store_files_are_set_aside_and_run_again(tmp_path, capsys):
    points, sizes, trials = [{"a": 1.0}], (4, 6), 3
    serial = executors.InProcess(workers=1)
    clean = sweep(steady, points, sizes, trials, 5, executor=serial, store=tmp_path)
    files = sorted(tmp_path.glob("*/p*-d*-t*.json"))
    damage = [lambda r: r["values"].update(x=float("nan")), lambda r: r["values"].pop("y"),
              lambda r: r["values"].update(x="abc"), lambda r: r.update(values=[1, 2])]
    for file, change in zip(files, damage):
        record = json.loads(file.read_text())
        change(record)
        file.write_text(json.dumps(record))
    files[4].write_text("[1, 2]")
    capsys.readouterr()
    again = sweep(steady, points, sizes, trials, 5, executor=serial, store=tmp_path)
    assert again == clean  # the damaged trials ran again; nothing damaged was averaged in
    err = capsys.readouterr().err
    assert "derive: note: 5 damaged trial file(s)" in err
    assert len(list(tmp_path.glob("*/damaged/*.json"))) == 5
    assert len(list(tmp_path.glob("*/p*-d*-t*.json"))) == 6


MODEL = textwrap.dedent('''
    import os
    import time
    import sympy as sp
    from derive import Derivation
    from derive.crosscheck import Simulator
    from derive.registry import Paper

    a, s = sp.symbols("a s", positive=True)
    D = Derivation("slow-model")
    D.parameter(a)
    D.define("s-def", sp.Eq(s, 2 * a))

    def sample(rng, d, point):
        time.sleep(float(os.environ.get("TRIAL_SECONDS", "0")))
        if os.environ.get("TRIAL_LOG"):
            with open(os.environ["TRIAL_LOG"], "a") as log:
                log.write("x\\n")
        return {"x": float(rng.standard_normal()) + point["a"]}

    paper = Paper(lambda: D, "slow-model", model=Simulator(sample, (a,), {}))
''')


def test_a_sweep_store_that_fills_up(tmp_path):
    (tmp_path / "model.py").write_text(MODEL)
    run = derive("mc", "model.py", "a=1", "--d", "4,6", "--trials", "2", "--store", "st", "--workers", "1",
                 cwd=tmp_path, limit=100)
    one_line(run.returncode, run.stderr, "cannot write the sweep store st/")
    assert "File too large" in run.stderr


# --- budgets --------------------------------------------------------------------------------

STUCK = textwrap.dedent('''
    import collections
    import itertools

    import sympy as sp

    import derive.budget
    import derive.check.numeric
    import derive.check.runner
    from derive import Derivation

    derive.check.runner.STEP_SECONDS = 1
    derive.budget.GRACE = 1


    def stuck(*args, **kwargs):
        """The numeric checker stuck in C code, where no Python signal handler runs."""
        collections.deque(itertools.count(), maxlen=0)


    derive.check.numeric.check = stuck
    a = sp.symbols("a", positive=True)
    D = Derivation("stuck")
    D.parameter(a)
    D.step("s", sp.Eq(a * (a + 1), a**2 + a, evaluate=False))
    derivation = D
''')


def test_a_check_stuck_in_compiled_code_ends_at_its_cpu_budget(tmp_path):
    """The step's check runs in a child process whose CPU time the kernel limits (RLIMIT_CPU)."""
    (tmp_path / "stuck.py").write_text(STUCK)
    run = derive("check", "stuck.py", "--no-cache", cwd=tmp_path, env={**os.environ, "DERIVE_CACHE_DIR": str(tmp_path)})
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "s     algebra  unverified  budget" in run.stdout
    assert "derive: step 's' unverified: stopped after 1 CPU seconds" in run.stderr


BUDGET_LOST = textwrap.dedent('''
    import gc
    import sys

    from derive.budget import BudgetExceeded, cpu_limit


    def spin(*args):
        total = 0
        for i in range(300_000):
            total += i


    class Finalised:
        __del__ = spin


    def garbage():
        ring = [[] for _ in range(1000)]
        for a, b in zip(ring, ring[1:]):
            a.append(b), b.append(a)


    if sys.argv[1] == "gc":
        gc.callbacks.append(spin)  # as hypothesis keeps one
    try:
        with cpu_limit(0.3):
            while True:  # nearly all the time is spent in the finaliser or the gc callback
                Finalised() if sys.argv[1] == "del" else garbage()
    except BudgetExceeded:
        print("ended")
''')


@pytest.mark.parametrize("where", ["del", "gc"])
def test_a_budget_that_runs_out_in_a_finaliser_or_gc_callback_is_not_lost(where):
    run = subprocess.run([sys.executable, "-c", BUDGET_LOST, where], capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "ended", run.stderr
    assert run.stderr == ""  # no "Exception ignored in ..." traceback


def test_an_inner_budget_is_charged_to_the_enclosing_one():
    """Attempts under their own budget inside a step's budget cannot stretch it: after it has run
    out no new attempt starts (before, each attempt gave the enclosing budget its time back)."""
    from derive.budget import BudgetExceeded, cpu_limit

    attempts = 0
    with pytest.raises(BudgetExceeded):
        with cpu_limit(1.0):
            for _ in range(50):
                try:
                    with cpu_limit(0.2):
                        attempts += 1
                        while True:
                            pass
                except BudgetExceeded:
                    pass
            while True:
                pass
    assert attempts <= 7, attempts


# --- Ctrl-C ---------------------------------------------------------------------------------

def interrupt(argv, cwd, ready, timeout=90):
    """Start ``derive argv`` in its own process group, wait until ``ready()``, then send SIGINT
    to the whole group as a terminal's Ctrl-C does; returns (exit code, stderr, pids left)."""
    # A command at a terminal has Ctrl-C at its default; pytest started in the background of a
    # non-interactive shell has SIGINT ignored, which a child would inherit.
    process = subprocess.Popen([sys.executable, "-m", "derive", *argv], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "never got ready"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    deadline = time.monotonic() + 10  # a worker may take a moment to see its parent gone
    while True:
        left = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(process.pid)], capture_output=True,
                              text=True).stdout.strip().splitlines()
        if not left or time.monotonic() > deadline:
            return process.returncode, err, left
        time.sleep(0.2)


@pytest.mark.slow  # a dask cluster started and interrupted: 8 CPU s
def test_ctrl_c_in_a_dask_sweep_is_one_line_and_a_rerun_resumes(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    (tmp_path / "model.py").write_text(MODEL)
    argv = ["mc", "model.py", "a=1", "--d", "4,6", "--trials", "100", "--store", "st"]
    trials = lambda: list(tmp_path.glob("st/*/p*-d*-t*.json"))  # noqa: E731
    monkeypatch.setenv("TRIAL_SECONDS", "0.2")
    code, err, left = interrupt(argv + ["--executor", "dask", "--workers", "2"], tmp_path,
                                lambda: len(trials()) >= 2)
    assert code == 130
    assert err.strip() == "derive: interrupted", err
    assert left == [], left
    kept = len(trials())
    assert 2 <= kept < 200
    # The store is consistent and the rerun resumes: it runs only the trials that are missing.
    monkeypatch.setenv("TRIAL_SECONDS", "0")
    monkeypatch.setenv("TRIAL_LOG", str(tmp_path / "ran"))
    run = derive(*argv, "--workers", "1", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "note" not in run.stderr
    assert len((tmp_path / "ran").read_text().split()) == 200 - kept


def test_ctrl_c_in_mutate_is_one_line(tmp_path):
    marker = tmp_path / "started"
    (tmp_path / "slow.py").write_text(textwrap.dedent(f'''
        import time
        import derive.mutate

        def _evaluate(derivation, step, mutant):
            open({str(marker)!r}, "a").write("x")
            time.sleep(60)

        derive.mutate._evaluate = _evaluate
        exec(open({str(Path(__file__).parents[1] / "docs" / "examples" / "demo.py")!r}).read())
    '''))
    code, err, left = interrupt(["mutate", "slow.py"], tmp_path, lambda: marker.exists())
    assert code == 130
    assert err.strip() == "derive: interrupted", err
    assert left == [], left

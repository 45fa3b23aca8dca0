"""An honest cache (issue 22, item 6): a verdict is reused only when the code it depended on is
unchanged, what is loaded is checked to be what was asked for, and nothing executable is loaded
that someone else could have written.

Every test here failed on the cache as it was before: a helper two calls below a sampler did not
enter the fact's key, a verdict file swapped for another step's was reused, binary garbage raised
UnicodeDecodeError, a FIFO blocked forever, a pickle anyone could put in the prebuilt folder was
run, and a failed write left its ``*.tmp`` behind.
"""

import os
import pickle
import stat
import sys
import threading

import pytest
import sympy as sp

from derive import Derivation, Simulation, prebuilt
from derive.check import cache, check_derivation
from derive.check.result import CheckResult
from derive.cli import main

PACKAGE = "honestpkg"

PAPER = '''
import sympy as sp

from derive import Derivation, Simulation
from derive.notation import Meaning
from honestpkg.mid import shift

Y = sp.Symbol("Y", real=True)


def sample(rng, d, point):
    """Y = 0.002 +- 0.001 at every d, shifted by what the helper two calls below says."""
    return {Y: shift(0.002 + 0.001 * float(rng.choice([-1.0, 1.0])))}


derivation = Derivation("honest")
derivation.define("Y-meaning", sp.Eq(Y, Meaning("Y")))
derivation.fact("zero", sp.Eq(Y, 0), uses=["Y-meaning"],
                check=Simulation(sample, points=[{}], sizes=(20, 40), trials=8, tolerance=1e-2, absolute=True))
'''


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package on sys.path: ``paper`` (a derivation whose sampler calls ``mid.shift``), ``mid``
    (which calls ``deep.offset``) and ``deep`` (the helper, 0: the fact is true).  Its modules
    are forgotten after each use, as a new process would."""
    root = tmp_path / "src"
    (root / PACKAGE).mkdir(parents=True)
    (root / PACKAGE / "__init__.py").write_text("")
    (root / PACKAGE / "deep.py").write_text("def offset():\n    return 0.0\n")
    (root / PACKAGE / "mid.py").write_text(f"from {PACKAGE} import deep\n\n\ndef shift(x):\n    return x + deep.offset()\n")
    (root / PACKAGE / "paper.py").write_text(PAPER)
    monkeypatch.syspath_prepend(str(root))
    forget()
    yield root / PACKAGE
    forget()


def forget():
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def change_the_helper(package):
    """The helper now returns 1: Y = 1.002 +- 0.001, and the fact Y = 0 is false."""
    (package / "deep.py").write_text("def offset():\n    return 1.0\n")
    forget()


def check_file(capsys, path):
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    forget()
    status = {line.split()[0]: line.split()[2] for line in out.splitlines() if line.startswith("zero ")}
    return code, status.get("zero"), out, err


# --- 1. a verdict depends on the code it ran ---------------------------------------------------

def test_a_helper_two_calls_below_a_sampler_invalidates_the_verdict(package, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    code, status, out, _ = check_file(capsys, package / "paper.py")
    assert (code, status) == (0, "verified"), out
    code, status, out, _ = check_file(capsys, package / "paper.py")
    assert status == "verified" and "cache" in out  # unchanged: reused
    change_the_helper(package)
    code, status, out, _ = check_file(capsys, package / "paper.py")
    assert status == "failed" and code == 1, out


def test_a_sampler_imported_from_a_module_is_keyed_by_what_it_reaches(package):
    import importlib

    sample = importlib.import_module(f"{PACKAGE}.paper").sample
    before = Simulation(sample, points=[{}], sizes=(20, 40)).fingerprint()
    assert Simulation(sample, points=[{}], sizes=(20, 40)).fingerprint() == before
    (package / "deep.py").write_text("def offset():\n    return 1.0\n")  # still the one imported
    assert Simulation(sample, points=[{}], sizes=(20, 40)).fingerprint() != before


def test_a_sampler_without_a_source_file_is_keyed_by_its_code():
    """A notebook cell has no file to read: its functions' compiled code counts instead, and a
    helper redefined in a later cell changes the key."""
    cell = {"__name__": "__main__"}
    exec("def offset():\n    return 0.0\n\ndef sample(rng, d, point):\n    return {'Y': offset()}\n", cell)
    before = Simulation(cell["sample"], points=[{}], sizes=(20, 40)).fingerprint()
    exec("def offset():\n    return 1.0\n", cell)
    assert Simulation(cell["sample"], points=[{}], sizes=(20, 40)).fingerprint() != before


def test_every_step_is_keyed_by_the_modules_its_derivation_file_imports(package):
    """Not a fact: a definition's verdict too depends on the derivation file's local imports."""
    from derive.registry import load_file

    keys = cache.step_keys(load_file(package / "paper.py"))
    forget()
    assert cache.step_keys(load_file(package / "paper.py")) == keys
    change_the_helper(package)
    changed = cache.step_keys(load_file(package / "paper.py"))
    assert changed["Y-meaning"] != keys["Y-meaning"] and changed["zero"] != keys["zero"]


# --- 2. what is loaded is what was asked for ---------------------------------------------------

a, b = sp.symbols("a b", real=True)


def two_steps():
    """A true step and a false one of the same kind."""
    D = Derivation("swap")
    D.parameter(a, b)
    D.step("true", sp.Eq((a + b) ** 2, a ** 2 + 2 * a * b + b ** 2))
    D.step("false", sp.Eq((a + b) ** 2, a ** 2 + 3 * a * b + b ** 2))
    return D


def test_a_verdict_file_swapped_for_another_steps_is_not_reused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    D = two_steps()
    assert [r.status for r in check_derivation(D)] == ["verified", "failed"]
    keys = cache.step_keys(D)
    (tmp_path / f"{keys['false']}.json").write_bytes((tmp_path / f"{keys['true']}.json").read_bytes())
    again = check_derivation(D)
    assert [(r.status, r.cached) for r in again] == [("verified", True), ("failed", False)]
    assert "its key differs" in capsys.readouterr().err


def test_binary_garbage_in_a_verdict_entry_is_a_miss_without_a_traceback(tmp_path, monkeypatch, capsys, demo_file):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["check", str(demo_file)]) == 0
    entries = list((tmp_path / "cache").glob("*.json"))
    for entry in entries:
        entry.write_bytes(b"\xff\xfe\x00\x81garbage")
    capsys.readouterr()
    assert main(["check", str(demo_file)]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    assert err.count("derive: note: cache entry") == len(entries) and "s-square" in out


def load_in_time(key, seconds=20):
    """``cache.load(key)`` in a thread; ("blocked", None) if it has not returned in time."""
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(cache.load(key)), daemon=True)
    worker.start()
    worker.join(seconds)
    return ("done", outcome[0]) if outcome else ("blocked", None)


@pytest.mark.parametrize("what", ["fifo", "directory", "symlink"])
def test_something_else_where_a_verdict_file_should_be_is_a_miss(tmp_path, monkeypatch, what):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    D = two_steps()
    check_derivation(D)
    key = cache.step_keys(D)["true"]
    entry = tmp_path / f"{key}.json"
    entry.unlink()
    if what == "fifo":
        os.mkfifo(entry)
    elif what == "directory":
        entry.mkdir()
    else:  # a link to another step's verdict (a swap by symbolic link)
        entry.symlink_to(tmp_path / f"{cache.step_keys(D)['false']}.json")
    try:
        assert load_in_time(key) == ("done", None)
    finally:
        if what == "fifo":  # release a reader the old code left blocked
            try:
                os.close(os.open(entry, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
    assert [r.status for r in check_derivation(D)] == ["verified", "failed"]


@pytest.mark.slow  # two quantities of marchenko-pastur lowered in an empty cache: 7 CPU s
def test_a_lowered_quantity_of_another_name_is_not_printed(tmp_path, monkeypatch, capsys):
    """A prebuilt pickle of one quantity under another's key printed the wrong number, exit 0."""
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    from derive import registry

    name = "marchenko-pastur"
    evaluate = ["eval", name, "M", "kappa=0.5", "x=0.3"]
    assert main(evaluate) == 0
    right = capsys.readouterr().out
    assert right.splitlines()[1] == "0.5,0.3,2.0"
    assert main(["eval", name, "M_prime", "kappa=0.5", "x=0.3"]) == 0
    capsys.readouterr()
    folder = tmp_path / "prebuilt"
    mine, other = (folder / f"{prebuilt.source_key(registry.modules(), 'lowered', name, q)}.pickle"
                   for q in ("M", "M_prime"))
    mine.write_bytes(other.read_bytes())  # M'(x)'s own entry, signed by this user, under M's key
    assert main(evaluate) == 0
    out, err = capsys.readouterr()
    assert out == right and "made for something else" in err
    # Not a quantity at all (a dict: an AttributeError before).
    mine.write_bytes(pickle.dumps({}))
    assert main(evaluate) == 0
    out, err = capsys.readouterr()
    assert out == right and "Traceback" not in err


# --- 3. nothing executable from a folder others can write --------------------------------------

class Planted:
    """A pickle that runs code when loaded: it creates the file ``marker``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_an_unsigned_pickle_is_never_unpickled(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "prebuilt"
    folder.mkdir(parents=True)
    marker = tmp_path / "ran"
    (folder / "k.pickle").write_bytes(pickle.dumps(Planted(marker)))
    assert prebuilt.load("k") is None
    assert not marker.exists()


def test_a_signed_entry_altered_or_under_another_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    assert prebuilt.store("k", [1, 2, 3])
    assert prebuilt.load("k") == [1, 2, 3]
    entry = tmp_path / "prebuilt" / "k.pickle"
    data = bytearray(entry.read_bytes())
    data[-2] ^= 1
    entry.write_bytes(bytes(data))
    assert prebuilt.load("k") is None
    # The same entry signed under another user's key (here: a key file replaced).
    assert prebuilt.store("k", [1, 2, 3])
    key = tmp_path / "signing-key"
    key.write_bytes(os.urandom(32))
    assert prebuilt.load("k") is None


def test_a_signing_key_others_can_read_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    assert prebuilt.store("k", [1, 2, 3])
    key = tmp_path / "signing-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    key.chmod(0o644)
    assert prebuilt.load("k") is None
    assert not prebuilt.store("k2", [4])


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_cache_directory_others_can_write_is_not_used(tmp_path, monkeypatch, capsys):
    directory = tmp_path / "shared"
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(directory))
    D = two_steps()
    check_derivation(D)
    assert prebuilt.store("k", [1])
    directory.chmod(0o777)
    try:
        assert [r.cached for r in check_derivation(D)] == [False, False]
        assert prebuilt.load("k") is None
        assert "writable by others" in capsys.readouterr().err
        # Sticky (as /tmp): others may add files, not replace ours; our own entries are used.
        directory.chmod(0o1777)
        assert [r.cached for r in check_derivation(D)] == [True, True]
        assert prebuilt.load("k") == [1]
        # The prebuilt folder itself writable by others (made so under another umask).
        directory.chmod(0o700)
        (directory / "prebuilt").chmod(0o770)
        assert prebuilt.load("k") is None
    finally:
        directory.chmod(0o700)


# --- 4. a failed write leaves nothing behind ---------------------------------------------------

def test_failed_writes_leave_no_temporary_files(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    # A directory (not empty) where the entry goes: the rename into place fails.
    for blocked in (tmp_path / "key.json", tmp_path / "prebuilt" / "key.pickle"):
        blocked.mkdir(parents=True)
        (blocked / "x").write_text("")
    cache.store("key", CheckResult("s", "algebra", "verified", "symbolic", ""))
    assert not prebuilt.store("key", [1])
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_the_cache_writes_private_files(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "new"))
    check_derivation(two_steps())
    assert prebuilt.store("k", [1])
    entries = [p for p in (tmp_path / "new").rglob("*") if p.is_file()]
    assert entries and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in entries)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) & 0o077 == 0


def test_a_fifo_among_a_sweeps_trials_does_not_block(tmp_path):
    """The sweep store reads its trial files the same way (a FIFO is set aside, not read)."""
    from derive import executors
    from derive.montecarlo import sweep

    def steady(rng, d, point):
        return {"x": float(rng.standard_normal()) + point["a"]}

    serial = executors.InProcess(workers=1)
    sweep(steady, [{"a": 1.0}], (4, 6), 2, 5, executor=serial, store=tmp_path)
    (key,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    trial = sorted(key.glob("p*-d*-t*.json"))[0]
    trial.unlink()
    os.mkfifo(trial)
    done = []
    worker = threading.Thread(target=lambda: done.append(
        sweep(steady, [{"a": 1.0}], (4, 6), 2, 5, executor=serial, store=tmp_path)), daemon=True)
    worker.start()
    worker.join(30)
    try:
        assert done, "the sweep blocked on a FIFO"
    finally:
        try:
            os.close(os.open(trial, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass

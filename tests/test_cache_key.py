"""The verdict cache's key covers the checker's code, not the presentation modules
(derive/check/cache.py, module docstring): editing the command line, the figures, LaTeX or the
reproduce pipeline re-checks nothing; editing a checker, rule, rmt or simulation module
re-checks everything."""

import ast
import sys
from pathlib import Path

import pytest
import sympy as sp

from derive import Derivation
from derive.check import cache, check_derivation
from derive.registry import load

PACKAGE = Path(cache.__file__).resolve().parents[1]
EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
REPORTS = ["cli.py", "figures.py", "latex.py", "reproduce.py", "layout.py", "incremental.py"]
CHECKERS = ["check/runner.py", "check/numeric.py", "check/kernel/exact.py", "rules/algebra.py",
            "rules/limit.py", "rmt/law.py", "montecarlo.py", "sampling.py", "branch.py",
            "derivation.py", "registry.py", "prebuilt.py", "lower.py", "output.py"]


def _demo():
    a, b, s = sp.symbols("a b s", positive=True)
    D = Derivation("key-demo")
    D.define("s-def", sp.Eq(s, a + b))
    D.step("s-square", sp.Eq(s**2, a**2 + 2 * a * b + b**2), uses=["s-def"])
    return D


def _keys_with_edit(monkeypatch, relative):
    """The step keys of the demo with ``derive/<relative>`` edited (its bytes as hashed)."""
    edited = PACKAGE / relative
    assert edited.is_file(), relative
    real = cache._source
    monkeypatch.setattr(cache, "_source", lambda path: real(path) + (b"\n# edited\n" if path == edited else b""))
    cache.checker_fingerprint.cache_clear()
    try:
        return cache.step_keys(_demo())
    finally:
        cache.checker_fingerprint.cache_clear()


@pytest.mark.parametrize("relative", REPORTS)
def test_editing_a_presentation_module_keeps_every_key(monkeypatch, relative):
    before = cache.step_keys(_demo())
    assert _keys_with_edit(monkeypatch, relative) == before


@pytest.mark.parametrize("relative", CHECKERS)
def test_editing_a_checker_module_changes_every_key(monkeypatch, relative):
    before = cache.step_keys(_demo())
    after = _keys_with_edit(monkeypatch, relative)
    assert set(after) == set(before) and all(after[k] != before[k] for k in before)


def test_the_prebuilt_key_still_covers_the_whole_toolkit(monkeypatch):
    real = cache._source
    before = cache.toolkit_fingerprint()
    monkeypatch.setattr(cache, "_source", lambda p: real(p) + (b"#" if p.name == "cli.py" else b""))
    cache.toolkit_fingerprint.cache_clear()
    try:
        assert cache.toolkit_fingerprint() != before
    finally:
        cache.toolkit_fingerprint.cache_clear()


def test_every_module_but_the_listed_ones_is_in_the_key():
    """Conservative by default: a new module, or one moved, is in the key."""
    everything = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")}
    keyed = {p.relative_to(PACKAGE).as_posix() for p in cache.checker_sources()}
    assert cache.PRESENTATION <= everything  # a stale name would exclude nothing and hide a move
    assert keyed == everything - cache.PRESENTATION


def _top_level_imports(path):
    """Modules imported at the top of ``path`` (not inside a function: those run on call)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom):
            yield node.level, node.module or "", [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield 0, alias.name, []


def test_no_module_in_the_key_imports_a_presentation_module_at_load():
    """Importing the checker loads no presentation module (except the one the law builder uses to
    write a law's name into a statement, which the key holds)."""
    names = {p.removesuffix(".py").replace("/", ".") for p in cache.PRESENTATION}
    allowed = {("rmt/steps.py", "latex")}  # DerivePrinter: a Meaning's text, in the statement
    offenders = []
    for path in cache.checker_sources():
        inside = path.relative_to(PACKAGE).with_suffix("").parts
        for level, module, members in _top_level_imports(path):
            if level:
                base = list(inside[:-1])[:len(inside) - level] if level > 1 else list(inside[:-1])
                targets = [".".join([*base, module]) if module else ".".join(base)]
            elif module.startswith("derive."):
                targets = [module.removeprefix("derive.")]
            else:
                continue
            targets += [f"{t}.{m}".lstrip(".") for t in targets for m in members]
            for target in targets:
                if target in names and (path.relative_to(PACKAGE).as_posix(), target) not in allowed:
                    offenders.append(f"{path.relative_to(PACKAGE).as_posix()}: {target}")
    assert offenders == []


def test_checking_runs_no_presentation_code():
    """Checking a derivation with a fact, a series, a solution and definitions, with the cache
    off, under a profiler: no function of a presentation module is called."""
    D = load(str(EXAMPLES / "semicircle.py"))
    called = set()

    def profile(frame, event, arg):
        if event == "call":
            called.add(frame.f_code.co_filename)

    sys.setprofile(profile)
    try:
        results = check_derivation(D, use_cache=False)
    finally:
        sys.setprofile(None)
    assert [r.status for r in results] == ["definition", "verified", "verified", "verified"]
    ran = {Path(f).resolve() for f in called if not f.startswith("<")}
    ran = {p.relative_to(PACKAGE).as_posix() for p in ran if p.is_relative_to(PACKAGE)}
    assert "check/runner.py" in ran  # the profiler saw the checker
    assert ran & cache.PRESENTATION == set()

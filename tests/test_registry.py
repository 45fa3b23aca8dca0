"""Papers through the entry-point group; built lazily, once; eval and list from the prebuilt cache."""

import io
import pickle
import re

import numpy as np
import pytest

from derive import prebuilt, registry
from derive.cli import main
from derive.registry import Paper


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_shipped_papers_come_from_entry_points():
    assert set(registry.shipped()) == {"marchenko-pastur", "lu2025", "letey2025", "takanami2025", "bordelon2025"}
    assert all(isinstance(registry.paper(name), Paper) for name in registry.shipped())


def test_importing_a_paper_builds_nothing(monkeypatch):
    import importlib
    import sys

    from derive import derivation

    built = []
    monkeypatch.setattr(derivation.Derivation, "validate", lambda self: built.append(self))
    original = derivation.Derivation.__init__

    def counting(self, *args, **kwargs):
        built.append(args[0])
        original(self, *args, **kwargs)

    monkeypatch.setattr(derivation.Derivation, "__init__", counting)
    for name in [m for m in sys.modules if m.startswith("derivations.")]:
        monkeypatch.delitem(sys.modules, name)
    for module in registry.modules():
        importlib.import_module(module)
    assert built == []


@pytest.mark.slow  # builds the papers: 8 CPU s
def test_each_paper_is_built_once_per_process(monkeypatch):
    monkeypatch.setattr(prebuilt, "load", lambda key, *args: None)  # build, never unpickle
    calls = []
    papers = {name: registry.paper(name) for name in registry.shipped()}
    for name, paper in papers.items():
        monkeypatch.setattr(paper, "_derivation", None)
        build = paper.build
        monkeypatch.setattr(paper, "build", lambda build=build, name=name: calls.append(name) or build())
    # Every paper loaded twice, one that includes others (takanami2025 cites lu2025's steps) first:
    # each is built once, whether loaded itself or as another's part.
    for name in ["takanami2025", *papers, *papers]:
        registry.load(name)
    assert sorted(calls) == sorted(papers)
    marchenko_pastur = papers["marchenko-pastur"].derivation()
    assert papers["lu2025"].derivation()["M-closed"] is marchenko_pastur["M-closed"]


def test_eval_from_the_cache_builds_nothing_and_prints_the_same(capsys, monkeypatch):
    argv = ("eval", "marchenko-pastur", "M", "kappa=0.5", "x=0.1:1:3")
    code, first, _ = run(capsys, *argv)
    assert code == 0

    def refuse(self):
        raise AssertionError("built")

    monkeypatch.setattr(Paper, "derivation", refuse)
    code, again, err = run(capsys, *argv)
    assert code == 0, err
    assert again == first
    code, _, err = run(capsys, "eval", "marchenko-pastur", "M", "kappa=0", "x=1")
    assert code == 2 and "kappa must be > 0" in err


def test_list_builds_nothing_and_counts_once_built(capsys, monkeypatch, tmp_path):
    """A first ``derive list`` (an empty cache) builds and imports no paper: titles come from the
    sources, counts and quantities only once a paper has been built (issue 25)."""
    import sys

    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(Paper, "derivation", lambda self: pytest.fail("built"))
    before = set(sys.modules)
    code, first, _ = run(capsys, "list")
    assert code == 0 and re.search(r"^marchenko-pastur +\? steps  The Marchenko-Pastur law", first, re.M)
    assert re.search(r"^lu2025 +\? steps  Asymptotic theory of in-context learning", first, re.M)
    assert not {m for m in set(sys.modules) - before if m.startswith("derivations.")}
    monkeypatch.undo()
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    prebuilt.derivation(registry.paper("marchenko-pastur"))
    monkeypatch.setattr(Paper, "derivation", lambda self: pytest.fail("built"))
    out = run(capsys, "list")[1]
    assert re.search(r"^marchenko-pastur +17 steps  The Marchenko-Pastur law", out, re.M)
    assert re.search(r"^ +quantities: M, M_prime, m$", out, re.M)
    monkeypatch.setattr(prebuilt, "paper_key", lambda module: "another source")  # the file changed
    assert re.search(r"^marchenko-pastur +\? steps", run(capsys, "list")[1], re.M)


def test_paper_key_follows_the_source_and_the_title_is_read_statically(tmp_path, monkeypatch):
    package = tmp_path / "listpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    source = package / "one.py"
    source.write_text('from derive.registry import Paper\nTITLE = "A title"\npaper = Paper(lambda: None, TITLE)\n')
    (package / "two.py").write_text('import derive.registry\npaper = derive.registry.Paper(None, title="Kw")\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    key = prebuilt.paper_key("listpkg.one")
    assert prebuilt.static_title("listpkg.one") == "A title" and prebuilt.static_title("listpkg.two") == "Kw"
    source.write_text(source.read_text() + "# edited\n")
    assert prebuilt.paper_key("listpkg.one") != key
    (package / "three.py").write_text('paper = Paper(None, make_title())\n')
    assert prebuilt.static_title("listpkg.three") is None  # computed: catalogue imports the paper


def test_lambdified_functions_survive_the_cache(tmp_path, monkeypatch):
    import numpy as np
    import sympy as sp

    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    x = sp.Symbol("x", positive=True)
    functions = [sp.lambdify((x,), sp.Piecewise((sp.sqrt(x), x > 1), (x**2, True)), modules=m, cse=True)
                 for m in ("numpy", "mpmath")]
    assert prebuilt.store("k", functions)
    numpy_path, mpmath_path = prebuilt.load("k")
    assert numpy_path(np.array([0.5, 4.0])).tolist() == [0.25, 2.0]
    assert mpmath_path(4) == 2


def test_a_derivation_from_the_cache_is_the_one_built():
    from derive.check.cache import step_keys

    built = registry.paper("lu2025").built()
    buffer = io.BytesIO()
    prebuilt._Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(built)
    loaded = pickle.loads(buffer.getvalue())
    assert step_keys(loaded) == step_keys(built)
    assert [s.label for s in loaded.ordered()] == [s.label for s in built.ordered()]
    assert loaded.origin == built.origin and set(loaded.quantities) == set(built.quantities)
    # The facts' sampler is the paper's model, pickled by reference: one fit memo, not a copy.
    model = registry.paper("lu2025").model
    samplers = [s.check.sample for s in loaded.ordered() if getattr(s.check, "sample", None) is not None]
    assert any(getattr(sample, "__self__", None) is model for sample in samplers)


def test_a_paper_is_one_unit():
    """Model, figures, parameter domain and cross-check points belong to the paper, not to its
    derivation; making the paper builds nothing."""
    import sympy as sp

    from derive.crosscheck import Simulator

    lu, takanami = registry.paper("lu2025"), registry.paper("takanami2025")
    assert isinstance(lu.model, Simulator) and lu.model.points and set(lu.figures) >= {"ridge", "task-diversity"}
    assert lu.domain.infinite == {sp.Symbol("kappa", positive=True)} and lu.domain.defaults == {}
    assert {str(k): v for k, v in takanami.domain.defaults.items()} == {"alpha_test": sp.Symbol("alpha", positive=True),
                                                                          "sigma2_test": 0.0}
    assert not takanami.domain.infinite
    for paper in (lu, takanami):
        derivation = paper.derivation()
        for moved in ("simulator", "figures", "defaults", "infinite_allowed", "parameter_checks"):
            assert not hasattr(derivation, moved)
    assert registry.paper("marchenko-pastur").model is None and not registry.paper("marchenko-pastur").figures


def test_the_interpolation_threshold_names_its_own_symbols():
    """The check both linear-attention papers share takes the paper's symbols explicitly."""
    import sympy as sp

    from derive.errors import UsageError
    from derivations.linear_attention import InterpolationThreshold

    t, l = sp.Symbol("t"), sp.Symbol("l")
    check = InterpolationThreshold(t, l)
    check({t: np.array([1.0]), l: np.array([0.1])})
    check({sp.Symbol("tau"): np.array([1.0]), sp.Symbol("lam"): np.array([0.0])})  # other symbols: not its business
    with pytest.raises(UsageError, match="t=1 with l=0"):
        check({t: np.array([0.5, 1.0]), l: np.array([0.0])})


def test_the_fit_memo_is_bounded_and_pickled_empty():
    from derivations.linear_attention import FitMemo

    memo = FitMemo(size=2)
    calls = []
    for seed in (0, 1, 0, 2, 0, 1):
        memo.get(np.random.default_rng(seed), 4, (1.0,), lambda seed=seed: calls.append(seed) or seed)
    assert calls == [0, 1, 2, 1] and len(memo) == 2
    assert len(pickle.loads(pickle.dumps(memo))) == 0

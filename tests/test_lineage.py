"""Numbers know their lineage (issue 22, item 7): a quantity resting on a step that is not
verified is never printed, drawn or returned without saying so, and ``--strict`` refuses it.

A tiny paper written to a temporary file: ``g`` is ``2 f`` with ``f = a + 1``, and cites a false
step ``f^2 = a^2 + 2a + 2`` (the checker fails it with a counterexample); ``h`` rests on true
steps only.  A figure draws ``g`` and the report of ``derive reproduce`` lists it."""

import warnings

import numpy as np
import pytest

from derive.cli import main
from derive.errors import LineageWarning, UnverifiedLineage
from derive.lower import lowered

PAPER = '''
import numpy as np
import sympy as sp

from derive import Derivation
from derive.figures import Curve, Figure, Panel
from derive.lower import lower_quantity
from derive.registry import Paper

a = sp.Symbol("a", positive=True)
f, g = sp.symbols("f g", real=True)


def build():
    D = Derivation("lineage-toy", title="Lineage toy")
    D.parameter(a)
    D.define("f-def", sp.Eq(f, a + 1))
    D.step("f-square", sp.Eq(f**2, a**2 + 2*a + 2), uses=["f-def"])   # false: the square is a^2 + 2a + 1
    D.define("g-def", sp.Eq(g, 2 * f))
    D.step("g-value", sp.Eq(g, 2*a + 2), uses=["g-def", "f-def"])
    D.quantity("g", "g-def", (a,), uses=["f-square"])
    D.quantity("h", "g-value", (a,))
    return D


def curve(paper, quick=False, seed=0):
    xs = np.linspace(0.5, 2.0, 4)
    ys = lower_quantity(paper.derivation(), "{quantity}")(xs)
    return Figure("curve", "g against a", [Panel("g", "a", "g", [Curve("theory", xs, ys)])])


paper = Paper(build, "Lineage toy", figures={{"curve": curve}})
'''


@pytest.fixture
def toy(tmp_path):
    path = tmp_path / "toy.py"
    path.write_text(PAPER.format(quantity="g"))
    return str(path)


@pytest.fixture
def true_toy(tmp_path):
    """The same paper whose figure draws ``h``, which rests on true steps only."""
    path = tmp_path / "true_toy.py"
    path.write_text(PAPER.format(quantity="h"))
    return str(path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- derive eval ---------------------------------------------------------------------------------

def test_eval_warns_on_a_failed_step_and_exits_0(capsys, toy):
    code, out, err = run(capsys, "eval", toy, "g", "a=1,2")
    assert code == 0
    assert out.splitlines() == ["a,g", "1.0,4.0", "2.0,6.0"]
    assert err.splitlines() == ["derive: warning: g rests on steps not verified: f-square (failed)"]


def test_eval_strict_refuses_a_failed_lineage(capsys, toy):
    code, out, err = run(capsys, "eval", toy, "g", "a=1,2", "--strict")
    assert code == 1
    assert out == ""
    assert err.strip() == "derive: error: g rests on steps not verified: f-square (failed)"


def test_eval_of_a_verified_lineage_says_nothing(capsys, toy):
    code, out, err = run(capsys, "eval", toy, "h", "a=1,2", "--strict")
    assert code == 0, err
    assert out.splitlines() == ["a,h", "1.0,4.0", "2.0,6.0"]
    assert err == ""


# ---- the Python API ------------------------------------------------------------------------------

def test_lowered_exposes_its_lineage(toy):
    g, h = lowered(toy, "g"), lowered(toy, "h")
    assert g.lineage.statuses == {"f-def": "definition", "f-square": "failed", "g-def": "definition"}
    assert g.lineage.unverified == {"f-square": "failed"} and not g.lineage.verified
    assert h.lineage.statuses == {"f-def": "definition", "g-def": "definition", "g-value": "verified"}
    assert h.lineage.verified and h.lineage.message() == ""


def test_lowered_warns_on_a_failed_lineage_and_strict_raises(toy):
    g = lowered(toy, "g")
    with pytest.warns(LineageWarning, match=r"g rests on steps not verified: f-square \(failed\)"):
        assert float(g(a=1.0)) == 4.0
    with pytest.raises(UnverifiedLineage, match=r"f-square \(failed\)"):
        g(np.array([1.0, 2.0]), strict=True)


def test_lowered_of_a_verified_lineage_does_not_warn(toy):
    h = lowered(toy, "h")
    assert h.lineage.verified
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert h(a=np.array([1.0, 2.0]), strict=True).tolist() == [4.0, 6.0]


def test_a_derivation_object_and_a_budget_status(toy):
    """The lineage of a quantity lowered from a Derivation; a step a budget cut short shows as
    ``budget``."""
    from derive.check.result import CheckResult
    from derive.lineage import quantity_lineage, status
    from derive.lower import lower_quantity
    from derive.registry import load

    derivation = load(toy)
    assert lower_quantity(derivation, "g").lineage.unverified == {"f-square": "failed"}
    cut = CheckResult("f-square", "algebra", "unverified", "budget", "stopped", details={"budget_expired": True})
    assert status(cut) == "budget"
    results = [CheckResult("f-def", "definition", "definition"), cut, CheckResult("g-def", "definition", "definition")]
    fresh = load(toy)  # another derivation object: nothing kept from the call above
    assert quantity_lineage(fresh, "g", results).message() == "g rests on steps not verified: f-square (budget)"


# ---- figures and report.md -----------------------------------------------------------------------

def test_figure_of_a_failed_lineage_carries_a_note(capsys, toy, tmp_path):
    from derive.figures import caption, draw
    from derive.registry import load_paper

    code, out, err = run(capsys, "figure", toy, "-o", str(tmp_path / "figures"))
    assert code == 0
    assert (tmp_path / "figures" / "curve.png").is_file()
    assert err.splitlines() == ["derive: warning: figure curve: g rests on steps not verified: f-square (failed)"]
    figure = draw(load_paper(toy), "curve")
    assert caption(figure).startswith("Not established: drawn from g, which rests on steps not verified: "
                                      "f-square (failed).")


def test_figure_strict_refuses(capsys, toy, tmp_path):
    code, _, err = run(capsys, "figure", toy, "-o", str(tmp_path / "figures"), "--strict")
    assert code == 1
    assert err.strip() == "derive: error: figure curve: g rests on steps not verified: f-square (failed)"
    assert not (tmp_path / "figures" / "curve.png").exists()


def test_figure_of_a_verified_lineage_has_no_note(capsys, true_toy, tmp_path):
    from derive.figures import caption, draw
    from derive.registry import load_paper

    code, _, err = run(capsys, "figure", true_toy, "-o", str(tmp_path / "figures"), "--strict")
    assert code == 0 and err == ""
    figure = draw(load_paper(true_toy), "curve")
    assert [lineage.quantity for lineage in figure.lineage] == ["h"]
    assert "Not established" not in caption(figure)


def test_report_lists_the_quantity_and_the_figure(capsys, toy, tmp_path):
    out_dir = tmp_path / "out"
    code, _, err = run(capsys, "reproduce", toy, "-o", str(out_dir))
    assert code == 1  # a step failed, as before
    assert "derive: warning: g rests on steps not verified: f-square (failed)" in err.splitlines()
    report = (out_dir / "report.md").read_text()
    assert "- `g`: g rests on steps not verified: f-square (failed)" in report
    assert "- figure `curve` (g against a): drawn from `g`" in report
    assert "Not established: drawn from g, which rests on steps not verified: f-square (failed)." in report
    assert "`h`" not in report


def test_reproduce_strict_refuses_before_the_figures(capsys, toy, tmp_path):
    out_dir = tmp_path / "out"
    code, _, err = run(capsys, "reproduce", toy, "-o", str(out_dir), "--strict")
    assert code == 1
    assert "derive: error: g rests on steps not verified: f-square (failed)" in err.splitlines()
    assert not (out_dir / "figures").exists()


def test_a_lineage_warning_met_by_a_command_is_one_line(capsys):
    """`derive mc`'s cross-check calls quantities: their warning prints as derive's own lines."""
    from derive.cli import _one_line_warnings

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        _one_line_warnings()
        warnings.warn("g rests on steps not verified: f-square (failed)", LineageWarning)
    assert capsys.readouterr().err == "derive: warning: g rests on steps not verified: f-square (failed)\n"

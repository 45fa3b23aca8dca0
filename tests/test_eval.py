"""`derive eval` and the lowered quantities from Python: singular points, complex values, closed
forms evaluated in complex arithmetic, the value syntax, and the same domain checks on both paths.

Small file derivations keep these fast; one test per shipped case the issue names."""

import math
import warnings

import numpy as np
import pytest
import sympy as sp

from derive.cli import main
from derive.errors import UsageError
from derive.lower import Lowered, lower_quantity, lowered
from derive.registry import load
from tests.conftest import EXAMPLES

#: A paper with a forbidden combination (a = 1 with b = 0, as tau = 1 with lam = 0), a bound
#: given by a forbidden check (a <= 10, as rank_ratio <= 1), and closed forms with square roots.
TOY = '''
import numpy as np
import sympy as sp

from derive import Derivation
from derive.errors import UsageError
from derive.registry import Domain, Paper

a = sp.Symbol("a", positive=True)
b = sp.Symbol("b", nonnegative=True)
f, g, h = sp.symbols("f g h", real=True)


def threshold(values):
    av, bv = values.get(a), values.get(b)
    if av is not None and bv is not None:
        if np.any(np.isclose(np.asarray(av)[..., None], 1.0) & (np.asarray(bv)[None, ...] == 0)):
            raise UsageError("a=1 with b=0: f diverges at a = 1; take b > 0 or a != 1")


def at_most_ten(values):
    av = values.get(a)
    if av is not None and np.any(np.asarray(av) > 10):
        raise UsageError("a must be at most 10")


def build():
    D = Derivation("toy", title="Toy")
    D.parameter(a, b)
    D.define("f-def", sp.Eq(f, b + 1 / (a - 1)))
    D.define("g-def", sp.Eq(g, sp.sqrt(a - 2)))
    D.define("h-def", sp.Eq(h, sp.sqrt(a - 2) * sp.sqrt(a - 3)))
    D.quantity("f", "f-def", (a, b))
    D.quantity("g", "g-def", (a,))
    D.quantity("h", "h-def", (a,))
    return D


paper = Paper(build, "Toy", domain=Domain(forbidden=[at_most_ten, threshold], defaults={b: 0.0}))
'''


@pytest.fixture
def toy(tmp_path):
    path = tmp_path / "toy.py"
    path.write_text(TOY)
    return str(path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows(out):
    header, *lines = out.strip().splitlines()
    return header.split(","), [list(map(float, line.split(","))) for line in lines]


# ---- singular points --------------------------------------------------------------------------

def test_a_forbidden_point_is_a_row_of_its_own_with_one_warning(capsys, toy):
    code, out, err = run(capsys, "eval", toy, "f", "a=0.5:2:4", "b=0,1")
    assert code == 0, err
    header, table = rows(out)
    assert header == ["a", "b", "f"] and len(table) == 8
    values = {(r[0], r[1]): r[2] for r in table}
    assert not math.isfinite(values[(1.0, 0.0)])  # the forbidden combination
    assert values[(0.5, 0.0)] == pytest.approx(-2.0) and values[(2.0, 1.0)] == pytest.approx(2.0)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("derive: warning: f is inf or nan at ")
    assert "a=1, b=0" in lines[0] and "a=1 with b=0" in lines[0] and "--strict" in lines[0]


def test_strict_refuses_the_grid_as_before(capsys, toy):
    code, out, err = run(capsys, "eval", toy, "f", "a=0.5:2:4", "b=0", "--strict")
    assert code == 2 and out == ""
    assert err.strip() == "derive: error: a=1 with b=0: f diverges at a = 1; take b > 0 or a != 1"
    code, out, err = run(capsys, "eval", toy, "g", "a=1,3", "--strict")
    assert code == 2 and err.strip() == "derive: error: g is not finite at a=1"


def test_a_non_finite_value_is_nan_and_named(capsys, toy):
    code, out, err = run(capsys, "eval", toy, "g", "a=1,3")
    assert code == 0
    _, table = rows(out)
    assert math.isnan(table[0][1]) and table[1][1] == pytest.approx(1.0)
    assert err.count("\n") == 1 and "g is inf or nan at 1 of 2 points: a=1;" in err


def test_a_bound_in_a_forbidden_check_is_still_refused(capsys, toy):
    code, out, err = run(capsys, "eval", toy, "f", "a=2,11", "b=1")
    assert code == 2 and out == "" and err.strip() == "derive: error: a must be at most 10"


def test_lu2025_across_the_interpolation_threshold(capsys):
    """The issue's case: tau = 0.5:2:4 with lam = 0 contains tau = 1."""
    code, out, err = run(capsys, "eval", "lu2025", "e_icl", "alpha=1", "kappa=0.5", "tau=0.5:2:4",
                         "rho=0.01", "lam=0")
    assert code == 0, err
    header, table = rows(out)
    assert [r[2] for r in table] == [0.5, 1.0, 1.5, 2.0]
    assert not math.isfinite(table[1][-1]) and all(math.isfinite(r[-1]) for r in (table[0], table[2], table[3]))
    assert len(err.strip().splitlines()) == 1 and "tau=1, rho=0.01, lam=0" in err


# ---- complex values, complex arithmetic -------------------------------------------------------

def test_complex_argument_prints_real_and_imaginary_parts(capsys):
    code, out, err = run(capsys, "eval", str(EXAMPLES / "semicircle.py"), "m", "z=1+0.5j,-3")
    assert code == 0, err
    header, table = rows(out)
    assert header == ["re_z", "im_z", "re_m", "im_m"]
    for re_z, im_z, re_m, im_m in table:
        z, m = complex(re_z, im_z), complex(re_m, im_m)
        assert abs(m * m + z * m + 1) < 1e-12
    assert table[0][3] > 0  # the Stieltjes branch: Im m > 0 above the axis
    assert table[1][:2] == [-3.0, 0.0]


def test_the_issue_command_for_the_semicircle(capsys):
    code, out, _ = run(capsys, "eval", str(EXAMPLES / "semicircle.py"), "m", "z=1+0.5j")
    assert code == 0 and out.splitlines()[0] == "re_z,im_z,re_m,im_m"


def test_a_complex_value_for_a_real_parameter_is_refused(capsys, toy):
    code, out, err = run(capsys, "eval", toy, "g", "a=3+1j")
    assert code == 2 and err.strip() == "derive: error: a=3+1j: a must be real"


def test_square_roots_of_negative_numbers_are_taken_in_complex_arithmetic(capsys, toy):
    # sqrt(a - 2) sqrt(a - 3) at a = 1 is i * sqrt(2) i = -sqrt(2): real, though real
    # arithmetic gives nan.
    code, out, err = run(capsys, "eval", toy, "h", "a=1,4")
    assert code == 0 and err == ""
    header, table = rows(out)
    assert header == ["a", "h"]
    assert table[0][1] == pytest.approx(-math.sqrt(2), rel=1e-15)
    assert table[1][1] == pytest.approx(math.sqrt(2), rel=1e-15)


def test_lowered_keeps_complex_values_real_only_when_they_are():
    a = sp.Symbol("a", positive=True)
    f = Lowered(sp.sqrt(a - 2) * sp.sqrt(a - 3) + sp.sqrt(a - 5), (a,))
    value = f(np.array([1.0, 4.0, 6.0]))
    assert np.isnan(value[0]) and np.isnan(value[1])  # -sqrt(2) + 2i i.e. not real: stays nan
    assert value[2] == pytest.approx(math.sqrt(12) + 1)


# ---- the value syntax, --help, --version ------------------------------------------------------

def test_eval_help_explains_the_values(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["eval", "--help"])
    out = capsys.readouterr().out
    assert exit.value.code == 0
    for text in ("0.5,1,2", "0.1:1:10", "1e-2:1e2:50log", "inf", "1+0.5j", "--strict"):
        assert text in out


def test_version(capsys):
    from derive import __version__

    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0 and capsys.readouterr().out.strip() == f"derive {__version__}"


# ---- Python: the same checks as the command line ----------------------------------------------

def test_python_refuses_what_the_command_line_refuses():
    for f in (lowered("marchenko-pastur", "M"), lower_quantity(load("marchenko-pastur"), "M")):
        with pytest.raises(UsageError, match="kappa=-0.5: kappa must be > 0"):
            f(-0.5, 1.0)
        with pytest.raises(UsageError, match="kappa=-0.5: kappa must be > 0"):
            f(kappa=np.array([0.5, -0.5]), x=1.0)
    M = lowered("marchenko-pastur", "M")
    with pytest.raises(UsageError, match="kappa=inf: kappa must be finite"):
        M(kappa=np.inf, x=1.0)
    with pytest.raises(UsageError, match="unknown parameter 'y'"):
        M(kappa=0.5, y=1.0)
    with pytest.raises(UsageError, match="missing parameter x"):
        M(kappa=0.5)


def test_python_lu2025_domain():
    """The issue's case: kappa = -0.5 returned a number through Python."""
    e_icl = lowered("lu2025", "e_icl")
    with pytest.raises(UsageError, match="kappa=-0.5: kappa must be > 0"):
        e_icl(alpha=1.0, kappa=-0.5, tau=2.0, rho=0.01, lam=0.1)
    assert np.isfinite(e_icl(alpha=1.0, kappa=np.inf, tau=2.0, rho=0.01, lam=0.1))  # kappa = inf: allowed
    with pytest.warns(RuntimeWarning, match="tau=1 with lam=0"):
        values = e_icl(alpha=1.0, kappa=0.5, tau=np.array([0.5, 1.0, 2.0]), rho=0.01, lam=0.0)
    assert np.isfinite(values[[0, 2]]).all() and not np.isfinite(values[1])
    with pytest.raises(UsageError, match="tau=1 with lam=0"):
        e_icl(1.0, 0.5, 1.0, 0.01, 0.0, strict=True)


def test_named_and_positional_calls_agree_and_defaults_fill_in(toy):
    f = lowered(toy, "f")
    xs = np.linspace(2, 3, 5)
    np.testing.assert_array_equal(f(a=xs), f(xs, 0.0))
    np.testing.assert_array_equal(f(b=1.0, a=xs), f(xs, 1.0))
    with pytest.warns(RuntimeWarning, match="a=1 with b=0"):
        value = f(a=np.array([1.0, 2.0]), b=np.array([0.0, 0.0]))
    assert not np.isfinite(value[0]) and value[1] == 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Paired points, not a grid: a = 1 goes with b = 1 here, which is allowed.
        assert np.isinf(f(a=np.array([1.0, 2.0]), b=np.array([1.0, 0.0])))[0]
    with pytest.raises(UsageError, match="a must be at most 10"):
        f(a=11.0)


# ---- Jupyter ----------------------------------------------------------------------------------

def test_latex_reprs():
    D = load("marchenko-pastur")
    step = D["M-prime-compact"]
    text = step._repr_latex_()
    assert text.startswith("$\\displaystyle ") and text.endswith("$") and "=" in text
    table = D._repr_latex_()
    assert table.startswith("$$\\begin{array}") and table.endswith("$$")
    assert table.count("\\mathtt{") >= len(D)
    assert "M_{\\kappa}" in table  # the derivation's own notation: M(kappa, x) as M_kappa(x)
    assert "\\eqref" not in table


def test_check_result_html():
    from derive.check import CheckResult

    html = CheckResult("s<1>", "algebra", "verified", "symbolic", "a & b")._repr_html_()
    assert html.startswith("<table>") and "s&lt;1&gt;" in html and "a &amp; b" in html


# ---- docs/python.md runs as written --------------------------------------------------------------

def test_the_api_page_runs(monkeypatch, capsys):
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(root)
    blocks = re.findall(r"```python\n(.*?)```", (root / "docs" / "python.md").read_text(), re.S)
    assert len(blocks) >= 6
    namespace = {}
    for block in blocks:
        exec(compile(block, "docs/python.md", "exec"), namespace)
    out = capsys.readouterr().out
    # Every "# -> " comment is what the line before it prints.
    for expected in re.findall(r"# -> (.*)", "".join(blocks)):
        assert expected.strip() in out, expected


def test_the_complex_retry_takes_the_principal_branch(tmp_path):
    # (-x + sqrt(x - 2) sqrt(x + 2))/2 at x = -4.5 is real (-(-4.5) - sqrt(20.25 - 4))/2 = 0.2344...,
    # but numpy's complex arithmetic carries -0j into the square root and lands on the other root.
    from derive import Derivation
    from derive.lower import lower_quantity

    x = sp.Symbol("x", real=True)
    f = sp.Symbol("f")
    D = Derivation("branch")
    D.parameter(x)
    D.define("f-def", sp.Eq(f, (-x + sp.sqrt(x - 2) * sp.sqrt(x + 2)) / 2))
    D.quantity("f", "f-def", (x,))
    value = lower_quantity(D, "f")(np.array([-4.5, 3.0]))
    expected = [(4.5 - np.sqrt(4.5**2 - 4)) / 2, (-3 + np.sqrt(5)) / 2]
    assert np.allclose(value, expected, rtol=1e-12)

"""``derive compare``: LaTeX pasted from a paper, read in the derivation's notation and decided by
the checker (derive/pasted.py). The small marchenko-pastur derivation, and a toy derivation whose
names collide on purpose (``\\sigma`` and ``\\sigma^{2}``, ``x``, ``y`` and ``xy``)."""

import contextlib
import io

import pytest
import sympy as sp

from derive import Derivation, compare
from derive.cli import main
from derive.errors import UsageError
from derive.pasted import AmbiguousLatex, read, tokens
from derive.registry import load

MP = "marchenko-pastur"
#: M-closed's right side, in another form than the derivation's (the discriminant expanded).
M_CLOSED = r"\frac{2}{x + 1 - \kappa^{-1} + \sqrt{(x + 1 + \kappa^{-1})^2 - 4/\kappa}}"
#: The same with a slip a reader makes: 4x/kappa for 4/kappa.
M_WRONG = r"\frac{2}{x + 1 - \kappa^{-1} + \sqrt{(x + 1 + \kappa^{-1})^2 - 4x/\kappa}}"


@pytest.fixture(scope="module")
def mp():
    return load(MP)


@pytest.fixture(scope="module")
def toy():
    sigma, sigma2, x, y, xy = sp.symbols("sigma sigma2 x y xy", positive=True)
    D = Derivation("toy", latex_names={"sigma2": r"\sigma^{2}"})
    D.parameter(sigma, sigma2, x, y, xy)
    D.step("product", sp.Eq(xy, sigma2 * x * y + sigma))
    return D


def cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue().splitlines(), err.getvalue().splitlines()


# -- reading ------------------------------------------------------------------------------------

def test_the_derivations_latex_names_read_back_as_its_symbols_and_functions(mp):
    kappa, x, tau = (next(s for s in mp.parameters if str(s) == n) for n in ("kappa", "x", "tau"))
    M = sp.Function("M")
    assert read(mp, r"M_{\kappa}\left(x\right)") == M(kappa, x)
    assert read(mp, r"M_\kappa(x)^2") == M(kappa, x) ** 2 == read(mp, r"M_{\kappa}^{2}\left(x\right)")
    assert read(mp, r"M_{\kappa/\tau}(x)") == M(kappa / tau, x)
    assert read(mp, r"M_\kappa'(x)") == sp.Derivative(M(kappa, x), x)
    assert read(mp, r"\lim_{\kappa \to \infty} M_\kappa(x)") == sp.Limit(M(kappa, x), kappa, sp.oo, "-")
    assert read(mp, r"\kappa(x + 1)") == kappa * (x + 1)  # a product: the group holds more than names
    equation = read(mp, r"\frac{x}{\kappa} M_\kappa(x)^2 = 1")
    assert isinstance(equation, sp.Equality) and equation.rhs == 1


def test_tokens_agree_on_the_spellings_of_one_name():
    assert tokens(r"x_{*}") == tokens(r"x^*") == tokens(r"x_*") == ["x", "^", "*"]
    assert tokens(r"\hat\sigma") == tokens(r"\hat{\sigma}")
    assert tokens(r"e^{\text{ICL}}") == tokens(r"e^{\mathrm{ICL}}")
    assert tokens(r"\tfrac1\kappa") == tokens(r"\frac{1}{\kappa}")


def test_a_name_that_is_a_longer_form_of_another_is_refused_in_one_line(toy):
    with pytest.raises(AmbiguousLatex) as caught:
        read(toy, r"\sigma^2 + 1")
    message = str(caught.value)
    assert "\n" not in message and "sigma2" in message and r"{\sigma^{2}}" in message
    assert r"(\sigma)^2" in message
    # Either reading, written so that it cannot be the other, is taken.
    sigma, sigma2 = (next(s for s in toy.parameters if str(s) == n) for n in ("sigma", "sigma2"))
    assert read(toy, r"{\sigma^{2}} + 1") == sigma2 + 1
    assert read(toy, r"(\sigma)^{2} + 1") == sigma ** 2 + 1


def test_letters_that_are_a_name_and_a_product_are_refused(toy):
    with pytest.raises(AmbiguousLatex, match=r"'xy' reads as the name xy or as x times y"):
        read(toy, r"xy + 1")
    x, y = (next(s for s in toy.parameters if str(s) == n) for n in ("x", "y"))
    assert read(toy, r"x \cdot y") == x * y


def test_a_symbol_applied_like_a_function_is_refused(mp):
    with pytest.raises(AmbiguousLatex, match=r"\\kappa is a symbol of the derivation, not a function"):
        read(mp, r"\kappa(x)")


@pytest.mark.parametrize("latex, words", [
    (r"\frac{2}{y}", "'y' is no name of the derivation"),
    (r"x_1 + 1", "'x_1' is no name of the derivation"),
    (r"M_\kappa + 1", r"give its arguments, as in M_{\kappa}\left(x\right)"),
    (r"\frac{2}{x + ", "unclosed brace"),
    (r"x <", "not an order relation"),
    (r"x + * 2", "does not parse"),
    (r"M_{\kappa}(x, x)", "takes 2 argument(s)"),
])
def test_bad_latex_is_one_line(mp, latex, words):
    with pytest.raises(UsageError) as caught:
        read(mp, latex)
    assert words in str(caught.value) and "\n" not in str(caught.value)


# -- deciding -----------------------------------------------------------------------------------

def test_an_equal_paste_is_verified_by_the_checker(mp):
    result = compare(mp, "M-closed", M_CLOSED)
    assert (result.status, result.exit_code, result.compared) == ("equal", 0, "the right side")
    assert result.result.status == "verified" and result.method


def test_a_wrong_paste_fails_with_a_counterexample(mp):
    result = compare(mp, "M-closed", M_WRONG)
    assert (result.status, result.exit_code) == ("not equal", 1)
    assert "kappa=" in result.point and "x=" in result.point
    ours, theirs = (float(v) for v in result.values)
    assert abs(ours - theirs) > 1e-3 * abs(ours)


def test_an_equation_moved_to_one_side_or_turned_around_is_the_step(mp):
    pasted = r"\frac{x}{\kappa} M_{\kappa}(x)^2 + (x + 1 - \kappa^{-1}) M_\kappa(x) = 1"
    assert compare(mp, "M-quadratic", pasted).status == "equal"
    assert compare(mp, "M-quadratic", r"1 = \frac{x}{\kappa} M_{\kappa}(x)^2 + (x + 1 - \kappa^{-1}) M_\kappa(x)"
                   ).status == "equal"
    wrong = compare(mp, "M-quadratic", r"\frac{x}{\kappa} M_{\kappa}(x)^2 + (x + 1 + \kappa^{-1}) M_\kappa(x) = 1")
    assert wrong.status == "not equal" and wrong.compared == "lhs - rhs"


def test_what_is_true_elsewhere_in_the_derivation_is_not_the_step(mp):
    """M = closed form holds in the derivation, but it is not the quadratic M solves."""
    pasted = r"M_\kappa(x) = \frac{2}{x + 1 - \kappa^{-1} + \sqrt{(x + 1 + \kappa^{-1})^2 - 4/\kappa}}"
    assert compare(mp, "M-closed", pasted).status == "equal"
    assert compare(mp, "M-quadratic", pasted).status == "not equal"


def test_every_step_printed_by_derive_reads_back_equal(mp):
    """The LaTeX derive prints for a step, pasted back, is the step (a definition by meaning and
    the O() of a series excepted)."""
    from derive.latex import printer

    show = printer(mp).doprint
    for step in mp.ordered():
        if step.label in ("stieltjes-def", "mp-moments"):
            continue
        assert compare(mp, step.label, show(step.statement)).status == "equal", step.label


def test_unknown_step_and_meaning_definitions_are_usage_errors(mp):
    with pytest.raises(UsageError, match="did you mean 'M-closed'"):
        compare(mp, "M-closd", "x")
    with pytest.raises(UsageError, match="by its meaning"):
        compare(mp, "stieltjes-def", "x")


# -- the command line ----------------------------------------------------------------------------

def test_the_command_prints_the_verdict_and_exits_by_it():
    code, out, err = cli("compare", MP, "M-closed", "--latex", M_CLOSED)
    assert code == 0 and out[0].startswith("read:  2/(1 + x + √(") and out[1].startswith("equal: the right side")
    code, out, err = cli("compare", MP, "M-closed", "--latex", M_WRONG)
    assert code == 1 and out[1].startswith("not equal:") and out[2].startswith("  M-closed: ")
    assert out[3].startswith("  paste: ")
    code, out, err = cli("compare", MP, "M-closed", "--latex", r"\frac{2}{\kappa(x)}")
    assert code == 2 and out == [] and len(err) == 1 and err[0].startswith("derive: error: ambiguous:")
    code, out, err = cli("compare", MP, "no-step", "--latex", "x")
    assert code == 2 and len(err) == 1 and "no step 'no-step'" in err[0]


def test_lu2025_names_as_papers_write_them():
    """e^{IDG} (the derivation prints e^{\\mathrm{IDG}}), x_* (x^{*}), \\varepsilon, M_{\\kappa/\\tau}."""
    lu = load("lu2025")
    pasted = (r"e^{IDG} = \tau\left(\frac{\rho + x_* - 2 x_*(1-\tau)(1 + x_*/\varepsilon)}"
              r"{1 - \tau - \frac{(1-\tau)^2}{1 - \kappa (1 + \varepsilon\kappa/(1-\tau))^{-2}}}"
              r" + \frac{(\varepsilon + x_*)^2}{\varepsilon}\right)")
    assert compare(lu, "e-idg-ridgeless-lt1", pasted).status == "equal"
    wrong = compare(lu, "icl-kappa-infinity", r"\frac{\tau}{\tau - 1}\left(\rho + x_*\right)")
    assert wrong.status == "not equal" and "x_star=" in wrong.point

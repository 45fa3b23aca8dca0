"""Edges and faults, third round (issue 26): wrong or silent numbers, crashes and hangs, and the
output contracts.  Each test failed on the code before its fix.

Most cases run in-process through :func:`derive.cli.main` (fast); the ones about a process's
own stdout (``--json`` after a derivation file that prints or forks) run in a subprocess.
"""

import json
import math
import os
import subprocess
import sys

import pytest

from test_faults import cli, one_line  # noqa: F401 (the shared in-process runner and its check)


# --- a parameter given twice; the value shown as given ---------------------------------------

@pytest.mark.parametrize("argv, text", [
    (["law", "mp(c)", "c=0.5", "c=0.6", "--moments", "2"], "c is given twice (c=0.5 and c=0.6)"),
    (["eval", "marchenko-pastur", "M", "kappa=0.5", "kappa=0.6", "x=1"], "kappa is given twice (kappa=0.5 and"),
], ids=["law", "eval"])
def test_a_parameter_given_twice_is_refused(capsys, argv, text):
    code, out, err = cli(capsys, *argv)
    one_line(code, err, text)
    assert out == ""


def test_an_error_message_shows_the_value_as_given(capsys):
    code, _, err = cli(capsys, "eval", "marchenko-pastur", "M", "kappa=-1.0000001", "x=1")
    one_line(code, err, "kappa=-1.0000001: kappa must be > 0")


@pytest.mark.parametrize("validate, values, text", [
    ("derivations.takanami2025_low_rank:check_rank", {"rank_ratio": 1.0000001},
     "rank_ratio=1.0000001: rank_ratio must be in (0, 1]"),
    ("derivations.letey2025_alignment:PowerLawDomain", {"p": 1.0000001}, "p=1.0000001: must be in (0, 1)"),
], ids=["takanami2025 rank_ratio", "letey2025 p"])
def test_a_papers_domain_message_shows_the_value_as_given(validate, values, text):
    import importlib

    import numpy as np
    import sympy as sp

    from derive.errors import UsageError

    module, name = validate.split(":")
    function = getattr(importlib.import_module(module), name)
    function = function() if isinstance(function, type) else function
    symbols = {"rank_ratio": getattr(importlib.import_module(module), "rho", None)}
    arrays = {symbols.get(k) or sp.Symbol(k): np.array([v]) for k, v in values.items()}
    with pytest.raises(UsageError) as caught:
        function(arrays)
    assert text in str(caught.value)


def test_a_default_tied_to_a_parameter_not_given_is_a_missing_parameter():
    import sympy as sp

    from derive.errors import UsageError
    from derive.grid import parse_assignments

    alpha, alpha_test, kappa = sp.symbols("alpha alpha_test kappa", positive=True)
    with pytest.raises(UsageError) as caught:  # letey2025: alpha_test defaults to alpha
        parse_assignments(["kappa=0.5"], [alpha, alpha_test, kappa], {alpha_test: alpha})
    assert str(caught.value) == "missing parameter alpha (give alpha=...)"


# --- cache and output files: garbage, the wrong type, a FIFO; writes cut short -----------------

@pytest.mark.parametrize("kind", ["fifo", "list"])
def test_an_output_manifest_that_is_not_one_is_ignored(tmp_path, kind):
    manifest = tmp_path / ".derive-manifest.json"
    if kind == "fifo":
        os.mkfifo(manifest)
    else:
        manifest.write_bytes(b"[1, 2]")
    code = ("import sys; from derive.output import OutputDirectory; "
            "out = OutputDirectory(sys.argv[1]); out.write_text('a.txt', 'x'); print(out.manifest.get('a.txt') is not None)")
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "True"


@pytest.mark.parametrize("module", ["cachefiles", "output"])
def test_a_write_cut_short_by_ctrl_c_leaves_no_temporary_file(tmp_path, monkeypatch, module):
    from derive import cachefiles, output

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        if module == "cachefiles":
            cachefiles.write(tmp_path / "entry.json", b"{}")
        else:
            output.replace_text(tmp_path / "entry.json", "{}")
    assert list(tmp_path.iterdir()) == []


# --- --json: exactly one valid document whatever the derivation file does -------------------

DEMO = """
import os, sys
import sympy as sp
from derive import Derivation
{prelude}
D = Derivation("demo", title="Demo")
a, b, s = sp.symbols("a b s", positive=True)
D.define("s-def", sp.Eq(s, a + b))
D.step("s-square", sp.Eq(s**2, a**2 + 2*a*b + b**2), uses=["s-def"])
derivation = D
"""

PRELUDES = {
    "prints": 'print("hello from the derivation file"); sys.stdout.flush(); os.write(1, b"raw bytes\\n")',
    "forks": 'pid = os.fork()',
    "fails": 'raise ValueError("the derivation file is broken")',
}


def strict_json(text):
    """The one document ``text`` holds, parsed as RFC 8259 says (no NaN, no Infinity)."""
    def refuse(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("argv", [["check", "--json"], ["graph", "--format", "json"]], ids=["check", "graph"])
@pytest.mark.parametrize("prelude", sorted(PRELUDES))
def test_json_is_one_valid_document_whatever_the_file_does(tmp_path, argv, prelude):
    path = tmp_path / "demo.py"
    path.write_text(DEMO.format(prelude=PRELUDES[prelude]))
    env = dict(os.environ, DERIVE_CACHE_DIR=str(tmp_path / "cache"))
    run = subprocess.run([sys.executable, "-m", "derive", argv[0], str(path), *argv[1:]], capture_output=True,
                         text=True, timeout=120, env=env)
    document = strict_json(run.stdout)  # one document: json.loads refuses trailing data
    if prelude == "fails":
        assert run.returncode != 0 and document["exit"] == run.returncode and "broken" in document["error"]
    else:
        assert run.returncode == 0, run.stderr
        assert "demo" in json.dumps(document)
    if prelude == "prints":
        assert "hello from the derivation file" in run.stderr and "raw bytes" in run.stderr


def test_a_non_finite_number_in_a_check_result_is_valid_json():
    from derive.check.result import CheckResult, to_json

    result = CheckResult(label="s", kind="step", status="verified", method="numeric",
                         details={"error": math.inf, "worst": [math.nan, -math.inf, 1.5]})
    steps = strict_json(to_json([result], "demo"))["steps"]
    assert steps[0]["details"] == {"error": "inf", "worst": ["nan", "-inf", 1.5]}


# --- derive law: edges, atoms, overflow; the density never negative --------------------------

@pytest.mark.parametrize("argv, text", [
    (["law", "powerlaw(0.5)", "--stieltjes=0.5"], "--stieltjes 0.5: m(z) of powerlaw(0.5) is infinite there"),
    (["law", "mp(2)", "--stieltjes=0"], "--stieltjes 0: m(z) of mp(2) is infinite there"),
    (["law", "1e300*powerlaw(0.001)", "--moments", "3"], "--moments 3: past double precision"),
    (["law", "powerlaw(0.5)*mp(1e300)", "--stieltjes", "2+1j"], "--stieltjes: cannot be computed in double"),
], ids=["edge", "atom", "moments-overflow", "stalled"])
def test_a_law_value_that_is_not_a_finite_number_is_one_line(capsys, argv, text):
    code, out, err = cli(capsys, *argv)
    one_line(code, err, text)
    assert "nan" not in out and "inf" not in out.split("curve:")[-1]
    assert "Warning" not in err


@pytest.mark.parametrize("z", [-1e300, 1e300, -1e200])
def test_the_stieltjes_transform_far_out_is_minus_one_over_z(capsys, z):
    code, out, err = cli(capsys, "law", "mp(0.5)", f"--stieltjes={z!r}")
    assert code == 0 and "Warning" not in err, err
    value = complex(out.strip().splitlines()[-1].split("=")[1].replace(" ", "").replace("i", "j"))
    assert value == pytest.approx(-1 / z, rel=1e-9)


def test_the_density_of_a_free_product_is_never_negative():
    import numpy as np

    from derive.rmt.expression import parse_law

    xs = np.linspace(0.055, 0.0625, 76)  # the lower edge, where Im m is rounding (-4e-29 before)
    density = parse_law("powerlaw(0.5) * mp(0.5)").density(xs)
    assert density.min() == 0.0 and density.max() > 0.25


def test_a_negative_im_m_beyond_rounding_is_not_clipped():
    import numpy as np

    from derive.rmt.stieltjes import density_from_stieltjes

    assert density_from_stieltjes(np.array([1 - 1e-30j])).tolist() == [0.0]
    with pytest.raises(ArithmeticError):
        density_from_stieltjes(np.array([1 - 1e-3j]))


# --- an endpoint singularity near -1: certified, never nan -----------------------------------

INTEGRAL = """
import sympy as sp
from derive import Derivation

D = Derivation("integ", title="Integral")
a, u, I = sp.symbols("a u I", positive=True)
D.define("I-def", sp.Eq(I, sp.Integral(u**(a - 1), (u, 0, 1))))
D.quantity("I", sp.Integral(u**(a - 1), (u, 0, 1)), [a], uses=["I-def"])
derivation = D
"""


def test_an_integral_with_a_singularity_near_minus_one_is_one_over_a(capsys, tmp_path):
    path = tmp_path / "integ.py"
    path.write_text(INTEGRAL)
    code, out, err = cli(capsys, "eval", str(path), "I", "a=0.01,0.001")
    assert code == 0 and "warning" not in err, err
    values = [float(line.split(",")[1]) for line in out.strip().splitlines()[1:]]
    assert values == pytest.approx([100.0, 1000.0], rel=1e-12)


def test_the_kernel_encloses_a_power_at_its_endpoint_singularity():
    import sympy as sp

    from derive.check.kernel.balls import enclose

    a, u = sp.symbols("a u", positive=True)
    ball = enclose(sp.Integral(u ** (a - 1), (u, 0, 1)), {a: sp.Rational(1, 300)}, prec=80)
    assert ball.real.contains(300) and float(ball.real.rad()) < 1e-15


# --- a point whose cost has no bound is refused within its budget ----------------------------

def test_an_evaluation_past_its_cpu_budget_is_one_line_naming_the_point(capsys, monkeypatch, tmp_path):
    """The mechanism behind letey2025 e_powerlaw at p=1e-12 (minutes a point before; refused
    after 60.5 CPU seconds now): here a point of Arb quadrature under a budget made tiny."""
    from derive import cli as cli_module
    from derive.budget import cpu_limit

    path = tmp_path / "integ.py"
    path.write_text(INTEGRAL)
    assert cli(capsys, "eval", str(path), "I", "a=0.5")[0] == 0  # built and lowered outside the budget
    monkeypatch.setattr(cli_module, "EVAL_SECONDS", 0.05)
    monkeypatch.setattr(cli_module, "EVAL_SECONDS_PER_POINT", 0)
    with cpu_limit(60):
        code, out, err = cli(capsys, "eval", str(path), "I", "a=0.0001,0.00011,0.00012")
    one_line(code, err, "I on 3 points (the first at a=0.0001): not computed within 0.05 CPU seconds")
    assert out == ""


# --- derive mc: a standard error of 0 and an impossible extrapolation are flagged -------------

def test_a_standard_error_of_zero_is_flagged_never_z_nan():
    from derive.crosscheck import Row, table, to_csv

    same = Row({"lam": 1e300}, "e_icl", 1.01, [8, 12], [1.01, 1.01], [0.0, 0.0], 1.01, 0.0, 0.0)
    off = Row({"lam": 1e300}, "e_icl", 1.0, [8, 12], [1.01, 1.01], [0.0, 0.0], 1.01, 0.0, 0.0)
    assert same.z == 0.0 and off.z == math.inf
    assert "standard error 0" in same.flag and "different from the theory" in off.flag
    text = table([same, off])
    assert "nan" not in text and "exact" in text and "se=0" in text
    assert "note: e_icl at lam=1e+300: standard error 0" in text
    import csv

    rows = list(csv.reader(to_csv([off]).splitlines()))
    assert rows[0][-2:] == ["z", "flag"] and rows[1][-2] == "" and "standard error 0" in rows[1][-1]


def test_an_extrapolation_below_what_the_observable_can_take_is_flagged():
    from derive.crosscheck import Row, table

    row = Row({"lam": 1e300}, "e_idg", 1.01, [8, 12], [1.1071, 0.8006], [0.1045, 0.0355], -0.068, 0.2, 0.0)
    assert "extrapolation -0.068 < 0, impossible for e_idg" in row.flag
    assert "-5.4!" in table([row])
    fine = Row({"lam": 1.0}, "e_idg", 1.0, [8, 12], [1.1, 1.05], [0.01, 0.01], 0.95, 0.02, 0.0)
    assert fine.flag is None and fine.z_text() == "-2.5"


@pytest.mark.parametrize("law, option", [("1e300*mp(0.5)", "--support"), ("1e300*semicircle(1)", "--stieltjes=1"),
                                         ("powerlaw(0.5)+semicircle(1)", "--stieltjes=1e300j")])
def test_a_curve_past_double_precision_is_one_line(capsys, law, option):
    code, _, err = cli(capsys, "law", law, option)
    one_line(code, err, "cannot be computed in double precision (the curve's coefficients leave double")

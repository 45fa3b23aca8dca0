"""Every command with missing, malformed, out-of-range, non-finite and contradictory input:
one line on stderr naming the problem, exit 2 (usage) or 1 (not established), no traceback.

Run as a user would, in a subprocess, so nothing in-process can hide a traceback.
"""

import subprocess
import sys

import pytest

LU = ["eval", "lu2025", "e_icl"]
GOOD = {"alpha": "1", "kappa": "0.5", "tau": "2", "rho": "0.01", "lam": "0.1"}


def lu(**changes):
    values = dict(GOOD, **changes)
    return LU + [f"{k}={v}" for k, v in values.items() if v is not None]


CASES = [
    # (argv, exit code, text the line must contain)
    ([], 2, "required"),
    (["frobnicate"], 2, "invalid choice"),
    (["check"], 2, "required"),
    (["check", "no-such-file.py"], 2, "no such file"),
    (["check", "marchenko-pasteur"], 2, "known: "),
    (["show", "marchenko-pastur", "no-step"], 2, "known: stieltjes-def"),
    (["check", "marchenko-pastur", "--step", "no-step"], 2, "no step 'no-step'"),
    (lu(alpha="0"), 2, "alpha=0: alpha must be > 0"),
    (lu(kappa="-1"), 2, "kappa=-1: kappa must be > 0"),
    (lu(rho="nan"), 2, "rho=nan: rho must be a number"),
    (lu(alpha="inf"), 2, "alpha=inf: alpha must be finite"),
    (lu(tau="1", lam="0") + ["--strict"], 2, "tau=1 with lam=0"),  # without --strict: a nan row
    (lu(tau="1:2:0"), 2, "at least 1 point"),
    (lu(tau="1:2"), 2, "start:stop:num"),
    (lu(tau="0:2:3log"), 2, "log-spaced range needs start > 0"),
    (lu(tau="a"), 2, "'a' is not a number"),
    (lu(lam=None), 2, "missing parameter lam"),
    (lu(beta="1"), 2, "unknown parameter 'beta'"),
    (["eval", "lu2025", "e_xyz", "alpha=1"], 2, "unknown quantity 'e_xyz'"),
    (["mc", "lu2025", "alpha=1", "kappa=0.5", "tau=2", "rho=0.01", "lam=1", "--trials", "1"], 2, "at least 2 trials"),
    (["mc", "lu2025", "alpha=1", "kappa=0.5", "tau=2", "rho=0.01", "lam=1", "--d", "0"], 2, "at least 2"),
    (["mc", "lu2025", "alpha=-1", "kappa=0.5", "tau=2", "rho=0.01", "lam=1"], 2, "alpha must be > 0"),
    (["latex", "marchenko-pastur", "--fragment", "--pdf"], 2, "needs a whole document"),
    (["latex", "marchenko-pastur", "-o", "/no/such/dir/x.tex"], 2, "does not exist"),
    (["graph", "marchenko-pastur", "--format", "svg"], 2, "invalid choice"),
    (["figure", "lu2025", "fig9"], 2, "unknown figure 'fig9'"),
    (["figure", "marchenko-pastur"], 2, "has no figures"),
    (["reproduce", "no-such-derivation"], 2, "unknown derivation"),
    (["mutate", "no-such-derivation"], 2, "unknown derivation"),
    (["eval", "marchenko-pastur", "M", "kappa=0.5", "--strict", "x=1"], 2, "see 'derive eval --help'"),
    (["compare", "marchenko-pastur", "M-closed", "--latex", r"\frac{2}{y}"], 2, "'y' is no name of the derivation"),
    (["compare", "marchenko-pastur", "M-closed", "--latex", r"x + * 2"], 2, "the LaTeX does not parse"),
    (["compare", "marchenko-pastur", "M-closd", "--latex", "x"], 2, "did you mean 'M-closed'"),
    (["compare", "marchenko-pastur", "M-closed"], 2, "--latex"),
    (["law", "powerlaw(0.5)/0", "--moments", "2"], 2, "divided by 0"),
    (["law", "mp(0.5)/0", "--moments", "2"], 2, "divided by 0"),
    (["law", "inv(powerlaw(0.5))", "--moments", "2"], 2, "not algebraic"),
    (["law", "powerlaw_spectrum(0, 10)", "--moments", "2"], 2, "the exponent alpha must be > 0"),
    (["law", "powerlaw_spectrum(1.5, 0)", "--moments", "2"], 2, "P must be an integer >= 1"),
    (["law", "powerlaw_spectrum(1.5, 10)", "--density", "0:1:5"], 2, "finite spectrum"),
]


#: One `derive` process per case (1.2 to 5 s of CPU each, a fresh interpreter importing sympy):
#: 90 s in all, in CI but not in the fast loop.
pytestmark = pytest.mark.slow

def derive(*argv, cwd=None):
    return subprocess.run([sys.executable, "-m", "derive", *argv], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.mark.parametrize("argv, code, text", CASES, ids=[" ".join(c[0])[:60] or "nothing" for c in CASES])
def test_bad_input_is_one_clear_line(argv, code, text):
    run = derive(*argv)
    assert run.returncode == code, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("derive: ") and text in lines[0]


FILES = {
    "syntax.py": ("import sympy as sp\nderivation = (\n", 2, "syntax error"),
    "cycle.py": ("import sympy as sp\nfrom derive import Derivation\na, b = sp.symbols('a b')\n"
                 "D = Derivation('c')\nD.parameter(a, b)\nD.step('x', sp.Eq(a, b), uses=['y'])\n"
                 "D.step('y', sp.Eq(b, a), uses=['x'])\nderivation = D\n", 1, "cycle"),
    "raises.py": ("raise RuntimeError('boom')\n", 1, "RuntimeError: boom"),
    "empty.py": ("x = 1\n", 2, "defines no `derivation`"),
    "undeclared.py": ("import sympy as sp\nfrom derive import Derivation\na, b = sp.symbols('a b')\n"
                      "D = Derivation('u')\nD.define('d', sp.Eq(a, 1))\nD.step('s', sp.Eq(a + b, b + 1), uses=['d'])\n"
                      "derivation = D\n", 1, "undeclared symbol b"),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_bad_derivation_files(tmp_path, name):
    source, code, text = FILES[name]
    path = tmp_path / name
    path.write_text(source)
    for command in ("check", "latex", "graph", "mutate"):
        run = derive(command, str(path), cwd=tmp_path)
        assert run.returncode == code, (command, run.stderr)
        assert "Traceback" not in run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and text in lines[0], (command, run.stderr)
        assert path.read_text() == source  # never modified

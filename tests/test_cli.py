"""The command line as a user meets it: exit codes, one-line errors, files left alone."""

import json
import re
import subprocess
import sys

import networkx as nx
import pytest

from derive.cli import main
from derive.registry import load


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_file_checks(capsys, demo_file):
    code, out, err = run(capsys, "check", str(demo_file))
    assert code == 0, err
    assert re.search(r"s-square\s+algebra\s+verified\s+symbolic", out)


def test_mutated_demo_exits_1_and_names_the_step(capsys, demo_file):
    original = demo_file.read_text()
    mutated = original.replace("a**2 + 2*a*b + b**2", "a**2 + 3*a*b + b**2")
    assert mutated != original
    demo_file.write_text(mutated)
    code, out, err = run(capsys, "check", str(demo_file))
    assert code == 1
    assert "step 's-square' failed" in err
    assert demo_file.read_text() == mutated  # checking never edits the file


@pytest.mark.parametrize("edit, message", [
    (('uses=["s-def"]', 'uses=["s-definition"]'), "uses 's-definition', which is not a step"),
    (('uses=["s-def"]', 'uses=["s-def", "s-square"]'), "cycle"),
    (("a**2 + 2*a*b + b**2", "a**2 + 2*a*b + b**2 + t - t + q"), "undeclared symbol q"),
])
def test_structural_errors_are_one_clear_line(capsys, demo_file, edit, message):
    source = demo_file.read_text().replace(*edit)
    if "q" in message:
        source = source.replace('a, b, s = sp.symbols("a b s", positive=True)',
                                'a, b, s, t, q = sp.symbols("a b s t q", positive=True)')
    demo_file.write_text(source)
    code, out, err = run(capsys, "check", str(demo_file))
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_syntax_error_in_a_derivation_file(capsys, tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sympy as sp\nderivation = (\n")
    code, _, err = run(capsys, "check", str(bad))
    assert code == 2
    assert re.match(r"derive: error: .*bad\.py:\d+: syntax error", err)


def test_unknown_derivation_lists_the_known_ones(capsys):
    code, _, err = run(capsys, "check", "marchenko-pasteur")
    assert code == 2
    assert "unknown derivation 'marchenko-pasteur'; did you mean 'marchenko-pastur'? (known: " in err
    assert "marchenko-pastur)" in err or "marchenko-pastur," in err


def test_usage_errors_exit_2(capsys):
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and err.startswith("derive: error:") and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "check")
    assert code == 2


def test_unknown_step_lists_known_steps(capsys):
    code, _, err = run(capsys, "show", "marchenko-pastur", "no-such-step")
    assert code == 2 and "known: stieltjes-def" in err


def test_graph_dot_has_one_node_per_step(capsys):
    code, out, _ = run(capsys, "graph", "marchenko-pastur", "--format", "dot")
    assert code == 0
    D = load("marchenko-pastur")
    assert out.startswith('digraph "marchenko-pastur" {') and out.rstrip().endswith("}")
    nodes = re.findall(r'^\s+"([^"]+)" \[label=', out, flags=re.M)
    edges = re.findall(r'^\s+"([^"]+)" -> "([^"]+)";', out, flags=re.M)
    assert sorted(nodes) == sorted(step.label for step in D)
    assert set(edges) == set(D.graph.edges)
    # Every statement line is a node, an edge, or the fixed header/footer: nothing else.
    body = [l for l in out.splitlines()[3:-1]]
    assert len(body) == len(nodes) + len(edges)


def test_graph_dot_is_accepted_by_graphviz(tmp_path):
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("graphviz not installed")
    text = subprocess.run([sys.executable, "-m", "derive", "graph", "marchenko-pastur"],
                          capture_output=True, text=True, check=True).stdout
    subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, check=True)


def test_graph_json_round_trips(capsys):
    code, out, _ = run(capsys, "graph", "marchenko-pastur", "--format", "json")
    assert code == 0
    graph = nx.node_link_graph(json.loads(out), edges="edges")
    assert set(graph.nodes) == {step.label for step in load("marchenko-pastur")}


def test_outputs_never_overwrite_without_force(capsys, tmp_path):
    target = tmp_path / "mine.tex"
    target.write_text("my notes")
    code, _, err = run(capsys, "latex", "marchenko-pastur", "-o", str(target))
    assert code == 2 and "exists; pass --force" in err
    assert target.read_text() == "my notes"
    code, _, _ = run(capsys, "latex", "marchenko-pastur", "-o", str(target), "--force")
    assert code == 0 and target.read_text().startswith(r"\documentclass")


def test_eval_grid_csv(capsys):
    code, out, err = run(capsys, "eval", "marchenko-pastur", "M", "kappa=0.5", "x=0.1:1:3")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == "kappa,x,M"
    assert len(lines) == 4
    # Lu et al.'s M_kappa (the authors' code M_kappa): M_0.5(0.1) = 5.4221, M_0.5(1) = 0.70711.
    assert abs(float(lines[1].split(",")[2]) - 5.4221) < 1e-4
    assert abs(float(lines[3].split(",")[2]) - 0.70711) < 1e-5


@pytest.mark.parametrize("args, message", [
    (["kappa=0", "x=1"], "kappa=0: kappa must be > 0"),
    (["kappa=-1", "x=1"], "kappa=-1: kappa must be > 0"),
    (["kappa=nan", "x=1"], "kappa must be a number"),
    (["kappa=inf", "x=1"], "kappa must be finite"),
    (["kappa=0.5", "x=1:2:0"], "at least 1 point"),
    (["kappa=0.5"], "missing parameter x"),
    (["kappa=0.5", "x=1", "y=2"], "unknown parameter 'y'"),
    (["kappa=0.5", "x=abc"], "'abc' is not a number"),
    (["kappa=0.5", "x=1,,2"], "an empty item"),
])
def test_eval_bad_parameters(capsys, args, message):
    code, out, err = run(capsys, "eval", "marchenko-pastur", "M", *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert out == ""


def test_eval_unknown_quantity_lists_known(capsys):
    code, _, err = run(capsys, "eval", "marchenko-pastur", "Q", "kappa=1")
    assert code == 2 and "known: M, M_prime, m" in err


@pytest.mark.slow  # a first `derive list` in a new process: 8 CPU s
def test_console_script_and_module_agree():
    module = subprocess.run([sys.executable, "-m", "derive", "list"], capture_output=True, text=True)
    assert module.returncode == 0 and "marchenko-pastur" in module.stdout


def test_tutorial_examples_check(capsys):
    from tests.conftest import EXAMPLES

    for example in ("demo.py", "semicircle.py"):
        code, out, err = run(capsys, "check", str(EXAMPLES / example))
        assert code == 0, (example, err)


# ---- the everyday loop: help, suggestions, notation ---------------------------------------------

def test_every_argument_of_every_verb_has_help():
    import argparse

    from derive.cli import build_parser

    parser = build_parser()
    verbs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = [f"{name} {action.option_strings or action.dest}" for name, sub in verbs.choices.items()
               for action in sub._actions if not action.help or action.help == argparse.SUPPRESS]
    missing += [f"derive {a.option_strings}" for a in parser._actions if not a.help]
    assert missing == []
    assert {choice.dest for choice in verbs._choices_actions} >= {"reproduce", "figure", "show"}


@pytest.mark.parametrize("argv, suggestion", [
    (["show", "lu2052"], "unknown derivation 'lu2052'; did you mean 'lu2025'? (known: "),
    (["show", "marchenko-pastur", "M-prime-compat"], "did you mean 'M-prime-compact'? (known: "),
    (["eval", "marchenko-pastur", "MM", "kappa=1", "x=1"], "unknown quantity 'MM' for marchenko-pastur; did you mean 'M'?"),
    (["eval", "marchenko-pastur", "M", "kapa=1", "x=1"], "unknown parameter 'kapa'; did you mean 'kappa'?"),
    (["check", "marchenko-pastur", "--step", "subordinaton"], "did you mean 'subordination'?"),
])
def test_an_unknown_name_gets_one_line_with_the_closest_known(capsys, argv, suggestion):
    code, out, err = run(capsys, *argv)
    assert code == 2 and suggestion in err and len(err.strip().splitlines()) == 1 and not out


def test_no_suggestion_when_nothing_is_close(capsys):
    code, _, err = run(capsys, "show", "zzzzzz")
    assert code == 2 and "did you mean" not in err and "known: " in err


def test_show_prints_the_derivations_notation_and_keeps_latex_and_python(capsys):
    code, out, _ = run(capsys, "show", "marchenko-pastur", "M-prime-compact")
    assert code == 0
    assert "M_κ'(x) = - ((κ + M_κ(x)) M_κ²(x))/(κ + x M_κ²(x))" in out and "$" not in out and "**" not in out
    out = run(capsys, "show", "marchenko-pastur", "M-prime-compact", "--latex")[1]
    assert r"M_{\kappa}'\left(x\right) = - \frac{" in out
    out = run(capsys, "show", "marchenko-pastur", "M-prime-compact", "--python")[1]
    assert "Derivative(M(kappa, x), x) = -(kappa + M(kappa, x))*M(kappa, x)**2/(kappa + x*M(kappa, x)**2)" in out


def test_plain_math_notation():
    from derive.notation import plain, plain_text

    assert plain(r"\frac{a + b}{2 c}") == "(a + b)/(2 c)" and plain(r"\sqrt{x}") == "√x"
    assert plain(r"x_{j}^{2} \leq \infty") == "xⱼ² ≤ ∞" and plain(r"e_{\mathrm{icl}}") == "e_icl"
    assert plain(r"\hat{y}_{\mathrm{attention}}") == "ŷ_attention"
    assert plain_text(r"the $M_\kappa$ form") == "the M_κ form"

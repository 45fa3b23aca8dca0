"""derive mc, derive figure and derive reproduce, as a user runs them (small sizes)."""

import json

import numpy as np
import pytest

from derive.cli import main
from derive.registry import load
from derivations.lu2025_figures import first_minimum


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_mc_prints_theory_simulation_and_extrapolation(capsys):
    code, out, err = run(capsys, "mc", "lu2025", "alpha=1", "kappa=0.5", "tau=2", "rho=0.01", "lam=1",
                         "--d", "6,8", "--trials", "3", "--seed", "4")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert "d=inf (1/d fit)" in lines[0] and len(lines) == 5 and lines[-1].startswith("2 comparisons:")
    assert "0.8731" in lines[1]  # the theory column: the authors' code gives 0.8730764363
    again = run(capsys, "mc", "lu2025", "alpha=1", "kappa=0.5", "tau=2", "rho=0.01", "lam=1",
                "--d", "6,8", "--trials", "3", "--seed", "4")[1]
    assert again == out  # reproducible by seed


@pytest.mark.parametrize("args, message", [
    (["--trials", "1"], "at least 2 trials"),
    (["--d", "1,8"], "at least 2"),
    (["--d", "a"], "whole numbers"),
])
def test_mc_bad_options(capsys, args, message):
    code, _, err = run(capsys, "mc", "lu2025", "alpha=1", "kappa=0.5", "tau=2", "rho=0.01", "lam=1", *args)
    assert code == 2 and message in err


def test_mc_without_simulator(capsys):
    code, _, err = run(capsys, "mc", "marchenko-pastur", "x=1")
    assert code == 2 and "has no simulator" in err


def test_figure_writes_png_and_csv_and_protects_edits(capsys, tmp_path):
    code, out, err = run(capsys, "figure", "lu2025", "task-diversity", "--quick", "-o", str(tmp_path), "--style",
                         "pnas")
    assert code == 0, err
    png, table = tmp_path / "task-diversity.png", tmp_path / "task-diversity.csv"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png.read_bytes()[16:20], "big") == round(3.42 * 300)  # a PNAS column at 300 dpi
    assert (tmp_path / "task-diversity.pdf").read_bytes()[:5] == b"%PDF-"
    rows = table.read_text().splitlines()
    assert rows[0] == "panel,quantity,alpha,tau,rho,lam,kappa,d,theory,sim_mean,sim_se" and len(rows) > 1000
    # Re-running replaces derive's own, unchanged files...
    assert run(capsys, "figure", "lu2025", "task-diversity", "--quick", "-o", str(tmp_path))[0] == 0
    # ...but not a file the user edited.
    table.write_text("my edits")
    code, _, err = run(capsys, "figure", "lu2025", "task-diversity", "--quick", "-o", str(tmp_path))
    assert code == 2 and "edited" in err and table.read_text() == "my edits"


def test_unknown_figure_lists_known(capsys, tmp_path):
    code, _, err = run(capsys, "figure", "lu2025", "fig9", "-o", str(tmp_path))
    assert code == 2 and "known: double-descent" in err


def test_reproduce_writes_everything(capsys, tmp_path):
    out = tmp_path / "mp"
    code, _, err = run(capsys, "reproduce", "marchenko-pastur", "-o", str(out))
    assert code == 0, err
    for name in ("check.txt", "check.json", "marchenko-pastur.tex", "report.md"):
        assert (out / name).exists(), name
    report = (out / "report.md").read_text()
    assert "3 definition, 14 verified" in report
    assert json.loads((out / "check.json").read_text())["derivation"] == "marchenko-pastur"
    assert err.strip().splitlines()[-1].startswith("marchenko-pastur: 14 of 17 steps verified, 3 definitions")
    # A rerun that changes nothing rewrites report.md byte for byte.
    code, _, err = run(capsys, "reproduce", "marchenko-pastur", "-o", str(out))
    assert code == 0 and "[check] kept" in err and (out / "report.md").read_text() == report


def test_reproduce_exits_1_when_a_step_fails(capsys, tmp_path, demo_file):
    demo_file.write_text(demo_file.read_text().replace("2*a*b", "3*a*b"))
    code, _, err = run(capsys, "reproduce", str(demo_file), "-o", str(tmp_path / "demo"))
    assert code == 1 and "not established" in err
    assert "s-square" in (tmp_path / "demo" / "report.md").read_text()


def test_first_minimum_matches_the_authors_code():
    """Digest section 4: ICL, tau = 0.5, rho = 0.1, alpha = logspace(-2, 3, 500)."""
    D = load("lu2025")
    from derive.lower import lower_quantity

    f = lower_quantity(D, "e_icl")
    alpha = np.logspace(-2, 3, 500)
    kappa = np.array([0.2, 0.4, 0.5, 0.6, 0.7])
    minima = first_minimum(f(alpha[None, :], kappa[:, None], 0.5, 0.1, 0.0), alpha)
    expected = [2.32, 5.44, 9.68, 22.74]
    # The authors' code reports grid values; the grid spacing is 2.3% in alpha.
    assert np.allclose(minima[:4], expected, rtol=0.03)
    assert np.isnan(minima[4])


def test_mc_protocol_is_one_the_model_declares(capsys, tmp_path):
    args = ["mc", "lu2025", "alpha=1", "kappa=0.5", "tau=2", "rho=0.01", "lam=1", "--d", "6,8", "--trials", "3",
            "--store", str(tmp_path)]
    code, derive_out, err = run(capsys, *args)
    assert code == 0, err
    code, authors_out, err = run(capsys, *args, "--protocol", "authors")
    assert code == 0, err
    # The same theory column, other simulated numbers; each protocol's trials in its own sweep.
    assert derive_out.splitlines()[1].split()[6] == authors_out.splitlines()[1].split()[6] == "0.8731"
    assert derive_out != authors_out
    assert len(list(tmp_path.glob("*/sweep.json"))) == 2
    code, _, err = run(capsys, *args, "--protocol", "paper")
    assert code == 2 and err.strip().splitlines() == [
        "derive: error: --protocol paper: this model offers derive, authors (default derive)"]


@pytest.mark.parametrize("args, message", [
    (["--paper-size"], "--paper-size: marchenko-pastur declares no paper-size simulations"),
    (["--protocol", "authors"], "--protocol authors: marchenko-pastur has no model to simulate"),
])
def test_reproduce_refuses_what_the_paper_does_not_declare(capsys, tmp_path, args, message):
    code, _, err = run(capsys, "reproduce", "marchenko-pastur", "-o", str(tmp_path / "mp"), *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "mp").exists()


TWO_PROTOCOLS = '''
import numpy as np
import sympy as sp

from derive import Derivation
from derive.crosscheck import Simulator
from derive.figures import Curve, Figure, Panel, Simulation
from derive.montecarlo import Estimate, sweep
from derive.registry import Paper

a, s = sp.symbols("a s", positive=True)


def build():
    D = Derivation("twoproto", title="Two protocols")
    D.define("s-def", sp.Eq(s, 2 * a))
    D.quantity("s", "s-def", (a,))
    return D


def sample(rng, d, values, protocol="derive"):
    shift = 1.0 / d if protocol == "shifted" else 0.0
    return {"s": 2 * values["a"] + shift + rng.standard_normal() / d}


MODEL = Simulator(sample, (a,), {"s": "s"}, points=[{"a": 1.0}], default_sizes=(4, 8), default_trials=3,
                  protocols={"derive": "unbiased", "shifted": "biased by 1/d"})


def figure(paper, quick=False, seed=0, protocol=None, paper_size=False):
    sizes = (8, 16) if paper_size else (4, 8)
    draws = sweep(paper.model.sampler(protocol), [{"a": 1.0}], sizes, 3, seed)
    estimates = {d: [Estimate.of([r["s"] for r in draws[0, d]])] for d in sizes}
    note = {1.0: "a note"} if protocol == "shifted" else {}
    panel = Panel("p", "a", "s", curves=[Curve("c", np.array([1.0]), np.array([2.0])),
                                         Simulation("c", [1.0], estimates, theory=[2.0], notes=note)])
    return Figure("f", "f", [panel])


paper = Paper(build, "Two protocols", model=MODEL, figures={"f": figure}, paper_size="d = 8 and 16")
'''


def test_reproduce_passes_the_protocol_and_the_paper_size(capsys, tmp_path):
    source = tmp_path / "twoproto.py"
    source.write_text(TWO_PROTOCOLS)
    out = tmp_path / "out"
    code, _, err = run(capsys, "reproduce", str(source), "-o", str(out), "--protocol", "shifted", "--paper-size")
    assert code == 0, err
    report = (out / "report.md").read_text()
    assert "Simulation protocol `shifted`: biased by 1/d. Paper size (`--paper-size`): d = 8 and 16." in report
    assert "| p | c | 1 | 2 | 16 |" in report and "a note |" in report  # the figure's point, at d = 16
    # The figure's and the cross-check's trials are kept, under the protocol's own sampler name.
    names = {json.loads(f.read_text())["sample"].split(".")[-1] for f in (out / "sweeps").glob("*/sweep.json")}
    assert names == {"sample[shifted]"}
    code, _, err = run(capsys, "reproduce", str(source), "-o", str(tmp_path / "x"), "--protocol", "other")
    assert code == 2 and "--protocol other: this model offers derive, shifted (default derive)" in err


def test_a_single_size_cross_check_table_claims_no_extrapolation():
    from derive.crosscheck import Row, table
    one = [Row({"alpha": 1.0}, "e_icl", 0.80, [16], [0.89], [0.01], 0.89, 0.01)]
    two = [Row({"alpha": 1.0}, "e_icl", 0.80, [16, 32], [0.89, 0.85], [0.01, 0.01], 0.81, 0.02)]
    assert "d=inf" not in table(one) and "z at d=16" in table(one) and "+9.0" in table(one)
    assert "d=inf (1/d fit)" in table(two) and "+0.5" in table(two)

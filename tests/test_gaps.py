"""The report's gaps: each labelled by significance and size (derive.gaps), on synthetic rows."""

import json
import math
import re

import pytest

from derive.crosscheck import Row, markdown, table
from derive.figures import Figure, Panel, Simulation, caption, point_gaps, point_table
from derive.gaps import classify, counts
from derive.montecarlo import Estimate


def test_a_small_but_significant_gap_is_not_passed_over():
    """4% off at z = 34 was given no reason under the old 10% cut; now it disagrees."""
    gap = classify(1.0, 1.04, 0.04 / 34)
    assert gap.label == "disagrees" and math.isclose(gap.relative, 0.04) and math.isclose(gap.z, 34)


@pytest.mark.parametrize("extrapolated, se_inf, label", [
    (2.0, 0.06, "finite-d bias"),   # within 0 se, se 3% of the value, 3 se = 0.18 < the gap 0.6
    (2.1, 0.05, "finite-d bias"),   # +2 se
    (2.0, 3.0, "unresolved"),       # within its error, but the error is larger than the value
    (2.0, 0.19, "unresolved"),      # 9.5% of the value: too wide to resolve
    (2.0, 0.099, "finite-d bias"),  # 4.95% of the value, and 3 se = 0.297 under the gap 0.6
    (2.5, 0.05, "disagrees"),       # 10 se from the theory
])
def test_finite_d_bias_only_when_the_extrapolation_resolves_it(extrapolated, se_inf, label):
    gap = classify(2.0, 2.6, 0.02, extrapolated, se_inf, (20, 40))
    assert gap.label == label, gap.reason


def test_the_extrapolation_must_be_narrower_than_the_gap_it_explains():
    # 2.5% off at z = 6.25; extrapolation se 1% of the value: within 5%, but 3 se = 0.03 span the gap.
    gap = classify(1.0, 1.025, 0.004, 1.0, 0.01, (20, 40))
    assert gap.label == "unresolved" and "span the gap" in gap.reason


def test_noise_agrees_and_one_size_cannot_be_a_bias():
    assert classify(1.0, 1.2, 0.1).label == "agrees"
    assert classify(1.0, 1.2, 0.01, 1.2, 0.01, (40,)).label == "disagrees"
    zero = classify(0.0, 0.01, 0.1)
    assert math.isnan(zero.relative) and zero.label == "agrees"
    assert counts([classify(1.0, 1.2, 0.1), classify(1.0, 1.04, 0.001)] * 2) == "2 agree, 2 disagree"


def test_every_figure_point_is_labelled_and_the_caption_counts_every_one():
    x = [0.5, 1.0, 1.15, 2.0, 3.0]
    theory = [1.0, 10.0, 2.0, 1.0, 0.001]  # the last is near zero: out of the relative range, said so
    data = {20: [Estimate(m, 0.02, 5) for m in [1.1, 2.0, 3.2, 1.3, 0.1]],
            40: [Estimate(m, 0.02, 5) for m in [1.05, 3.0, 2.6, 1.3, 0.1]]}
    simulation = Simulation("a", x, data, theory=theory, notes={1.0: "below the finite threshold"})
    figure = Figure("f", "f", [Panel("p", "x", "y", curves=[simulation], letter="A")])
    rows = point_gaps(figure)
    labels = {row.x: row.label for row in rows}
    # 5% off at z = 2.5: agrees; 30% off that extrapolates to 2.0 +- 0.045: finite-d bias; at x = 3 the
    # extrapolation reaches the theory 0.001 only with an error 57 times the value: unresolved.
    assert labels == {0.5: "agrees", 1.0: "disagrees", 1.15: "finite-d bias", 2.0: "disagrees", 3.0: "unresolved"}
    assert rows[1].reason == "below the finite threshold"
    table_text = point_table(figure)
    assert table_text.count("\n") == 6  # header, rule, every point
    assert "| A | a | 1.15 | 2 | 40 | 2.6 ± 0.02 | +30.0% | +30.0 | 2 ± 0.045 | -0.0 | finite-d bias |" in table_text
    text = caption(figure)
    assert "over all 5 simulated points: 1 agree, 1 finite-d bias, 1 unresolved, 2 disagree" in text
    assert "over 4 points; 1 of 5 left out, where the theory is under 5% of its largest value" in text
    assert "range -70.0% to +30.0%" in text


def rows():
    return [Row({"tau": 1.0, "alpha": 2.0}, "e_icl", 0.80, [16, 32], [0.89, 0.85], [0.01, 0.01], 0.81, 0.015),
            Row({"tau": 2.0, "alpha": 2.0}, "e_icl", 1.00, [16, 32], [1.04, 1.04], [0.001, 0.001], 1.04, 0.002)]


def test_the_cross_check_tables_share_one_column_order_and_label_every_row():
    text, md = table(rows()), markdown(rows())
    header = ["tau", "alpha", "observable", "theory", "d=16", "d=32", "d=inf (1/d fit)", "z", "gap at d=32",
              "z at d=32", "label"]
    assert re.split(r"\s{2,}", text.splitlines()[0].strip()) == header
    assert [c.strip() for c in md.splitlines()[0].strip("|").split("|")] == header
    assert text.splitlines()[1].endswith("finite-d bias") and "disagrees" in text.splitlines()[2]
    assert text.endswith("2 comparisons: 1 finite-d bias, 1 disagree (the rule: derive.gaps).")


def test_a_row_keeps_its_column_order_through_a_sorted_json_record():
    """The stage record is written with sorted keys; the point's order (tau before alpha) survives."""
    back = [Row.from_dict(r) for r in json.loads(json.dumps([r.to_dict() for r in rows()], sort_keys=True))]
    assert list(back[0].point) == ["tau", "alpha"] and table(back) == table(rows())


ORDERED = '''
import sympy as sp

from derive import Derivation
from derive.crosscheck import Simulator
from derive.figures import Figure, Panel, Simulation
from derive.montecarlo import Estimate, sweep
from derive.registry import Paper

tau, alpha, s = sp.symbols("tau alpha s", positive=True)


def build():
    D = Derivation("ordered", title="Columns in the order declared")
    D.define("s-def", sp.Eq(s, 2 * tau + alpha))
    D.quantity("s", "s-def", (tau, alpha))
    return D


def sample(rng, d, values):
    return {"s": 2 * values["tau"] + values["alpha"] + 1.0 / d + rng.standard_normal() / d}


MODEL = Simulator(sample, (tau, alpha), {"s": "s"}, points=[{"tau": 1.0, "alpha": 0.5}, {"tau": 2.0, "alpha": 0.5}],
                  default_sizes=(4, 8), default_trials=3)


def figure(paper, quick=False, seed=0):
    draws = sweep(paper.model.sampler(), [{"tau": 1.0, "alpha": 0.5}], (4, 8), 3, seed)
    estimates = {d: [Estimate.of([r["s"] for r in draws[0, d]])] for d in (4, 8)}
    return Figure("f", "f", [Panel("p", "tau", "s", curves=[Simulation("s", [1.0], estimates, theory=[2.5])])])


paper = Paper(build, "Ordered", model=MODEL, figures={"f": figure})
'''


def test_a_no_op_rerun_leaves_the_report_byte_identical_in_crosschecks_column_order(tmp_path):
    """tau is declared before alpha; the stage record (sorted keys) once turned the report's
    columns to alpha, tau on the rerun, and the report printed the run's wall time."""
    from derive.registry import load_paper
    from derive.reproduce import reproduce

    source = tmp_path / "ordered.py"
    source.write_text(ORDERED)
    out, lines = tmp_path / "out", []
    reproduce(load_paper(str(source)), out, log=lines.append)
    first = (out / "report.md").read_bytes()
    reproduce(load_paper(str(source)), out, log=lines.append)
    assert (out / "report.md").read_bytes() == first
    crosscheck_header = re.split(r"\s{2,}", (out / "crosscheck.txt").read_text().splitlines()[0].strip())
    report_header = next(line for line in first.decode().splitlines() if line.startswith("| tau"))
    assert [c.strip() for c in report_header.strip("|").split("|")] == crosscheck_header
    # One progress line per stage, and a closing summary.
    assert sum(line.startswith("[cross-check]") for line in lines) == 2 and "stage" in lines[0]
    assert lines[-1].startswith("ordered: 0 of 1 steps verified, 1 definitions; largest |z|")

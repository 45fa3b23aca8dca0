"""derive reproduce is incremental: an output whose inputs did not change is kept, not recomputed
(derive.incremental); --force recomputes; without pdflatex the console says what to install, and
the run after installing it builds only the PDF."""

import shutil

import numpy as np

from derive import incremental, reproduce as reproduce_module
from derive.figures import Curve, Figure, Panel
from derive.incremental import Stages
from derive.registry import Paper, load_file_paper
from derive.reproduce import reproduce

from tests.conftest import requires_pdflatex


def run(paper, out, **options):
    lines = []
    reproduce(paper, out, log=lines.append, **options)
    ran = [line.split("]")[0].strip("[") for line in lines if line.startswith("[") and "kept" not in line]
    kept = [line.split("]")[0].strip("[") for line in lines if line.startswith("[") and "kept" in line]
    return ran, kept, "\n".join(lines)


def without_pdflatex(monkeypatch):
    real = shutil.which
    monkeypatch.setattr(reproduce_module.shutil, "which", lambda name: None if name == "pdflatex" else real(name))


def test_after_installing_pdflatex_only_the_pdf_is_built(tmp_path, demo_file, monkeypatch):
    requires_pdflatex()
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        without_pdflatex(patch)
        ran, kept, text = run(load_file_paper(demo_file), out)
    assert ran == ["check", "latex"] and not kept
    assert "pdflatex is not on PATH" in text and "apt-get install texlive-latex-base" in text
    assert not (out / "demo.pdf").exists() and "texlive-latex-base" in (out / "report.md").read_text()
    ran, kept, _ = run(load_file_paper(demo_file), out)
    assert ran == ["pdf"] and kept == ["check", "latex"]
    assert (out / "demo.pdf").read_bytes()[:5] == b"%PDF-"
    ran, kept, text = run(load_file_paper(demo_file), out)
    assert not ran and kept == ["check", "latex", "pdf"] and "kept 3 of 3" in text
    # A rerun that keeps everything rewrites report.md byte for byte (it never says what was kept).
    assert "| pdf |" in (out / "report.md").read_text()
    ran, _, _ = run(load_file_paper(demo_file), out, force=True)
    assert ran == ["check", "latex", "pdf"]


def test_a_changed_input_or_a_deleted_output_reruns_its_stage(tmp_path, demo_file, monkeypatch):
    without_pdflatex(monkeypatch)
    out = tmp_path / "out"
    run(load_file_paper(demo_file), out)
    # Any edit of the derivation file is an input of the check: the file's code may be what a
    # step's check runs, and the cache cannot tell an explanation from code.
    demo_file.write_text(demo_file.read_text().replace('uses=["s-def"])', 'uses=["s-def"], explanation="Expand.")'))
    ran, kept, _ = run(load_file_paper(demo_file), out)
    assert ran == ["check", "latex"] and not kept
    assert "Expand." in (out / "demo.tex").read_text()
    (out / "check.txt").unlink()
    ran, kept, _ = run(load_file_paper(demo_file), out)
    assert ran == ["check"] and kept == ["latex"] and (out / "check.txt").exists()
    # A changed statement changes the check's key.
    demo_file.write_text(demo_file.read_text().replace("2*a*b", "3*a*b"))
    ran, _, _ = run(load_file_paper(demo_file), out)
    assert ran == ["check", "latex"]


def square(paper, quick=False, seed=0):
    x = np.linspace(0, 1, 5)
    return Figure("square", "square", [Panel("p", "x", "y", curves=[Curve("a", x, x ** 2 + seed)])])


def test_figures_are_keyed_by_their_options(tmp_path, demo_file, monkeypatch):
    without_pdflatex(monkeypatch)
    derivation = load_file_paper(demo_file).derivation()
    paper = Paper(lambda: derivation, "demo", figures={"square": square})
    out = tmp_path / "out"
    assert "figure square" in run(paper, out)[0]
    assert "figure square" in run(paper, out)[1]
    assert "figure square" in run(paper, out, seed=1)[0]
    assert "figure square" in run(paper, out, quick=True)[0]
    assert (out / "figures" / "square.pdf").exists()


def test_stages_keep_only_intact_outputs(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    stages = Stages(tmp_path)
    stages.record("a", "k1", [tmp_path / "a.txt"], {"n": 1})
    again = Stages(tmp_path)
    assert again.kept("a", "k1")["data"] == {"n": 1}
    assert again.kept("a", "k2") is None  # another key
    assert Stages(tmp_path, force=True).kept("a", "k1") is None
    (tmp_path / "a.txt").write_text("edited")
    assert Stages(tmp_path).kept("a", "k1") is None
    assert incremental.key(1, "a") == incremental.key(1, "a") != incremental.key(1, "b")


def test_the_code_key_follows_the_figure_functions_source(tmp_path, demo_file):
    """A figure defined in a user's file: editing the file changes the key, so the figure is redrawn."""
    import importlib.util

    def paper_from(text):
        path = tmp_path / "my_figures.py"
        path.write_text(text)
        spec = importlib.util.spec_from_file_location("my_figures", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        derivation = load_file_paper(demo_file).derivation()
        return Paper(lambda: derivation, "demo", figures={"f": module.figure})

    source = "def figure(paper, quick=False, seed=0):\n    return {}\n"
    first = incremental.code_key(paper_from(source))
    assert incremental.code_key(paper_from(source)) == first
    assert incremental.code_key(paper_from(source.replace("{}", "{'changed': 1}"))) != first

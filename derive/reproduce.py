"""``derive reproduce NAME``: everything a paper's derivation produces, under ``out/NAME/``.

1. ``check.txt`` and ``check.json``: every step with the method that established it;
2. ``NAME.tex`` (with each step's status) and ``NAME.pdf`` when pdflatex is on PATH;
3. ``figures/*.png``, ``figures/*.pdf`` and ``figures/*.csv``;
4. ``crosscheck.txt`` and ``crosscheck.csv``: theory against simulation at several d, with
   the 1/d extrapolation;
5. ``report.md``: what was done, what holds, what does not (the steps, and the quantities and
   figures resting on them: :mod:`derive.lineage`), each figure's caption with the finite-size
   gap that remains, and timings.

It is incremental (:mod:`derive.incremental`): an output whose inputs are unchanged since an
earlier run into the same directory is kept, not recomputed (``force`` recomputes everything),
so a run after installing pdflatex builds only the PDF.  The run exits 1 when a step is not
established, after writing everything else.
"""

from __future__ import annotations

import platform
import shutil
import sys
import time
import warnings

from . import __version__, executors
from .check import check_derivation, summary, table as check_table, to_json
from .check.result import CheckResult
from .crosscheck import Row, cross_check, markdown as crosscheck_markdown, table as crosscheck_table, to_csv
from .errors import LineageWarning, UnverifiedLineage
from .figures import caption as figure_caption, draw as draw_figure, point_gaps, point_table, write as write_figure
from .gaps import counts
from .incremental import Stages, check_key, code_key, document_key, key
from .latex import DocumentWriter, compile_pdf
from .lineage import quantity_lineage, unverified
from .montecarlo import keeping
from .output import OutputDirectory


def reproduce(paper, directory, quick=False, force=False, seed=0, sizes=None, trials=None,
              log=print, executor=None, store=None, protocol=None, paper_size=False, strict=False,
              style="default"):
    """Run the whole pipeline for ``paper`` (a :class:`derive.registry.Paper`: its derivation,
    figures and model); returns True when every step is established.

    Every sweep (facts, figures, cross-check) runs on ``executor`` (default: in-process
    threads); the figures and the cross-check keep their trials in ``store`` (see
    :func:`derive.montecarlo.sweep`).
    ``protocol`` names the model's simulation protocol (None: its default) for the figures and
    the cross-check; ``paper_size`` runs the figures' simulations the paper declares
    (:attr:`Paper.paper_size`) at the paper's own size; ``style`` sizes the figures for a journal
    (:data:`derive.figures.STYLES`).

    Every quantity the derivation exports is given its lineage from the check
    (:func:`derive.lineage.quantity_lineage`): one resting on a step not verified is a warning
    line in ``log`` and a list in ``report.md``, and a figure drawn from it carries a note; with
    ``strict`` the run stops after the check instead
    (:class:`~derive.errors.UnverifiedLineage`), before any figure or cross-check is computed.
    """
    with executors.use(executor):
        return _reproduce(paper, directory, quick, force, seed, sizes, trials, log, store, protocol, paper_size,
                          strict, style)


def _figure_options(protocol, paper_size):
    """The keywords a figure function gets beyond ``quick`` and ``seed``: only those asked for,
    so that a paper with one protocol and no paper-size run need not know of them."""
    from .crosscheck import DEFAULT_PROTOCOL

    options = {}
    if protocol is not None and protocol != DEFAULT_PROTOCOL:
        options["protocol"] = protocol
    if paper_size:
        options["paper_size"] = True
    return options


def _reproduce(paper, directory, quick, force, seed, sizes, trials, log, store, protocol=None, paper_size=False,
               strict=False, style="default"):
    derivation = paper.derivation()
    out = OutputDirectory(directory, force)
    stages = Stages(out.path, force)
    timings = {}  # stage -> (seconds, kept from an earlier run)
    started = time.perf_counter()
    simulated = paper.model is not None and bool(paper.model.points)
    count = 2 + (shutil.which("pdflatex") is not None) + len(paper.figures) + simulated

    def stage(label, stage_key, work):
        """``work() -> (files, data)`` run as the stage ``label``, unless an earlier run's output
        has the same key and is intact: then its data, and nothing is recomputed or rewritten.
        One progress line each, before the work (a stage may take minutes)."""
        entry = stages.kept(label, stage_key)
        place = f"stage {len(timings) + 1} of {count}"
        if entry is not None:
            log(f"[{label}] kept: inputs unchanged since an earlier run ({place})")
            timings[label] = (entry.get("seconds", 0.0), True)
            return entry["data"]
        log(f"[{label}] running ({place}, {time.perf_counter() - started:.0f} s elapsed)")
        t0 = time.perf_counter()
        files, data = work()
        # As the record keeps it (to 0.01 s): a rerun that keeps the stage reports the same number.
        timings[label] = (round(time.perf_counter() - t0, 2), False)
        stages.record(label, stage_key, files, data, timings[label][0])
        return data

    def check():
        results = check_derivation(derivation)
        files = [out.write_text("check.txt", check_table(results) + "\n\n" + summary(results) + "\n"),
                 out.write_text("check.json", to_json(results, derivation.name))]
        return files, [r.to_dict() for r in results]

    results = [CheckResult.from_dict(r) for r in stage("check", check_key(derivation), check)]
    lineages = _lineages(derivation, results, strict, log)

    tex_name = f"{derivation.name}.tex"
    tex_key = document_key(derivation, results)
    stage("latex", tex_key, lambda: ([out.write_text(tex_name, DocumentWriter(derivation, results).document())],
                                     None))
    latex_status = _pdf(stage, stages, out, derivation.name, key("pdf", tex_key), log)

    code = code_key(paper) if paper.figures or paper.model is not None else ""
    figures = OutputDirectory(out.path / "figures", force) if paper.figures else None
    options = {"quick": quick, "seed": seed, **_figure_options(protocol, paper_size)}
    written = []
    # A figure's note follows its quantities' verdicts: a kept figure was drawn under the same ones.
    verdicts = sorted((name, lineage.message()) for name, lineage in lineages.items())
    for name in paper.figures:
        def draw(name=name):
            figure = draw_figure(paper, name, strict=strict, **options)
            return write_figure(figure, figures, style=style), {"name": figure.name, "title": figure.title,
                                                   "caption": figure_caption(figure),
                                                   "points": point_table(figure),
                                                   "z": [[row.z_at_d, row.gap.z_inf] for row in point_gaps(figure)],
                                                   "unverified": [l.quantity for l in unverified(figure.lineage)]}

        with keeping(store):  # the figures' trials too: an interrupted run resumes where it stopped
            written.append(stage(f"figure {name}", key(code, "figure", name, options, _matplotlib_version(),
                                                       verdicts, style), draw))

    rows = []
    simulator = paper.model
    if simulator is not None and simulator.points:
        sizes = sizes or ((12, 16, 24) if quick else simulator.default_sizes)
        trials = trials or (3 if quick else simulator.default_trials)

        def crosscheck():
            with warnings.catch_warnings():  # the report lists the quantities resting on steps not verified
                warnings.simplefilter("ignore", LineageWarning)
                found = cross_check(derivation, simulator, simulator.points, sizes, trials, seed, store=store,
                                    protocol=protocol)
            files = [out.write_text("crosscheck.txt", crosscheck_table(found) + "\n"),
                     out.write_text("crosscheck.csv", to_csv(found))]
            return files, [row.to_dict() for row in found]

        rows = [Row.from_dict(row) for row in stage("cross-check", key(code, "cross-check", simulator.points, list(sizes),
                                                                trials, seed, protocol), crosscheck)]

    total = time.perf_counter() - started
    kept = [label for label, (_, was_kept) in timings.items() if was_kept]
    if kept:
        log(f"kept {len(kept)} of {len(timings)} outputs from an earlier run (their inputs are unchanged; "
            "--force recomputes everything)")
    out.write_text("report.md", _report(derivation, results, latex_status, written, rows, timings,
                                        quick, seed, _simulation_note(paper, protocol, paper_size),
                                        unverified(lineages.values())))
    log(closing_summary(derivation.name, results, rows, written, total, len(kept)))
    return all(r.ok for r in results)


def _largest_z(pairs):
    """``largest |z| 16.7 at the largest d (0.3 extrapolated) over 2 comparisons``, from
    ``(z at the largest d, z of the 1/d extrapolation or None)`` pairs: both, since a wide
    extrapolation can be near the theory while the mean at the largest d is far off.

    >>> _largest_z([(16.7, 0.2), (2.1, -0.3), (float("nan"), None)])
    'largest |z| 16.7 at the largest d (0.3 extrapolated) over 3 comparisons'
    """
    at_d = [abs(z) for z, _ in pairs if z == z]
    extrapolated = [abs(z) for _, z in pairs if z is not None and z == z]
    text = f"largest |z| {max(at_d):.1f} at the largest d" if at_d else "largest |z| undefined (no standard error)"
    text += f" ({max(extrapolated):.1f} extrapolated)" if extrapolated else ""
    return f"{text} over {len(pairs)} comparisons"


def closing_summary(name, results, rows, figures, seconds, kept=0):
    """The run's last line: the steps verified of all, the largest |z| of the comparisons with a
    simulation (the cross-check's and the figures' points), and the time.

    >>> closing_summary("demo", [], [], [], 2.04)
    'demo: 0 of 0 steps verified; nothing simulated; 2.0 s'
    """
    verified = sum(1 for r in results if r.status == "verified")
    definitions = sum(1 for r in results if r.status == "definition")
    undecided = sum(1 for r in results if not r.ok)
    text = f"{name}: {verified} of {len(results)} steps verified"
    text += f", {definitions} definitions" if definitions else ""
    text += f", {undecided} not established" if undecided else ""
    pairs = [(row.gap.z, row.gap.z_inf) for row in rows]
    pairs += [tuple(z) for figure in figures for z in figure.get("z", ())]
    text += "; " + _largest_z(pairs) if pairs else "; nothing simulated"
    text += f"; {seconds:.1f} s" + (f" ({kept} outputs kept from an earlier run)" if kept else "")
    return text


def _lineages(derivation, results, strict, log):
    """``{quantity: Lineage}`` of every quantity ``derivation`` exports, from the check's
    ``results``; a warning line in ``log`` for each resting on a step not verified, or with
    ``strict`` one refusal naming them all."""
    lineages = {name: quantity_lineage(derivation, name, results) for name in derivation.quantities}
    bad = unverified(lineages.values())
    if bad and strict:
        raise UnverifiedLineage("; ".join(lineage.message() for lineage in bad))
    for lineage in bad:
        log(f"derive: warning: {lineage.message()}")
    return lineages


def _pdf(stage, stages, out, name, pdf_key, log):
    """The PDF stage: compiled from the ``.tex`` on disk when pdflatex is on PATH; without it the
    console says what to install, and the next run with it builds the PDF alone."""
    if shutil.which("pdflatex") is None:
        if stages.kept("pdf", pdf_key) is not None:
            return f"PDF `{name}.pdf` kept from an earlier run; pdflatex is not on PATH now"
        log(f"derive: note: pdflatex is not on PATH, so {name}.pdf is not built (the LaTeX source "
            f"{name}.tex is). Install it (Debian/Ubuntu: apt-get install texlive-latex-base) and run the "
            "same command again: only the PDF is built then.")
        return "pdflatex not found: .tex only; install texlive-latex-base (Debian/Ubuntu) and rerun to get the PDF"

    def compile_():
        pdf = out.target(f"{name}.pdf")
        compile_pdf((out.path / f"{name}.tex").read_text(), pdf)
        out.record(pdf.name)
        return [pdf], None

    stage("pdf", pdf_key, compile_)
    return f"compiled: `{name}.pdf`"


def _matplotlib_version():
    import matplotlib

    return matplotlib.__version__


def _simulation_note(paper, protocol, paper_size):
    """The report's line on how the model was simulated: the protocol and the paper-size run."""
    model = paper.model
    if model is None:
        return ""
    name = model.protocol(protocol)
    text = f"Simulation protocol `{name}`: {model.protocols[name]}."
    if paper_size:
        text += f" Paper size (`--paper-size`): {paper.paper_size}."
    return text


def _lineage_lines(lineages, figures):
    """The report's list of the numbers not established: each quantity resting on steps not
    verified (``lineages``), and each figure drawn from one."""
    if not lineages:
        return []
    lines = ["Numbers resting on steps not verified (`derive eval` warns, `--strict` refuses):", ""]
    lines += [f"- `{lineage.quantity}`: {lineage.message()}" for lineage in lineages]
    for figure in figures:
        if figure.get("unverified"):
            names = ", ".join(f"`{q}`" for q in figure["unverified"])
            lines.append(f"- figure `{figure['name']}` ({figure['title']}): drawn from {names}")
    return lines + [""]


def _report(derivation, results, latex_status, figures, rows, timings, quick, seed, simulation="",
            lineages=()):
    """``report.md``.  Its text depends on the outputs only, never on whether a stage was kept or
    recomputed (each stage's time is the one it took when computed), so that a rerun with
    nothing changed rewrites it byte for byte."""
    bad = [r for r in results if not r.ok]
    computed = sum(seconds for seconds, _ in timings.values())
    lines = [f"# {derivation.title}", "", f"{derivation.cite}", "",
             f"Generated by derive {__version__} (Python {platform.python_version()}); its outputs took "
             f"{computed:.0f} s to compute{' (quick mode)' if quick else ''}; seed {seed}.", ""]
    lines += [simulation, ""] if simulation else []
    lines += ["## Checked derivation", "", f"{summary(results)}.", ""]
    if bad:
        lines += ["Not established:", ""] + [f"- `{r.label}` ({r.status}): {r.evidence}" for r in bad] + [""]
    lines += _lineage_lines(lineages, figures)
    methods = {}
    for r in results:
        family = r.method.split(":")[0].split(" (")[0]  # "symbolic: substitution ..." -> "symbolic"
        methods[family] = methods.get(family, 0) + 1
    lines += ["| method | steps |", "|---|---|"] + [f"| {m} | {n} |" for m, n in sorted(methods.items())]
    lines += ["", f"Full table: `check.txt`, `check.json`. LaTeX: `{derivation.name}.tex` ({latex_status}).", ""]
    if figures or rows:
        lines += [_GAP_RULE, ""]
    if figures:
        lines += ["## Figures", ""]
        for figure in figures:
            name = figure["name"]
            lines += [f"### {figure['title']}", "",
                      f"`figures/{name}.png`, `figures/{name}.pdf` (vector), data `figures/{name}.csv`.", ""]
            lines += [figure["caption"], ""] if figure["caption"] else []
            if figure.get("points"):
                lines += ["Point by point (gap: simulated mean at the largest d against the theory, relative; "
                          "z: its distance in standard errors; then the 1/d extrapolation and its z):", "",
                          figure["points"], ""]
    if rows:
        lines += ["## Theory against simulation", "",
                  "Simulated mean ± standard error at each d, the 1/d extrapolation and "
                  "z = (extrapolated - theory)/se, then the gap at the largest d (relative, and in standard "
                  "errors) and its label; the columns of `crosscheck.txt`, in its order.", ""]
        lines += [crosscheck_markdown(rows), ""]
        lines += [f"{_largest_z([(row.gap.z, row.gap.z_inf) for row in rows]).capitalize()}: "
                  f"{counts(row.gap for row in rows)}.", ""]
        lines += [f"- {row.observable} at {', '.join(f'{k}={v:g}' for k, v in row.point.items())}: {row.flag}"
                  for row in rows if row.flag]
        lines += [""] if any(row.flag for row in rows) else []
    lines += ["## Timings", "", "| stage | seconds to compute |", "|---|---|"]
    lines += [f"| {k} | {v:.1f} |" for k, (v, _) in timings.items()]
    lines += ["", f"Command: `{' '.join(['derive'] + sys.argv[1:]) if sys.argv else 'derive reproduce'}`", ""]
    return "\n".join(lines)


#: How report.md's gaps are labelled (:mod:`derive.gaps`), said once above its tables.
_GAP_RULE = ("Each simulated point is labelled by the significance and the size of its gap from the theory "
             "(`derive.gaps`): *agrees* when the mean at the largest d is within 3 standard errors of it; "
             "otherwise *finite-d bias* only when the 1/d extrapolation resolves the gap (within 3 of its "
             "standard errors of the theory, that error at most 5% of the value and under a third of the gap), "
             "*unresolved* when the extrapolation reaches the theory only by being too uncertain, and "
             "*disagrees* when it does not reach it or there is one size only. No gap is passed over for "
             "being small.")

"""The ``derive`` command.

    derive list
    derive show NAME [STEP]
    derive check NAME|FILE.py [--json] [--no-cache] [--step LABEL ...]
    derive latex NAME|FILE.py [-o FILE] [--pdf] [--fragment] [--paper] [--status] [--force]
    derive graph NAME|FILE.py [--format dot|json] [-o FILE] [--force]
    derive eval NAME QUANTITY name=value|start:stop:num[log] ... [-o FILE] [--force] [--strict]
    derive mc NAME name=value ... [--d 16,24,32] [--trials N] [--seed S] [--protocol NAME] [-o FILE]
    derive mutate NAME [--step LABEL ...] [--json]
    derive figure NAME [FIG ...] [-o DIR] [--quick] [--force] [--strict] [--style pnas|neurips|default]
    derive reproduce NAME [-o DIR] [--quick | --paper-size] [--protocol NAME] [--d ...] [--trials N] [--seed S]
                     [--force] [--strict] [--style pnas|neurips|default]
    derive compare NAME STEP --latex 'LATEX'
    derive law "EXPR" [name=value ...] [--moments K] [--cumulants K] [--density a:b:n]
               [--stieltjes Z[,Z...]] [--support] [--atoms] [--latex] [--check] [-o FILE] [--force]

Exit codes: 0 every step verified (or the command succeeded); 1 a step failed, is unverified,
or the derivation cannot be built; 2 a usage error.  Errors are one line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
import warnings

from .errors import DeriveError, UsageError, did_you_mean

#: Limits of what a command is asked to do, checked before any work (docs/cli.md states them).
MAX_SIZE = 4096            # derive mc / reproduce --d: largest d
MAX_TRIALS = 100_000       # --trials
MAX_TASKS = 1_000_000      # points x sizes x trials of one sweep
MAX_SEED = 2**63 - 1       # --seed: 0 .. MAX_SEED
MAX_LAW_TEXT = 1000        # derive law EXPR: characters
MAX_LAW_EXPONENT = 64      # derive law EXPR: |p| in a number's power a**p
MAX_LAW_ORDER = 100        # --moments K, --cumulants K
MAX_DENSITY_POINTS = 100_000
MAX_STIELTJES_POINTS = 10_000
EVAL_SECONDS = 60          # derive eval: CPU seconds for the grid, plus ...
EVAL_SECONDS_PER_POINT = 0.5  # ... these for each point
MAX_LAW_SECONDS = 120      # derive law: CPU seconds for each operation (building the law, --moments, ...)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


#: The help of the NAME every verb takes, of --seed and of --force.
NAME_HELP = "a shipped derivation (derive list) or a .py file defining `derivation`"
SEED_HELP = "the seed of every simulation (default 0); the trials' seeds derive from it, so a run is reproducible"
FORCE_HELP = "overwrite existing output files"


def build_parser():
    from . import __version__

    parser = _Parser(prog="derive", description="Checked symbolic-numeric derivations.")
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                                help="one of these; 'derive COMMAND --help' describes its arguments")
    sub.required = True

    sub.add_parser("list", help="list the shipped derivations")

    show = sub.add_parser("show", help="print a derivation's steps (or one step)")
    show.add_argument("name", help=NAME_HELP)
    show.add_argument("step", nargs="?", help="one step's label")
    form = show.add_mutually_exclusive_group()
    form.add_argument("--latex", action="store_true", help="statements as LaTeX (the printer of derive latex)")
    form.add_argument("--python", action="store_true", help="statements as sympy prints them (Python syntax)")

    check = sub.add_parser("check", help="check every step; exit 0 only if all are verified")
    check.add_argument("name", help=NAME_HELP)
    check.add_argument("--json", action="store_true", help="print the results as JSON")
    check.add_argument("--no-cache", action="store_true", help="prove every step again")
    check.add_argument("--step", action="append", metavar="LABEL", help="check only this step (repeatable)")

    latex = sub.add_parser("latex", help="export the derivation as LaTeX (or PDF)")
    latex.add_argument("name", help=NAME_HELP)
    latex.add_argument("-o", "--output", metavar="FILE", help="write the .tex here (default: stdout)")
    latex.add_argument("--pdf", action="store_true", help="also compile a PDF with pdflatex")
    latex.add_argument("--fragment", action="store_true", help="equations only, no preamble")
    latex.add_argument("--paper", action="store_true", help="only the steps that carry a paper reference")
    latex.add_argument("--status", action="store_true", help="print each step's check status and method")
    latex.add_argument("--force", action="store_true", help="overwrite existing output files")

    graph = sub.add_parser("graph", help="the step graph as DOT or JSON")
    graph.add_argument("name", help=NAME_HELP)
    graph.add_argument("--format", choices=("dot", "json"), default="dot",
                       help="DOT (default: one node per step, an edge from each premise) or networkx node-link JSON")
    graph.add_argument("-o", "--output", metavar="FILE", help="write the graph here (default: stdout)")
    graph.add_argument("--force", action="store_true", help=FORCE_HELP)

    mc = sub.add_parser("mc", help="simulate the model at finite d next to the theory")
    mc.add_argument("name", help=NAME_HELP)
    mc.add_argument("assignments", nargs="*", metavar="name=value",
                    help="every parameter's values, before the options (as derive eval: 0.5, 0.5,1,2, 0.1:1:10)")
    mc.add_argument("--d", default=None, metavar="D1,D2,...", help="sizes (default: the derivation's)")
    mc.add_argument("--trials", type=int, default=None, help="trials per point and size")
    mc.add_argument("--seed", type=int, default=0, help=SEED_HELP)
    mc.add_argument("-o", "--output", metavar="FILE", help="also write the rows as CSV")
    mc.add_argument("--force", action="store_true", help=FORCE_HELP)
    _protocol_option(mc)
    _sweep_options(mc, "out/NAME/sweeps")

    mutate = sub.add_parser("mutate", help="mutation-test the checker on a derivation's exact steps")
    mutate.add_argument("name", help=NAME_HELP)
    mutate.add_argument("--step", action="append", metavar="LABEL", help="only this step (repeatable)")
    mutate.add_argument("--json", action="store_true", help="print every mutant as JSON")
    mutate.add_argument("--included", action="store_true",
                        help="also the steps of included derivations (mutated in their own run otherwise)")

    figure = sub.add_parser("figure", help="regenerate a derivation's figures (PNG, PDF and CSV)")
    figure.add_argument("name", help=NAME_HELP)
    figure.add_argument("figures", nargs="*", metavar="FIG", help="which figures (default: all)")
    figure.add_argument("-o", "--output", metavar="DIR", help="write the figures here (default: out/NAME/figures)")
    figure.add_argument("--quick", action="store_true", help="small simulations, coarse maps")
    figure.add_argument("--seed", type=int, default=0, help=SEED_HELP)
    figure.add_argument("--force", action="store_true", help=FORCE_HELP)
    figure.add_argument("--strict", action="store_true",
                        help="refuse a figure drawn from a quantity resting on a step not verified (exit 1)")
    _style_option(figure)

    reproduce = sub.add_parser("reproduce", help="check, LaTeX, figures, cross-check and report under out/NAME")
    reproduce.add_argument("name", help=NAME_HELP)
    reproduce.add_argument("-o", "--output", metavar="DIR", help="write every output under DIR (default: out/NAME)")
    reproduce.add_argument("--quick", action="store_true", help="small simulations, coarse maps")
    reproduce.add_argument("--seed", type=int, default=0, help=SEED_HELP)
    reproduce.add_argument("--d", default=None, metavar="D1,D2,...",
                           help="the cross-check's sizes d, comma-separated (default: the model's)")
    reproduce.add_argument("--trials", type=int, default=None,
                           help="cross-check trials per point and size (default: the model's)")
    reproduce.add_argument("--force", action="store_true",
                           help="recompute every output (a re-run otherwise keeps those whose inputs are unchanged), "
                                "and overwrite files edited since derive wrote them")
    reproduce.add_argument("--paper-size", action="store_true",
                           help="simulate the figures the paper declares at the paper's own size (slow)")
    reproduce.add_argument("--strict", action="store_true",
                           help="after the check, refuse (exit 1) when a quantity rests on a step not verified, "
                                "before any figure or cross-check is computed from it")
    _protocol_option(reproduce)
    _sweep_options(reproduce, "DIR/sweeps")
    _style_option(reproduce)

    compare = sub.add_parser("compare", help="whether LaTeX pasted from a paper says what a step says",
                             description="Read LaTeX in the derivation's notation (derive show NAME --latex) "
                             "and decide with the checker whether it equals the step: exit 0 equal, 1 not equal "
                             "(a counterexample is printed), 2 undecided, ambiguous or unreadable.")
    compare.add_argument("name", help=NAME_HELP)
    compare.add_argument("step", help="the step's label (derive show NAME lists them)")
    compare.add_argument("--latex", required=True, metavar="LATEX",
                         help="an equation or expression; an expression is compared with the step's right side")

    law = sub.add_parser("law", help="a spectral law from free operations: curve, moments, density, support")
    law.add_argument("expression", metavar="EXPR",
                     help='e.g. "mp(0.5) * mp(0.25)", "2*semicircle(1) + atom(3, 0.1)", "inv(mp(c))"')
    law.add_argument("assignments", nargs="*", metavar="name=value", help="values of symbolic parameters")
    law.add_argument("--moments", type=int, metavar="K", help="the exact moments mu_0 .. mu_K")
    law.add_argument("--cumulants", type=int, metavar="K", help="the exact free cumulants k_1 .. k_K")
    law.add_argument("--density", metavar="a:b:n", help="the density on n points of [a, b] (CSV)")
    law.add_argument("--stieltjes", metavar="Z", help="m(z) at complex points, comma-separated (1+0.5j)")
    law.add_argument("--support", action="store_true", help="the support of the continuous part, exact edges")
    law.add_argument("--atoms", action="store_true", help="the point masses, exact")
    law.add_argument("--latex", action="store_true", help="the curve P(m, z) = 0 as LaTeX")
    law.add_argument("--check", action="store_true",
                     help="compare m(z) with sampled random matrices (N = 200, 400, 800; 20 trials)")
    law.add_argument("-o", "--output", metavar="FILE", help="write the density CSV here")
    law.add_argument("--force", action="store_true", help="overwrite an existing output file")

    evaluate = sub.add_parser("eval", help="evaluate a quantity on a parameter grid (CSV)",
                              description="Evaluate a quantity the derivation exports on the Cartesian "
                              "product of the values\ngiven; print CSV (the parameters, then the quantity).",
                              epilog=EVAL_VALUES, formatter_class=argparse.RawDescriptionHelpFormatter)
    evaluate.add_argument("name", help="a derivation name or a .py file defining `derivation`")
    evaluate.add_argument("quantity", help="the quantity's name (an unknown one lists the known)")
    evaluate.add_argument("assignments", nargs="*", metavar="name=value", help="every parameter's values")
    evaluate.add_argument("-o", "--output", metavar="FILE", help="write the CSV here (default: stdout)")
    evaluate.add_argument("--force", action="store_true", help="overwrite an existing output file")
    evaluate.add_argument("--strict", action="store_true",
                          help="refuse a grid with a singular point (exit 2) instead of printing inf or nan, "
                               "and a quantity resting on a step not verified (exit 1) instead of warning")
    evaluate.add_argument("--spectrum", action="append", metavar="LAW=SPECTRUM", default=[],
                          help="the spectrum of the spectral means <f(LAW)> of the quantity: eigenvalues "
                               "(1,2,3.5), a file of them (.npy, or text), or a law (mp(0.5), powerlaw(0.5)); "
                               "once per law")
    return parser


#: ``derive eval --help``: the syntax of a value.
EVAL_VALUES = """\
values (name=VALUE):
  0.5               one value
  0.5,1,2           a list (items may be ranges)
  0.1:1:10          10 points from 0.1 to 1, linearly spaced
  1e-2:1e2:50log    50 log-spaced points
  inf               infinity, where the parameter admits it (kappa in lu2025)
  1+0.5j            a complex value (also 1+0.5i), for a parameter not declared real

Several ranges span their Cartesian product (at most 1,000,000 points). A value outside a
parameter's domain is refused (exit 2). A singular point (the quantity is inf or nan there, or
the values are a combination no formula covers, as tau=1 with lam=0) is printed as inf or nan
with one warning line on stderr naming it; --strict refuses the grid instead. A complex
quantity prints as re_Q,im_Q, and so does a complex parameter.

The quantity's value rests on the steps it cites and every step above them; they are checked
(from the verdict cache when unchanged). If one is not verified, one warning line on stderr
names it and its status, and the exit code stays 0; --strict refuses instead (exit 1).

A quantity with a spectral mean <f(R)> (SpectralMean(f, r, "R")) takes the spectrum of R
with --spectrum R=...: eigenvalues 1,2,3.5 (the mean is their average of f), a file of
eigenvalues (.npy, or numbers in text), or a law as derive law writes it: mp(0.5),
powerlaw(0.5), semicircle(1) + 2 (a mean of c/(r - z) is its Stieltjes transform, any other
f a quadrature over the law).

example:
  derive eval marchenko-pastur M kappa=0.5 x=0.1:1:3
  derive eval docs/examples/spectral_mean.py df1 lam=0.1,1 --spectrum R=mp(0.5)
"""


def _protocol_option(parser):
    parser.add_argument("--protocol", metavar="NAME", default=None,
                        help="the model's simulation protocol (default: derive; the paper's page lists the others)")


def _sweep_options(parser, default_store):
    from .executors import KINDS

    parser.add_argument("--executor", default="inprocess", choices=KINDS,
                        help="where trials run: threads here (default), local processes, or Dask")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler address (default with --executor dask: a LocalCluster)")
    parser.add_argument("--workers", type=int, default=None, help="threads, processes or local Dask workers "
                        "(default: one per core)")
    parser.add_argument("--store", metavar="DIR", help=f"keep each finished trial here (default: {default_store})")
    parser.add_argument("--no-store", action="store_true", help="keep nothing; run every trial")


def _sweep_setup(args, default_store):
    """The executor and the store directory the sweep options ask for."""
    from .executors import make

    if args.store and args.no_store:
        raise UsageError("--store and --no-store contradict each other")
    store = None if args.no_store else (args.store or default_store)
    return make(args.executor, args.scheduler, args.workers), store


def main(argv=None):
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    real_stdout = sys.stdout
    sys.stdout = _GuardedStdout(real_stdout)
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            raise UsageError(f"unrecognized arguments: {' '.join(extra)} (see 'derive {args.command} --help'; "
                             "name=value arguments go before the options)")
        with warnings.catch_warnings(), _JsonChannel(args) as channel:
            _one_line_warnings()
            code = COMMANDS[args.command](args)
        channel.send()
        sys.stdout.flush()  # a full device or a closed pipe shows here, not at exit
        return code
    except DeriveError as exc:
        print(f"derive: error: {exc}", file=sys.stderr)
        _JsonChannel.failed(exc, exc.exit_code)
        return exc.exit_code
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        _JsonChannel.failed("interrupted", 130)
        return 130
    except BrokenPipeError:
        # The reader went away (`derive ... | head`): stop quietly, as a command killed by
        # SIGPIPE does, and say so in the exit code.
        _drop_stdout()
        return 128 + 13
    except OSError as exc:
        # A file system's answer (a full disk, no permission, a file where a directory is
        # needed) that no command turned into its own line: still one line, naming the path.
        print(f"derive: error: {_os_error(exc)}", file=sys.stderr)
        _JsonChannel.failed(exc, 2)
        return 2
    except MemoryError as exc:
        # A request too large for this machine that no stated limit caught: the machine's
        # fault, not derive's, and still one line.
        print(f"derive: error: out of memory ({exc or 'MemoryError'}); ask for less (a smaller grid, size "
              "or parameters)", file=sys.stderr)
        _JsonChannel.failed(exc, 2)
        return 2
    except Exception as exc:  # a bug in derive itself: still one line, with a way to see more
        if os.environ.get("DERIVE_DEBUG"):
            raise
        print(f"derive: internal error: {type(exc).__name__}: {exc} (set DERIVE_DEBUG=1 for a traceback)",
              file=sys.stderr)
        _JsonChannel.failed(exc, 3)
        return 3
    finally:
        if sys.stdout is not real_stdout and isinstance(sys.stdout, _GuardedStdout):
            sys.stdout = real_stdout


class _JsonChannel:
    """Standard output of a command asked for JSON (``--json``, ``--format json`` without
    ``-o``): exactly one valid document, whatever the derivation file does.

    While the command runs, everything else written to standard output goes to standard error:
    ``sys.stdout`` is pointed there, and so is file descriptor 1 (a ``print`` at import, a C
    library's ``printf``, a child process).  The command hands its document to :func:`emit`;
    it is written after the descriptor is restored, by the process that started the command
    only (a derivation file that forks leaves a child running the same code: it writes
    nothing).  A command that fails writes ``{"error": ..., "exit": CODE}`` instead."""

    current = None

    def __init__(self, args):
        self.active = bool(getattr(args, "json", False)) or (
            getattr(args, "format", None) == "json" and not getattr(args, "output", None))
        self.pid = os.getpid()
        self.document = None
        self.saved = None

    def __enter__(self):
        if not self.active:
            return self
        _JsonChannel.current = self
        self.stream = sys.stdout
        self.stream.flush()
        try:
            self.descriptor = self.stream.fileno()
            self.saved = os.dup(self.descriptor)
            sys.stderr.flush()
            os.dup2(sys.stderr.fileno(), self.descriptor)
        except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
            self.saved = None
        sys.stdout = sys.stderr
        return self

    def __exit__(self, *exc):
        if not self.active or os.getpid() != self.pid:
            return False
        self._restore()
        return False

    def _restore(self):
        sys.stderr.flush()
        if self.saved is not None:
            os.dup2(self.saved, self.descriptor)
            os.close(self.saved)
            self.saved = None
        sys.stdout = self.stream

    def send(self):
        """Write the document the command emitted (in the process that started it only)."""
        if self.active and os.getpid() == self.pid and self.document is not None:
            sys.stdout.write(self.document)
        _JsonChannel.current = None

    @classmethod
    def failed(cls, exc, code):
        """A failed command's document: the error's line and the exit code."""
        channel, cls.current = cls.current, None
        if channel is not None and os.getpid() == channel.pid:
            from .output import json_text

            sys.stdout.write(json_text({"error": str(exc), "exit": code}))


def emit(text):
    """The JSON document of the command (its text): kept for :class:`_JsonChannel` to write
    when the command is asked for JSON, else written to standard output now."""
    channel = _JsonChannel.current
    if channel is not None and channel.active:
        channel.document = text if text.endswith("\n") else text + "\n"
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _one_line_warnings():
    """A :class:`~derive.errors.LineageWarning` a command meets on its way (a quantity called by
    ``derive mc``'s cross-check) prints as derive's own warnings do, one line on stderr; other
    warnings as Python prints them.  Inside :func:`warnings.catch_warnings`, which restores."""
    from .errors import LineageWarning

    show = warnings.showwarning

    def shown(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, LineageWarning):
            print(f"derive: warning: {message}", file=sys.stderr)
        else:
            show(message, category, filename, lineno, file, line)

    warnings.showwarning = shown


class _GuardedStdout:
    """Standard output whose write errors (a full device, an I/O error) become one line naming
    it; a closed pipe stays a BrokenPipeError for :func:`main` to end quietly."""

    def __init__(self, stream):
        self._stream = stream

    def _guard(self, method, *args):
        try:
            return getattr(self._stream, method)(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            _drop_stdout()
            raise UsageError(f"cannot write to standard output: {exc.strerror or exc}") from None

    def write(self, text):
        return self._guard("write", text)

    def flush(self):
        return self._guard("flush")

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _drop_stdout():
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _os_error(exc):
    """One line for an OSError: the path it names and the system's reason."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return f"{exc.filename}: {reason}"
    return reason


def _load(name):
    return _paper(name).derivation()


def _paper(name):
    """The paper ``name`` (or of the file ``name``), its derivation built and validated."""
    from .registry import load_paper

    paper = load_paper(name)
    paper.derivation().validate()
    return paper


def _known_steps(derivation, labels):
    """Unknown step labels are a usage error that lists the known ones."""
    for label in labels or ():
        if label not in derivation:
            known = ", ".join(step.label for step in derivation.ordered())
            suggestion = did_you_mean(label, [step.label for step in derivation.ordered()])
            raise UsageError(f"no step '{label}' in {derivation.name}{suggestion} (known: {known})")


def cmd_list(args):
    from .notation import plain_text
    from .prebuilt import catalogue

    papers = catalogue()
    for name, (title, steps, quantities) in sorted(papers.items()):
        count = f"{steps:3d}" if steps is not None else "  ?"
        print(f"{name:24s} {count} steps  {plain_text(title)}")
        if quantities:
            print(f"{'':24s} quantities: {', '.join(quantities)}")
    unknown = sorted(name for name, entry in papers.items() if entry.steps is None)
    if unknown:  # a note, not part of the table
        print(f"derive: ? steps: not built since its source changed; any command that builds it "
              f"(`derive show {unknown[0]}`) records its steps and quantities", file=sys.stderr)
    return 0


def cmd_show(args):
    """Each step in the derivation's notation as plain text (:func:`derive.notation.plain_expr`),
    or as LaTeX (``--latex``) or sympy's Python form (``--python``)."""
    from .latex import printer
    from .notation import plain_expr, plain_text

    derivation = _load(args.name)
    if args.latex:
        show, prose = printer(derivation).doprint, str
    elif args.python:
        show, prose = str, str
    else:
        show, prose = lambda expr: plain_expr(expr, derivation), plain_text
    _known_steps(derivation, [args.step] if args.step else None)
    steps = [derivation[args.step]] if args.step else derivation.ordered()
    if not args.step:
        print(f"{derivation.name}: {prose(derivation.title)}")
        if derivation.cite:
            print(f"  {derivation.cite}")
        print()
    for step in steps:
        uses = f"  from {', '.join(step.uses)}" if step.uses else ""
        print(f"[{step.label}] {step.kind}{uses}")
        relation = {"==": "=", ">": ">", "<": "<", ">=": ">=", "<=": "<="}.get(
            getattr(step.statement, "rel_op", "=="), "=")
        print(f"    {show(step.statement.lhs)} {relation} {show(step.statement.rhs)}")
        for condition in step.conditions:
            print(f"    if {show(condition)}")
        if step.explanation:
            print(f"    {prose(step.explanation)}")
        if step.ref:
            print(f"    ref: {prose(step.ref)}")
    return 0


def cmd_check(args):
    from .check import check_derivation, summary, table, to_json

    derivation = _load(args.name)
    _known_steps(derivation, args.step)
    results = check_derivation(derivation, use_cache=not args.no_cache, only=args.step)
    if args.json:
        emit(to_json(results, derivation.name))
    else:
        print(table(results))
        print()
        print(f"{derivation.name}: {summary(results)}")
    bad = [r for r in results if not r.ok]
    for r in bad:
        print(f"derive: step '{r.label}' {r.status}: {r.evidence}", file=sys.stderr)
    return 1 if bad else 0


def cmd_latex(args):
    from .latex import DocumentWriter, compile_pdf
    from .output import writable, write_text

    derivation = _load(args.name)
    results = None
    if args.status:
        from .check import check_derivation

        results = check_derivation(derivation)
    writer = DocumentWriter(derivation, results)
    if args.fragment:
        if args.pdf:
            raise UsageError("--pdf needs a whole document; drop --fragment")
        text = writer.fragment(paper_only=args.paper)
    else:
        text = writer.document(paper_only=args.paper)
    if args.output:
        write_text(args.output, text, force=args.force)
        print(f"wrote {args.output}", file=sys.stderr)
    elif not args.pdf:
        sys.stdout.write(text)
    if args.pdf:
        base = os.path.splitext(args.output)[0] if args.output else derivation.name
        pdf = writable(base + ".pdf", force=args.force)
        compile_pdf(text, pdf)
        print(f"wrote {pdf}", file=sys.stderr)
    return 0


def cmd_graph(args):
    from .graph import to_dot, to_json
    from .output import write_text

    derivation = _load(args.name)
    text = to_dot(derivation) if args.format == "dot" else to_json(derivation)
    if args.output:
        write_text(args.output, text, force=args.force)
    elif args.format == "json":
        emit(text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_mc(args):
    from .crosscheck import cross_check, table, to_csv
    from .grid import product
    from .montecarlo import point_text
    from .output import write_text

    paper = _paper(args.name)
    derivation = paper.derivation()
    simulator = paper.model
    if simulator is None:
        raise UsageError(f"derivation '{derivation.name}' has no simulator")
    _check_seed(args.seed)
    protocol = simulator.protocol(args.protocol)
    sizes = _sizes(args.d) if args.d is not None else simulator.default_sizes
    trials = _trials(args.trials) if args.trials is not None else simulator.default_trials
    values, tied = paper.domain.values(args.assignments, simulator.parameters)
    columns = product(values, simulator.parameters, tied)
    _check_tasks(len(columns[0]), sizes, trials)
    names = [str(p) for p in simulator.parameters]
    points = [{n: float(c[i]) for n, c in zip(names, columns)} for i in range(len(columns[0]))]
    executor, store = _sweep_setup(args, os.path.join("out", derivation.name, "sweeps"))
    rows = cross_check(derivation, simulator, points, sizes, trials, seed=args.seed, executor=executor,
                       store=store, protocol=protocol)
    print(table(rows))
    for row in rows:  # also on stderr, where a script reading the table's numbers sees it
        if row.flag:
            print(f"derive: warning: {row.observable} at {point_text(row.point)}: {row.flag}", file=sys.stderr)
    if args.output:
        write_text(args.output, to_csv(rows), force=args.force)
    return 0


def _check_seed(seed):
    if not 0 <= seed <= MAX_SEED:
        raise UsageError(f"--seed {seed}: the seed must be a whole number from 0 to {MAX_SEED}")


def _sizes(text):
    """``--d``: distinct whole numbers from 2 to MAX_SIZE (a 1/d fit needs different sizes)."""
    from .crosscheck import parse_sizes

    if not text.strip():
        raise UsageError("--d is empty: give sizes like 16,24,32")
    sizes = parse_sizes(text)
    if max(sizes) > MAX_SIZE:
        raise UsageError(f"--d {text}: d = {max(sizes)} is too large to simulate here (2 <= d <= {MAX_SIZE})")
    if len(set(sizes)) != len(sizes):
        raise UsageError(f"--d {text}: the sizes must be different (the 1/d fit needs distinct d)")
    return sizes


def _trials(trials):
    if not 2 <= trials <= MAX_TRIALS:
        raise UsageError(f"--trials {trials}: at least 2 trials are needed for a standard error, "
                         f"and at most {MAX_TRIALS} are run (2 <= trials <= {MAX_TRIALS})")
    return trials


def _check_tasks(points, sizes, trials):
    total = points * len(sizes) * trials
    if total > MAX_TASKS:
        raise UsageError(f"{points} points x {len(sizes)} sizes x {trials} trials = {total} trials: "
                         f"at most {MAX_TASKS} in one sweep")


def cmd_mutate(args):
    from .mutate import run, summary
    from .output import json_text

    derivation = _load(args.name)
    _known_steps(derivation, args.step)
    labels = args.step or (None if args.included else derivation.own_labels())
    results = run(derivation, labels=labels)
    rate, killed, changing, survivors = summary(results)
    if args.json:
        emit(json_text([{"step": m.label, "kind": m.kind, "mutation": m.description,
                         "status": m.status, "outcome": m.outcome, "seconds": round(m.seconds, 3)}
                        for m in results]))
    else:
        width = max((len(m.label) for m in results), default=4)
        for m in results:
            print(f"{m.label:{width}s}  {m.kind:16s}  {m.outcome:14s}  {m.status:10s}  {m.description[:70]}")
        equivalent = len(results) - changing
        print()
        print(f"{derivation.name}: {len(results)} mutants, {equivalent} equivalent; killed {killed} of "
              f"{changing} that change the mathematics ({100 * rate:.1f}%)")
    for m in survivors:
        what = "survived" if m.outcome == "survived" else "is true but was failed"
        print(f"derive: mutant of '{m.label}' {what} ({m.kind}: {m.description})", file=sys.stderr)
    return 1 if survivors else 0


def _style_option(parser):
    from .figures import STYLES

    parser.add_argument("--style", choices=list(STYLES), default="default",
                        help="the journal the figures are sized for, at their printed size: pnas (3.42 in "
                             "column, 7.0 in page), neurips (5.5 in), default (3.5 in, 7.0 in)")


def cmd_figure(args):
    from .figures import draw, write

    paper = _paper(args.name)
    derivation = paper.derivation()
    if not paper.figures:
        raise UsageError(f"derivation '{derivation.name}' has no figures")
    chosen = args.figures or list(paper.figures)
    unknown = [f for f in chosen if f not in paper.figures]
    if unknown:
        known = ", ".join(paper.figures)
        raise UsageError(f"unknown figure '{unknown[0]}' for {derivation.name}"
                         f"{did_you_mean(unknown[0], paper.figures)} (known: {known})")
    _check_seed(args.seed)
    directory = args.output or os.path.join("out", derivation.name, "figures")
    for name in chosen:
        figure = draw(paper, name, strict=args.strict, quick=args.quick, seed=args.seed)
        *pictures, table = write(figure, directory, force=args.force, style=args.style)
        print(f"wrote {', '.join(map(str, pictures))} and {table}")
        for lineage in figure.lineage:  # drawn: its note is on the figure and in its caption
            _lineage_line(lineage, args.strict, prefix=f"figure {name}: ")
    return 0


def cmd_reproduce(args):
    from .crosscheck import check_memory
    from .reproduce import reproduce

    _check_seed(args.seed)
    trials = _trials(args.trials) if args.trials is not None else None
    sizes = _sizes(args.d) if args.d is not None else None
    paper = _paper(args.name)
    derivation = paper.derivation()
    directory = args.output or os.path.join("out", derivation.name)
    if paper.model is not None:
        _check_tasks(len(paper.model.points), sizes or paper.model.default_sizes,
                     trials or paper.model.default_trials)
        if sizes:  # before the check and the figures: a cross-check that cannot fit is refused now
            check_memory(paper.model, paper.model.points, sizes)
    protocol = _reproduce_protocol(paper, args.protocol)
    if args.paper_size and not paper.paper_size:
        raise UsageError(f"--paper-size: {derivation.name} declares no paper-size simulations")
    if args.paper_size and args.quick:
        raise UsageError("--paper-size and --quick contradict each other")
    executor, store = _sweep_setup(args, os.path.join(directory, "sweeps"))
    ok = reproduce(paper, directory, quick=args.quick, force=args.force, seed=args.seed,
                   sizes=sizes, trials=trials, log=lambda text: print(text, file=sys.stderr),
                   executor=executor, store=store, protocol=protocol, paper_size=args.paper_size,
                   strict=args.strict, style=args.style)
    print(f"wrote {directory}/report.md")
    if not ok:
        print(f"derive: some steps of {derivation.name} are not established; see {directory}/check.txt",
              file=sys.stderr)
    return 0 if ok else 1


def _reproduce_protocol(paper, name):
    """``--protocol`` of ``derive reproduce``: one the paper's model declares (None: the default)."""
    if paper.model is not None:
        return paper.model.protocol(name)
    if name is not None and name != "derive":
        raise UsageError(f"--protocol {name}: {paper.derivation().name} has no model to simulate")
    return None


def cmd_eval(args):
    import numpy as np

    from .grid import check_bounds, forbidden_points, parse_assignments, product
    from .lower import mark_singular
    from .output import csv_text, write_text
    from .prebuilt import lowered_quantity

    spectra = _spectra(args.spectrum)
    if spectra:  # specialised to the spectra given: built from the derivation, never from the cache
        lowered, domain = _with_spectra(args.name, args.quantity, spectra)
    else:
        lowered, domain = lowered_quantity(args.name, args.quantity, _paper)
    values, tied = parse_assignments(args.assignments, lowered.parameters, domain.defaults)
    check_bounds(values, domain)
    for symbol, array in values.items():  # 2+0j for a real parameter is 2
        if symbol.is_real and np.iscomplexobj(array):
            values[symbol] = array.real
    refused = []
    for validate in domain.forbidden:
        try:
            validate(values)
        except UsageError:
            if args.strict:
                raise
            refused.append(validate)
    columns = product(values, lowered.parameters, tied)
    _lineage_line(lowered.lineage, args.strict)
    points = len(columns[0]) if columns else 1
    forbidden, reason = np.zeros(points, dtype=bool), None
    for validate in refused:  # find the points of the combination, one by one
        found, error = forbidden_points(validate, dict(zip(lowered.parameters, columns)))
        forbidden |= found
        reason = reason or error
    notes = []
    result = _bounded_evaluation(lowered, args.quantity, columns, forbidden, notes)
    if notes and args.strict:
        raise UsageError(notes[0])
    for note in notes:  # points double precision cannot hold, nor mpmath settle
        print(f"derive: warning: {note}; --strict refuses such a grid", file=sys.stderr)
    if forbidden.any():
        result = mark_singular(result, forbidden)
    singular = ~np.isfinite(result)
    for note in notes:  # named already, in its own line
        singular[note.positions] = False
    if singular.any():
        where = [", ".join(f"{p}={_grid_value(c[i])}" for p, c in zip(lowered.parameters, columns))
                 for i in np.flatnonzero(singular)[:_NAMED_POINTS]]
        if args.strict:
            raise UsageError(f"{args.quantity} is not finite at {where[0]}")
        more = int(singular.sum()) - len(where)
        named = "; ".join(where) + (f"; and {more} more" if more else "")
        why = f" ({reason})" if reason is not None else ""
        print(f"derive: warning: {args.quantity} is inf or nan at {int(singular.sum())} of {len(singular)} "
              f"points: {named}{why}; --strict refuses such a grid", file=sys.stderr)
    text = csv_text([*lowered.parameters, args.quantity], [*columns, result])
    if args.output:
        write_text(args.output, text, force=args.force)
    else:
        sys.stdout.write(text)
    return 0


def _bounded_evaluation(lowered, quantity, columns, forbidden, notes):
    """``lowered.evaluate`` on the grid under a CPU budget of :data:`EVAL_SECONDS` plus
    :data:`EVAL_SECONDS_PER_POINT` a point: a point whose cost has no bound (a hypergeometric
    function with a parameter 1/p = 1e12, an integrand no precision settles) is refused in one
    line naming it, never minutes of silence."""
    from .budget import BudgetExceeded, cpu_limit

    points = len(columns[0]) if columns else 1
    seconds = EVAL_SECONDS + EVAL_SECONDS_PER_POINT * points
    try:
        with cpu_limit(seconds):
            return lowered.evaluate(*columns, skip=forbidden, notes=notes)
    except BudgetExceeded:
        first = ", ".join(f"{p}={_grid_value(c[0])}" for p, c in zip(lowered.parameters, columns))
        where = f"at {first}" if points == 1 else f"on {points} points (the first at {first})"
        raise UsageError(f"{quantity} {where}: not computed within {seconds:g} CPU seconds; its cost grows "
                         "without bound towards the edge of a parameter's domain (a value near 0 or 1, or "
                         "very large): move it inward, or ask fewer points") from None


def _spectra(items):
    """``--spectrum LAW=SPECTRUM`` options as ``{law name: spectrum}`` (:mod:`derive.rmt.given`)."""
    from .rmt.given import as_spectrum

    spectra = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name or not text.strip():
            raise UsageError(f"--spectrum {item}: write LAW=SPECTRUM, e.g. --spectrum R=mp(0.5)")
        if name in spectra:
            raise UsageError(f"--spectrum {name} is given twice")
        spectra[name] = as_spectrum(text.strip(), name)
    return spectra


def _with_spectra(name, quantity, spectra):
    """The quantity of ``name`` lowered with its spectral means over ``spectra``, and the domain."""
    from .lower import lower_quantity
    from .rmt.given import laws_of

    paper = _paper(name)
    derivation = paper.derivation()
    if quantity not in derivation.quantities:
        known = ", ".join(sorted(derivation.quantities)) or "none"
        raise UsageError(f"unknown quantity '{quantity}' for {derivation.name}"
                         f"{did_you_mean(quantity, derivation.quantities)} (known: {known})")
    from .lower import closed_form, implicit_root, root_solvers

    used = set(laws_of(closed_form(derivation, quantity)))
    spec = derivation.quantities[quantity]
    for unknown in spec.implicit:  # a mean in the residual of an implicit root
        used |= set(laws_of(implicit_root(derivation, spec, unknown).equation))
    for solver in root_solvers(derivation, spec, closed_form(derivation, quantity))[1]:  # of a root step
        used |= set(laws_of(solver.equation))
    unused = sorted(set(spectra) - used)
    if unused:
        over = ", ".join(sorted(used)) or "no law"
        raise UsageError(f"--spectrum {unused[0]}: {quantity} has no spectral mean over {unused[0]} "
                         f"(its means are over {over})")
    return lower_quantity(derivation, quantity, domain=paper.domain, spectra=spectra), paper.domain


def _lineage_line(lineage, strict, prefix=""):
    """The line of a quantity resting on steps not verified (:mod:`derive.lineage`): a warning on
    stderr, the exit code unchanged; with ``strict`` a refusal (exit 1)."""
    from .errors import UnverifiedLineage

    if lineage is None or lineage.verified:
        return
    if strict:
        raise UnverifiedLineage(prefix + lineage.message())
    print(f"derive: warning: {prefix}{lineage.message()}", file=sys.stderr)


#: How many singular points the warning of ``derive eval`` names.
_NAMED_POINTS = 3


def _grid_value(value):
    import numpy as np

    from .grid import show_complex

    return show_complex(value)


def cmd_law(args):
    import numpy as np

    from .output import write_text
    from .rmt.expression import parse_law
    from .rmt.sampling import check_by_simulation

    _check_law_text(args.expression)
    values = _law_assignments(args.assignments) if args.assignments else None
    if args.moments is not None and not 0 <= args.moments <= MAX_LAW_ORDER:
        raise UsageError(f"--moments {args.moments}: K must be from 0 to {MAX_LAW_ORDER}")
    if args.cumulants is not None and not 1 <= args.cumulants <= MAX_LAW_ORDER:
        raise UsageError(f"--cumulants {args.cumulants}: K must be from 1 to {MAX_LAW_ORDER}")
    xs = _density_grid(args.density) if args.density is not None else None
    points = _complex_list(args.stieltjes) if args.stieltjes is not None else None
    try:
        with _law_budget("building the law", "fewer operations, or values for its parameters"):
            law = parse_law(args.expression)
            if values:
                law = law.subs(values)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError) as exc:
        raise UsageError(str(exc)) from None
    if getattr(law, "continuum", False):
        _refuse_for_continuum(law, args)
    numeric = xs is not None or points is not None or args.support or args.atoms or args.check
    if numeric and law.parameters:
        names = ", ".join(map(str, law.parameters))
        raise UsageError(f"{law} has symbolic parameters ({names}): give them values, e.g. {law.parameters[0]}=0.5")
    # The density CSV alone goes to stdout when no file is given; the rest then goes to stderr.
    report = sys.stderr if args.density and not args.output else sys.stdout
    say = functools.partial(print, file=report)
    say(f"law: {law}")
    say(f"curve: {law.curve} = 0" if hasattr(law, "curve") else "curve: none (not algebraic)")
    if args.latex:
        say(law.latex())
    if args.moments is not None:
        with _law_budget(f"--moments {args.moments}", "ask fewer, or give the parameters values"):
            moments = law.moments(args.moments)
        for k, value in enumerate(moments):
            say(_moment_text(k, value))
    if args.cumulants is not None:
        with _law_budget(f"--cumulants {args.cumulants}", "ask fewer, or give the parameters values"):
            cumulants = law.free_cumulants(args.cumulants)
        for k, value in enumerate(cumulants, start=1):
            say(f"kappa_{k} = {value}")
    if args.atoms:
        with _law_budget("--atoms"):
            atoms = law.atoms() or []
        for x, weight in atoms:
            say(f"atom at {x} ({float(x):.12g}): weight {weight}")
        if not atoms:
            say("atoms: none")
    if args.support:
        with _law_budget("--support"):
            support = law.support()
        for a, b in support:
            say(f"support: [{a}, {b}] = [{float(a):.12g}, {float(b):.12g}]")
    if points:
        with _law_budget("--stieltjes", "ask fewer points"):
            transforms = law.stieltjes(np.array(points))
        _stieltjes_finite(law, points, transforms)
        for at, value in zip(points, transforms):
            say(f"m({_show_complex(at)}) = {value.real:.15g} {'+' if value.imag >= 0 else '-'} {abs(value.imag):.15g}i")
    if xs is not None:
        with _law_budget(f"--density {args.density}", "ask fewer points"):
            density = law.density(xs)
        _density_finite(law, xs, density)
        rows = "x,density\n" + "".join(f"{x!r},{d!r}\n" for x, d in zip(xs.tolist(), density.tolist()))
        if args.output:
            write_text(args.output, rows, force=args.force)
            mass = float(np.trapezoid(density, xs))
            say(f"density: {len(xs)} points written to {args.output} (integral over the grid {mass:.6f})")
        else:
            sys.stdout.write(rows)
    if args.check:
        zs = _check_points(law)
        say("z, theory m(z), simulation (N -> oo), standard error, deviation/se")
        failed = False
        for row in check_by_simulation(law, zs, sizes=(200, 400, 800), trials=20, seed=0):
            failed |= row.deviation > 4
            say(f"{_show_complex(row.z)}, {row.theory:.6f}, {row.extrapolated:.6f}, {row.se:.2g}, {row.deviation:.2f}")
        if failed:
            print("check: the simulation is more than 4 standard errors from the theory", file=sys.stderr)
            return 1
    return 0


def _refuse_for_continuum(law, args):
    """The options of ``derive law`` a law with no curve (``powerlaw(p)``, ``derive.rmt.continuum``)
    cannot answer, one line each; ``--check`` needs a random matrix model (a product with mp(c))."""
    for flag, given in (("--cumulants", args.cumulants is not None), ("--atoms", args.atoms),
                        ("--latex", args.latex)):
        if given:
            raise UsageError(f"{flag}: {law} is not algebraic (no curve, no exact transforms)")
    if args.density is not None and getattr(law, "steps", False):
        raise UsageError(f"--density: {law} is a finite spectrum (point masses, no density); "
                         "ask for --moments or --stieltjes")
    if args.check and not law.random_model:
        raise UsageError(f"--check: {law} has no random matrix model (its finite-size spectrum is "
                         "deterministic); check a product with mp(c), e.g. powerlaw(0.5) * mp(0.5)")
    if args.moments is not None and law.parameters:
        names = ", ".join(map(str, law.parameters))
        raise UsageError(f"--moments: {law} is numeric (not algebraic); give {names} values, "
                         f"e.g. {law.parameters[0]}=0.5")


def _stieltjes_finite(law, points, transforms):
    """Refuse (one line) a point where the Stieltjes transform is not finite: an atom of the law
    (``m(z) ~ w / (x0 - z)``, a pole) or an edge where the density diverges; its value there is
    infinite, and no finite number is printed for it."""
    import numpy as np

    bad = ~np.isfinite(np.asarray(transforms, dtype=complex))
    if bad.any():
        at = points[int(np.flatnonzero(bad)[0])]
        raise UsageError(f"--stieltjes {_show_complex(at)}: m(z) of {law} is infinite there (z is an atom or "
                         "an edge of the support, where m has a singularity); ask a point off it, e.g. "
                         f"{_show_complex(complex(at) + 1e-6j)}")


def _density_finite(law, xs, density):
    """Refuse (one line) a grid point where the density is not a finite number."""
    import numpy as np

    bad = ~np.isfinite(np.asarray(density, dtype=float))
    if bad.any():
        x = float(xs[int(np.flatnonzero(bad)[0])])
        raise UsageError(f"--density: the density of {law} is not finite at x = {x!r} (an edge where it "
                         "diverges, or an atom); leave that point out of the grid")


def _moment_text(k, value):
    """``mu_k = value``; a float moment (a law that is not algebraic) to 15 digits, or infinite."""
    import math

    if isinstance(value, float):
        return f"mu_{k} = {value:.15g}" if math.isfinite(value) else f"mu_{k} = inf (E X^{k} is infinite)"
    return f"mu_{k} = {value}"


#: Names that read as numbers to a person but would be symbolic parameters to the parser.
_NOT_NUMBERS = {"nan", "inf", "infinity", "oo", "zoo"}


@contextlib.contextmanager
def _law_budget(what, hint=""):
    """An operation of ``derive law`` under its CPU budget (MAX_LAW_SECONDS): past it, one line.

    Inside it numpy's floating-point warnings are off (a value that is not finite is looked at
    by the caller, and said in derive's own line), and an arithmetic failure of the numerics
    (an overflow past double range, a continuation that stalls) is one line naming the option,
    never an internal error."""
    import numpy as np

    from .budget import refusing

    try:
        with refusing(MAX_LAW_SECONDS, what, hint), np.errstate(all="ignore"):
            yield
    except OverflowError as exc:
        raise UsageError(f"{what}: past double precision ({exc.args[-1] if exc.args else exc}); "
                         "the law's scale or its moments exceed 1.8e308") from None
    except ArithmeticError as exc:
        raise UsageError(f"{what}: cannot be computed in double precision ({exc})") from None


def _check_law_text(text):
    """Refuse, before the parser does any work, a law text past the stated limits: longer than
    MAX_LAW_TEXT characters, nested too deeply, a number that is not finite or a power whose
    exponent is not a number of at most MAX_LAW_EXPONENT in size, nan or inf as a name."""
    import ast

    if len(text) > MAX_LAW_TEXT:
        raise UsageError(f"the law is {len(text)} characters long; at most {MAX_LAW_TEXT} are read")
    try:
        tree = ast.parse(text.strip(), mode="eval")
        nodes = list(ast.walk(tree))
    except (RecursionError, MemoryError):
        raise UsageError("the law is nested too deeply to read") from None
    except (SyntaxError, ValueError):
        return  # the parser's own message says what is wrong
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex)):
            if not cmath_finite(node.value):
                raise UsageError(f"{ast.get_source_segment(text.strip(), node) or node.value}: "
                                 "a number in a law must be finite (|x| < 1.8e308)")
        if isinstance(node, ast.Name) and node.id.lower() in _NOT_NUMBERS:
            raise UsageError(f"{node.id}: a law's parameters must be finite numbers, not {node.id}")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exponent = _literal(node.right)
            if exponent is None or abs(exponent) > MAX_LAW_EXPONENT:
                shown = ast.get_source_segment(text.strip(), node.right) or "?"
                raise UsageError(f"**{shown}: a power's exponent must be a number from -{MAX_LAW_EXPONENT} "
                                 f"to {MAX_LAW_EXPONENT}")
    for node in nodes:
        if isinstance(node, ast.BinOp) and _arithmetic(node) is False:
            shown = ast.get_source_segment(text.strip(), node) or "a number"
            raise UsageError(f"{shown}: the number is not finite (a division by zero or past 1.8e308)")


def _arithmetic(node):
    """Arithmetic on numbers alone, in floating point: its value, None when the node holds a
    name or a law, False when the value is not finite (overflow, a division by zero)."""
    import ast
    import operator

    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, (int, float)) and not isinstance(node.value, bool) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _arithmetic(node.operand)
        return -value if isinstance(node.op, ast.USub) and value not in (None, False) else value
    operations = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
                  ast.Div: operator.truediv, ast.Pow: operator.pow}
    if isinstance(node, ast.BinOp) and type(node.op) in operations:
        left, right = _arithmetic(node.left), _arithmetic(node.right)
        if left is False or right is False:
            return False
        if left is None or right is None:
            return None
        try:
            value = operations[type(node.op)](float(left), float(right))
        except (OverflowError, ZeroDivisionError):
            return False
        return value if cmath_finite(value) else False
    return None


def _literal(node):
    """The value of a plain (signed) number literal, else None."""
    import ast

    sign = 1
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -sign if isinstance(node.op, ast.USub) else sign
        node = node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return sign * node.value
    return None


def cmath_finite(value):
    import cmath

    try:
        return cmath.isfinite(complex(value))
    except OverflowError:  # an integer past float range
        return False


def _law_assignments(words):
    import math

    from .grid import shown

    values = {}
    for word in words:
        name, sep, value = word.partition("=")
        if sep and name in values:
            raise UsageError(f"{name} is given twice ({name}={shown(values[name])} and {word}); give it once")
        try:
            values[name] = float(value) if sep else None
        except ValueError:
            values[name] = None
        if values[name] is None:
            raise UsageError(f"{word!r}: write a parameter value as name=number")
        if not math.isfinite(values[name]):
            raise UsageError(f"{word}: {name} must be a finite number (|{name}| < 1.8e308)")
    return values


def _show_complex(value):
    return f"{value.real:g}" if value.imag == 0 else f"{value.real:g}{value.imag:+g}i"


def _complex_list(text):
    parts = text.split(",")
    if len(parts) > MAX_STIELTJES_POINTS:
        raise UsageError(f"--stieltjes: {len(parts)} points; at most {MAX_STIELTJES_POINTS}")
    try:
        points = [complex(part.strip().replace("i", "j")) for part in parts]
    except ValueError:
        raise UsageError(f"--stieltjes {text!r}: write complex points like 1+0.5j, separated by commas") from None
    bad = [part.strip() for part, z in zip(parts, points) if not cmath_finite(z)]
    if bad:
        raise UsageError(f"--stieltjes {bad[0]}: the points must be finite complex numbers")
    return points


def _density_grid(text):
    import math

    import numpy as np

    parts = text.split(":")
    try:
        a, b, n = float(parts[0]), float(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        raise UsageError(f"--density {text!r}: write a:b:n, e.g. 0:4:1000") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise UsageError(f"--density {text}: the ends a and b must be finite numbers")
    if len(parts) != 3 or not a < b or not 2 <= n <= MAX_DENSITY_POINTS:
        raise UsageError(f"--density {text}: need a < b and 2 <= n <= {MAX_DENSITY_POINTS}")
    return np.linspace(a, b, n)


def _check_points(law):
    """Points above the support (where finite-size corrections are smooth) and one far out."""
    if getattr(law, "continuum", False):   # a support without atoms, maybe unbounded
        # -1 is off the support of a positive law (the task resolvent's side), not of any law.
        return [-1.0 if law.positive else -1 + 1j, 0.5 + 1j, 2 + 1j, -1 + 2j]
    edges = [float(x) for piece in law.support() for x in piece] + [float(x) for x, _ in law.atoms()]
    low, high = (min(edges), max(edges)) if edges else (-1.0, 1.0)
    width = max(high - low, 1.0)
    return [low + width * t + 0.25j * width for t in (0.25, 0.5, 0.75)] + [low - width + 1j * width]


def cmd_compare(args):
    """``derive compare``: :func:`derive.pasted.compare`, printed in the derivation's notation."""
    from .notation import plain_expr
    from .pasted import compare

    derivation = _load(args.name)
    _known_steps(derivation, [args.step])
    result = compare(derivation, args.step, args.latex)
    for line in result.lines(lambda expr: plain_expr(expr, derivation)):
        print(line)
    return result.exit_code


COMMANDS = {"compare": cmd_compare, "list": cmd_list, "show": cmd_show, "check": cmd_check, "latex": cmd_latex,
            "graph": cmd_graph, "eval": cmd_eval, "mc": cmd_mc, "figure": cmd_figure, "mutate": cmd_mutate,
            "reproduce": cmd_reproduce, "law": cmd_law}

__all__ = ["main", "build_parser"]

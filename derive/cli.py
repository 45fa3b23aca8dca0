"""The ``derive`` command.

    derive list
    derive show NAME [STEP]
    derive check NAME|FILE.py [--json] [--no-cache] [--step LABEL ...]
    derive latex NAME|FILE.py [-o FILE] [--pdf] [--fragment] [--paper] [--status] [--force]
    derive graph NAME|FILE.py [--format dot|json] [-o FILE] [--force]
    derive eval NAME QUANTITY name=value|start:stop:num[log] ... [-o FILE] [--force]
    derive mc NAME name=value ... [--d 16,24,32] [--trials N] [--seed S] [-o FILE]
    derive mutate NAME [--step LABEL ...] [--json]
    derive figure NAME [FIG ...] [-o DIR] [--quick] [--force]
    derive reproduce NAME [-o DIR] [--quick] [--d ...] [--trials N] [--seed S] [--force]
    derive law "EXPR" [name=value ...] [--moments K] [--cumulants K] [--density a:b:n]
               [--stieltjes Z[,Z...]] [--support] [--atoms] [--latex] [--check] [-o FILE] [--force]

Exit codes: 0 every step verified (or the command succeeded); 1 a step failed, is unverified,
or the derivation cannot be built; 2 a usage error.  Errors are one line on stderr.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import sys

from .errors import DeriveError, UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser():
    parser = _Parser(prog="derive", description="Checked symbolic-numeric derivations.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    sub.add_parser("list", help="list the shipped derivations")

    show = sub.add_parser("show", help="print a derivation's steps (or one step)")
    show.add_argument("name", help="a derivation name or a .py file defining `derivation`")
    show.add_argument("step", nargs="?", help="one step's label")

    check = sub.add_parser("check", help="check every step; exit 0 only if all are verified")
    check.add_argument("name")
    check.add_argument("--json", action="store_true", help="print the results as JSON")
    check.add_argument("--no-cache", action="store_true", help="prove every step again")
    check.add_argument("--step", action="append", metavar="LABEL", help="check only this step (repeatable)")

    latex = sub.add_parser("latex", help="export the derivation as LaTeX (or PDF)")
    latex.add_argument("name")
    latex.add_argument("-o", "--output", metavar="FILE", help="write the .tex here (default: stdout)")
    latex.add_argument("--pdf", action="store_true", help="also compile a PDF with pdflatex")
    latex.add_argument("--fragment", action="store_true", help="equations only, no preamble")
    latex.add_argument("--paper", action="store_true", help="only the steps that carry a paper reference")
    latex.add_argument("--status", action="store_true", help="print each step's check status and method")
    latex.add_argument("--force", action="store_true", help="overwrite existing output files")

    graph = sub.add_parser("graph", help="the step graph as DOT or JSON")
    graph.add_argument("name")
    graph.add_argument("--format", choices=("dot", "json"), default="dot")
    graph.add_argument("-o", "--output", metavar="FILE")
    graph.add_argument("--force", action="store_true")

    mc = sub.add_parser("mc", help="simulate the model at finite d next to the theory")
    mc.add_argument("name")
    mc.add_argument("assignments", nargs="*", metavar="name=value")
    mc.add_argument("--d", default=None, metavar="D1,D2,...", help="sizes (default: the derivation's)")
    mc.add_argument("--trials", type=int, default=None, help="trials per point and size")
    mc.add_argument("--seed", type=int, default=0)
    mc.add_argument("-o", "--output", metavar="FILE", help="also write the rows as CSV")
    mc.add_argument("--force", action="store_true")
    _sweep_options(mc, "out/NAME/sweeps")

    mutate = sub.add_parser("mutate", help="mutation-test the checker on a derivation's exact steps")
    mutate.add_argument("name")
    mutate.add_argument("--step", action="append", metavar="LABEL", help="only this step (repeatable)")
    mutate.add_argument("--json", action="store_true", help="print every mutant as JSON")
    mutate.add_argument("--included", action="store_true",
                        help="also the steps of included derivations (mutated in their own run otherwise)")

    figure = sub.add_parser("figure", help="regenerate a derivation's figures (PNG + CSV)")
    figure.add_argument("name")
    figure.add_argument("figures", nargs="*", metavar="FIG", help="which figures (default: all)")
    figure.add_argument("-o", "--output", metavar="DIR", help="default: out/NAME/figures")
    figure.add_argument("--quick", action="store_true", help="small simulations, coarse maps")
    figure.add_argument("--seed", type=int, default=0)
    figure.add_argument("--force", action="store_true")

    reproduce = sub.add_parser("reproduce", help="check, LaTeX, figures, cross-check and report under out/NAME")
    reproduce.add_argument("name")
    reproduce.add_argument("-o", "--output", metavar="DIR", help="default: out/NAME")
    reproduce.add_argument("--quick", action="store_true", help="small simulations, coarse maps")
    reproduce.add_argument("--seed", type=int, default=0)
    reproduce.add_argument("--d", default=None, metavar="D1,D2,...", help="cross-check sizes")
    reproduce.add_argument("--trials", type=int, default=None)
    reproduce.add_argument("--force", action="store_true")
    _sweep_options(reproduce, "DIR/sweeps")

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

    evaluate = sub.add_parser("eval", help="evaluate a quantity on a parameter grid (CSV)")
    evaluate.add_argument("name")
    evaluate.add_argument("quantity")
    evaluate.add_argument("assignments", nargs="*", metavar="name=value")
    evaluate.add_argument("-o", "--output", metavar="FILE")
    evaluate.add_argument("--force", action="store_true")
    return parser


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
    try:
        args = parser.parse_args(argv)
        return COMMANDS[args.command](args)
    except DeriveError as exc:
        print(f"derive: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug in derive itself: still one line, with a way to see more
        if os.environ.get("DERIVE_DEBUG"):
            raise
        print(f"derive: internal error: {type(exc).__name__}: {exc} (set DERIVE_DEBUG=1 for a traceback)",
              file=sys.stderr)
        return 3


def _load(name):
    from .registry import load

    derivation = load(name)
    derivation.validate()
    return derivation


def _known_steps(derivation, labels):
    """Unknown step labels are a usage error that lists the known ones."""
    for label in labels or ():
        if label not in derivation:
            known = ", ".join(step.label for step in derivation.ordered())
            raise UsageError(f"no step '{label}' in {derivation.name} (known: {known})")


def cmd_list(args):
    from .prebuilt import catalogue

    for name, (steps, title) in sorted(catalogue().items()):
        print(f"{name:24s} {steps:3d} steps  {title}")
    return 0


def cmd_show(args):
    derivation = _load(args.name)
    _known_steps(derivation, [args.step] if args.step else None)
    steps = [derivation[args.step]] if args.step else derivation.ordered()
    if not args.step:
        print(f"{derivation.name}: {derivation.title}")
        if derivation.cite:
            print(f"  {derivation.cite}")
        print()
    for step in steps:
        uses = f"  from {', '.join(step.uses)}" if step.uses else ""
        print(f"[{step.label}] {step.kind}{uses}")
        print(f"    {step.statement.lhs} = {step.statement.rhs}")
        for condition in step.conditions:
            print(f"    if {condition}")
        if step.explanation:
            print(f"    {step.explanation}")
        if step.ref:
            print(f"    ref: {step.ref}")
    return 0


def cmd_check(args):
    from .check import check_derivation, summary, table, to_json

    derivation = _load(args.name)
    _known_steps(derivation, args.step)
    results = check_derivation(derivation, use_cache=not args.no_cache, only=args.step)
    if args.json:
        print(to_json(results, derivation.name))
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
    else:
        sys.stdout.write(text)
    return 0


def _grid_values(derivation, assignments, parameters):
    """Parse name=value words for ``parameters`` and check their domains; returns the values
    and the parameters tied to another by default (see :func:`derive.grid.parse_assignments`).
    ``derivation`` may be anything with its ``defaults``, ``infinite_allowed`` and
    ``parameter_checks`` (:class:`derive.prebuilt.Domain`)."""
    from .grid import check_domain, parse_assignments

    values, tied = parse_assignments(assignments, parameters, derivation.defaults)
    for symbol, array in values.items():
        check_domain(symbol, array, allow_infinite=symbol in derivation.infinite_allowed)
    for validate in derivation.parameter_checks:
        validate(values)
    return values, tied


def cmd_mc(args):
    from .crosscheck import cross_check, parse_sizes, table, to_csv
    from .grid import product
    from .output import write_text

    derivation = _load(args.name)
    simulator = derivation.simulator
    if simulator is None:
        raise UsageError(f"derivation '{derivation.name}' has no simulator")
    sizes = parse_sizes(args.d) if args.d else simulator.default_sizes
    trials = args.trials if args.trials is not None else simulator.default_trials
    if trials < 2:
        raise UsageError(f"--trials {trials}: at least 2 trials are needed for a standard error")
    values, tied = _grid_values(derivation, args.assignments, simulator.parameters)
    columns = product(values, simulator.parameters, tied)
    names = [str(p) for p in simulator.parameters]
    points = [{n: float(c[i]) for n, c in zip(names, columns)} for i in range(len(columns[0]))]
    executor, store = _sweep_setup(args, os.path.join("out", derivation.name, "sweeps"))
    rows = cross_check(derivation, points, sizes, trials, seed=args.seed, executor=executor, store=store)
    print(table(rows))
    if args.output:
        write_text(args.output, to_csv(rows), force=args.force)
    return 0


def cmd_mutate(args):
    import json

    from .mutate import run, summary

    derivation = _load(args.name)
    _known_steps(derivation, args.step)
    labels = args.step or (None if args.included else derivation.own_labels())
    results = run(derivation, labels=labels)
    rate, killed, changing, survivors = summary(results)
    if args.json:
        print(json.dumps([{"step": m.label, "kind": m.kind, "mutation": m.description,
                           "status": m.status, "outcome": m.outcome, "seconds": round(m.seconds, 3)}
                          for m in results], indent=2))
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


def cmd_figure(args):
    from .figures import write

    derivation = _load(args.name)
    if not derivation.figures:
        raise UsageError(f"derivation '{derivation.name}' has no figures")
    chosen = args.figures or list(derivation.figures)
    unknown = [f for f in chosen if f not in derivation.figures]
    if unknown:
        known = ", ".join(derivation.figures)
        raise UsageError(f"unknown figure '{unknown[0]}' for {derivation.name} (known: {known})")
    directory = args.output or os.path.join("out", derivation.name, "figures")
    for name in chosen:
        figure = derivation.figures[name](derivation, quick=args.quick, seed=args.seed)
        png, table = write(figure, directory, force=args.force)
        print(f"wrote {png} and {table}")
    return 0


def cmd_reproduce(args):
    from .crosscheck import parse_sizes
    from .reproduce import reproduce

    derivation = _load(args.name)
    if args.trials is not None and args.trials < 2:
        raise UsageError(f"--trials {args.trials}: at least 2 trials are needed for a standard error")
    directory = args.output or os.path.join("out", derivation.name)
    sizes = parse_sizes(args.d) if args.d else None
    executor, store = _sweep_setup(args, os.path.join(directory, "sweeps"))
    ok = reproduce(derivation, directory, quick=args.quick, force=args.force, seed=args.seed,
                   sizes=sizes, trials=args.trials, log=lambda text: print(text, file=sys.stderr),
                   executor=executor, store=store)
    print(f"wrote {directory}/report.md")
    if not ok:
        print(f"derive: some steps of {derivation.name} are not established; see {directory}/check.txt",
              file=sys.stderr)
    return 0 if ok else 1


def cmd_eval(args):
    import numpy as np

    from .grid import product
    from .output import write_text
    from .prebuilt import lowered_quantity

    lowered, domain = lowered_quantity(args.name, args.quantity, _load)
    values, tied = _grid_values(domain, args.assignments, lowered.parameters)
    columns = product(values, lowered.parameters, tied)
    result = lowered(*columns)
    if not np.all(np.isfinite(result)):
        bad = int(np.flatnonzero(~np.isfinite(result))[0])
        point = ", ".join(f"{p}={c[bad]:g}" for p, c in zip(lowered.parameters, columns))
        raise UsageError(f"{args.quantity} is not finite at {point}")
    buffer = io.StringIO()
    header = [str(p) for p in lowered.parameters] + [args.quantity]
    complex_valued = np.iscomplexobj(result)
    if complex_valued:
        header[-1:] = [f"re_{args.quantity}", f"im_{args.quantity}"]
    buffer.write(",".join(header) + "\n")
    for i in range(len(result)):
        row = [repr(float(c[i])) for c in columns]
        if complex_valued:
            row += [repr(float(result[i].real)), repr(float(result[i].imag))]
        else:
            row.append(repr(float(result[i])))
        buffer.write(",".join(row) + "\n")
    if args.output:
        write_text(args.output, buffer.getvalue(), force=args.force)
    else:
        sys.stdout.write(buffer.getvalue())
    return 0


def cmd_law(args):
    import numpy as np

    from .output import write_text
    from .rmt.expression import parse_law
    from .rmt.sampling import check_by_simulation

    try:
        law = parse_law(args.expression)
        if args.assignments:
            law = law.subs(_law_assignments(args.assignments))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    numeric = args.density or args.stieltjes or args.support or args.atoms or args.check
    if numeric and law.parameters:
        names = ", ".join(map(str, law.parameters))
        raise UsageError(f"{law} has symbolic parameters ({names}): give them values, e.g. {law.parameters[0]}=0.5")
    if args.moments is not None and args.moments < 0:
        raise UsageError(f"--moments {args.moments}: K must be >= 0")
    if args.cumulants is not None and args.cumulants < 1:
        raise UsageError(f"--cumulants {args.cumulants}: K must be >= 1")
    xs = _density_grid(args.density) if args.density else None
    points = _complex_list(args.stieltjes) if args.stieltjes else None
    # The density CSV alone goes to stdout when no file is given; the rest then goes to stderr.
    report = sys.stderr if args.density and not args.output else sys.stdout
    say = functools.partial(print, file=report)
    say(f"law: {law}")
    say(f"curve: {law.curve} = 0")
    if args.latex:
        say(law.latex())
    if args.moments is not None:
        for k, value in enumerate(law.moments(args.moments)):
            say(f"mu_{k} = {value}")
    if args.cumulants is not None:
        for k, value in enumerate(law.free_cumulants(args.cumulants), start=1):
            say(f"kappa_{k} = {value}")
    if args.atoms:
        for x, weight in law.atoms() or []:
            say(f"atom at {x} ({float(x):.12g}): weight {weight}")
        if not law.atoms():
            say("atoms: none")
    if args.support:
        for a, b in law.support():
            say(f"support: [{a}, {b}] = [{float(a):.12g}, {float(b):.12g}]")
    if points:
        for at, value in zip(points, law.stieltjes(np.array(points))):
            say(f"m({_show_complex(at)}) = {value.real:.15g} {'+' if value.imag >= 0 else '-'} {abs(value.imag):.15g}i")
    if xs is not None:
        density = law.density(xs)
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


def _law_assignments(words):
    values = {}
    for word in words:
        name, sep, value = word.partition("=")
        try:
            values[name] = float(value) if sep else None
        except ValueError:
            values[name] = None
        if values[name] is None:
            raise UsageError(f"{word!r}: write a parameter value as name=number")
    return values


def _show_complex(value):
    return f"{value.real:g}" if value.imag == 0 else f"{value.real:g}{value.imag:+g}i"


def _complex_list(text):
    try:
        return [complex(part.strip().replace("i", "j")) for part in text.split(",")]
    except ValueError:
        raise UsageError(f"--stieltjes {text}: write complex points like 1+0.5j, separated by commas") from None


def _density_grid(text):
    import numpy as np

    parts = text.split(":")
    try:
        a, b, n = float(parts[0]), float(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        raise UsageError(f"--density {text}: write a:b:n, e.g. 0:4:1000") from None
    if len(parts) != 3 or not a < b or n < 2:
        raise UsageError(f"--density {text}: need a < b and n >= 2")
    return np.linspace(a, b, n)


def _check_points(law):
    """Points above the support (where finite-size corrections are smooth) and one far out."""
    edges = [float(x) for piece in law.support() for x in piece] + [float(x) for x, _ in law.atoms()]
    low, high = (min(edges), max(edges)) if edges else (-1.0, 1.0)
    width = max(high - low, 1.0)
    return [low + width * t + 0.25j * width for t in (0.25, 0.5, 0.75)] + [low - width + 1j * width]


COMMANDS = {"list": cmd_list, "show": cmd_show, "check": cmd_check, "latex": cmd_latex,
            "graph": cmd_graph, "eval": cmd_eval, "mc": cmd_mc, "figure": cmd_figure, "mutate": cmd_mutate,
            "reproduce": cmd_reproduce, "law": cmd_law}

__all__ = ["main", "build_parser"]

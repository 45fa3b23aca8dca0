"""The layering of the package: the toolkit never imports the papers, and the core and the
checker never import free probability (it plugs in through rules, proof methods and opaque
objects)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "derive"
#: The composition root may load the free-probability plug-ins; the command line imports them
#: for `derive mc`.
ALLOWED_RMT = {"__init__.py", "cli.py"}


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name


def test_nothing_in_derive_imports_derivations():
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
                 if any(m == "derivations" or m.startswith("derivations.") for m in _imports(p))]
    assert offenders == []


def test_the_core_and_the_checker_import_nothing_from_rmt():
    core = [p for p in ROOT.rglob("*.py") if "rmt" not in p.relative_to(ROOT).parts
            and p.name not in ALLOWED_RMT or p.parent.name in ("check", "rules")]
    offenders = []
    for path in core:
        inside = path.relative_to(ROOT).parts
        for module in _imports(path):
            level = len(module) - len(module.lstrip("."))
            name = module.lstrip(".")
            # Resolve a relative import against the module's package.
            package = list(inside[:-1])
            absolute = package[:len(package) - (level - 1)] + name.split(".") if level else name.split(".")[1:] \
                if name.startswith("derive") else []
            if absolute[:1] == ["rmt"]:
                offenders.append(f"{'/'.join(inside)}: {module}")
    assert offenders == []

"""docs/vocabulary.md names every verb and option the shipped derivations use, and its examples run.

The shipped derivations (``derivations/``) and the documented examples (``docs/examples/``) are
read, not run: every method called on a derivation (``D.limit(...)``), and every keyword given to
such a call or to one of the toolkit's constructors (``Simulation(..., tolerance=...)``), must be
named on the page, so that a reader of a shipped derivation finds each word explained.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "vocabulary.md").read_text()
#: The page's code: inline spans (which may wrap over lines) and blocks.
CODE = " ".join(re.findall(r"```.*?```|`[^`]+`", PAGE, re.S))
SOURCES = sorted((ROOT / "derivations").glob("*.py")) + sorted((ROOT / "docs" / "examples").glob("*.py"))

#: The toolkit's constructors and functions a derivation file calls with keywords.
CONSTRUCTORS = {"Derivation", "Simulation", "Holds", "Asymptotic", "Meaning", "SpectralMean", "Paper",
                "Domain", "Simulator", "Figure", "Panel", "Curve", "HeatMap", "Estimate", "sweep",
                "add_law"}


def _uses():
    """(file, what, keyword or None) for every derivation verb and toolkit call with keywords."""
    found = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        derivations = {"D"}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                    and getattr(node.value.func, "id", None) == "Derivation"):
                derivations |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id in derivations):
                what = func.attr
            elif isinstance(func, ast.Name) and func.id in CONSTRUCTORS:
                what = func.id
            else:
                continue
            found.add((path.name, what, None))
            found |= {(path.name, what, k.arg) for k in node.keywords if k.arg}
    return sorted(found, key=lambda u: (u[1], u[2] or ""))


USES = _uses()


def test_the_scan_sees_the_shipped_vocabulary():
    verbs = {what for _, what, _ in USES}
    assert {"define", "step", "limit", "fact", "quantity", "Simulation"} <= verbs


@pytest.mark.parametrize("source, what, keyword", USES, ids=[f"{w}-{k}" if k else w for _, w, k in USES])
def test_every_verb_and_option_is_on_the_page(source, what, keyword):
    assert re.search(rf"\b{re.escape(what)}\b", CODE), \
        f"{source} uses {what}, which docs/vocabulary.md does not name"
    if keyword:
        assert re.search(rf"\b{re.escape(keyword)}\b", CODE), \
            f"{source} gives {what} the option {keyword}=, which docs/vocabulary.md does not name"


def test_the_page_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    monkeypatch.chdir(ROOT)
    namespace = {}
    for block in re.findall(r"```python\n(.*?)```", PAGE, re.S):
        exec(compile(block, "docs/vocabulary.md", "exec"), namespace)
    statuses = {r.label: r.status for r in namespace["results"]}
    assert statuses == {"s-def": "definition", "s-square": "verified", "s-positive": "verified",
                        "s-ratio": "verified", "s-inverse": "verified", "f-def": "definition",
                        "f-prime": "verified", "t-def": "definition", "inverse-trace": "verified"}
    # the root of an equation (docs/vocabulary.md, "A quantity defined as the root of an equation")
    from derive import check_derivation

    assert {r.label: r.status for r in check_derivation(namespace["R"])} == {
        "df1-def": "definition", "kappa-root": "verified", "kappa-d": "verified", "kappa-prime": "verified"}

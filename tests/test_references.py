"""References a reader can follow: the shipped derivations cite the papers (their results,
figures, equations, sections) and the authors' code, never a document outside the repository.

A step's ``ref`` and ``explanation`` are printed by ``derive show`` and in the LaTeX, so each must
make sense to a reader who has only the paper and this repository.  What the papers do not state
and the derivation reconstructed is described under "Sources" in ``docs/derivations/<paper>.md``.
"""

import re

import pytest

from derive import registry
from derive.registry import load
from tests.conftest import ROOT

#: Words naming a working document that is not shipped.
FORBIDDEN_WORDS = ("digest",)
#: An absolute path (``/work/...``, ``/home/...``), a home-relative one, or the shared paper notes.
ABSOLUTE = re.compile(r"(?:^|[\s(\[`'\"])(?:/[A-Za-z][\w.-]*/|~/)|shared/papers")
#: A relative path with a directory part and a file suffix: it must be a file of the repository.
RELATIVE = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)+[\w.-]+\.(?:md|py|txt|json|csv|tex|ipynb|toml))\b")


def problems(text, words=True, relative=True):
    """What in ``text`` a reader of the paper and the repository could not follow."""
    found = [f"mentions {word!r}" for word in FORBIDDEN_WORDS if words and word in text.lower()]
    found += [f"names a path outside the repository ({m.group(0).strip()!r})" for m in ABSOLUTE.finditer(text)]
    found += [f"names {m.group(1)!r}, which is not in the repository" for m in RELATIVE.finditer(text)
              if relative and not (ROOT / m.group(1)).is_file()]
    return found


def test_the_checker_of_references_catches_what_it_should():
    assert problems("Lu et al. 2025 (digest section 2.1)")
    assert problems("see /work/shared/papers/lu2025.md")
    assert problems("digest ``shared/papers/takanami2025.md``, section 5")
    assert problems("notes in ~/papers/lu.md")
    assert problems("see docs/derivations/nonexistent.md")
    assert not problems("Lu et al. 2025, Result 1, $\\tau > 1$ (authors' code ridgeless_icl)")
    assert not problems("Takanami et al. 2025, code Replica.jl")
    assert not problems("Letey et al. 2025, eq. (17); $(n/d)\\lambda$ and $x^*/\\alpha$, $1/(1 - T/\\tau)$")
    assert not problems('see "Sources" in docs/derivations/lu2025.md')


@pytest.mark.parametrize("name", sorted(registry.shipped()))
def test_steps_cite_only_what_a_reader_can_follow(name):
    derivation = load(name)
    found = []
    for where, text in (("title", derivation.title), ("cite", derivation.cite),
                        ("description", derivation.description)):
        found += [f"{name} {where}: {p}" for p in problems(text or "")]
    for step in derivation.ordered():
        for where, text in (("label", step.label), ("ref", step.ref), ("explanation", step.explanation)):
            found += [f"{name} step {step.label} {where}: {p}" for p in problems(text or "")]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("page", sorted((ROOT / "docs" / "derivations").glob("*.md")), ids=lambda p: p.name)
def test_derivation_pages_name_no_file_outside_the_repository(page):
    """The pages may name the authors' code files and generated outputs (relative paths of other
    trees), but no absolute path and not the unshipped paper notes."""
    found = problems(page.read_text(), words=False, relative=False)
    assert not found, f"{page.name}: " + "; ".join(found)

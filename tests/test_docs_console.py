"""The console examples of the docs are tests: each ``$ derive ...`` line of a ```` ```console ````
block is run (in-process, in a scratch directory where ``docs/`` is the repository's) and its
output compared with the lines under it, so the docs cannot drift from what the commands print.

The format (docs/cli.md, "Console examples"):
- a line ``$ derive ARGS`` is a command; the lines under it, up to the next ``$`` line or the
  end of the block, are what it prints: its standard output, then its standard error;
- a line ``...`` stands for any number of lines (none included), and ``...`` inside a line for
  any text (a time, a path, digits that vary);
- a command with no lines under it prints nothing;
- ``<!-- console: skip REASON -->`` on the line before a block leaves it unrun (a pipe, minutes
  of simulation, a file the reader supplies); ``<!-- console: long -->`` runs it in the long tier
  only, with the user's verdict cache (the examples that simulate or check a big paper cold).

The fast blocks use the session's verdict cache (tests/conftest.py), so the 17 steps of
marchenko-pastur are checked once however many examples (and other tests) need them.
"""

import contextlib
import io
import os
import re
import shlex
from pathlib import Path

import pytest

from derive.cli import main

ROOT = Path(__file__).resolve().parents[1]
#: The docs whose console blocks are run.
DOCS = ["docs/cli.md", "docs/checking.md", "docs/sweeps.md", "docs/vocabulary.md", "docs/tutorial.md",
        "README.md"]
#: The user's own cache, before the autouse fixture isolates each session (the long tier uses it).
USER_CACHE = os.environ.get("DERIVE_CACHE_DIR")
MARKER = re.compile(r"<!--\s*console:\s*(skip|long)\b(.*?)-->")


def blocks(path):
    """``(line number, marker, [(command, expected lines)])`` of each console block of ``path``."""
    lines = (ROOT / path).read_text().splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.strip() != "```console":
            continue
        marker = MARKER.search(lines[i - 1]) if i else None
        examples, j = [], i + 1
        while lines[j].strip() != "```":
            if lines[j].startswith("$ "):
                examples.append((lines[j][2:], []))
            elif examples:
                examples[-1][1].append(lines[j])
            j += 1
        found.append((i + 1, marker.group(1) if marker else "", examples))
    return found


def matches(expected, actual):
    """Whether ``actual`` lines fit ``expected`` lines, ``...`` eliding lines or text."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "...":
        return any(matches(rest, actual[k:]) for k in range(len(actual) + 1))
    if not actual:
        return False
    pattern = ".*".join(re.escape(part) for part in head.rstrip().split("..."))
    return bool(re.fullmatch(pattern, actual[0].rstrip())) and matches(rest, actual[1:])


def run(command):
    """The output lines of one ``derive ...`` command, run in-process (stdout, then stderr)."""
    argv = shlex.split(command, comments=True)
    assert argv[0] == "derive" and not set(argv) & {"|", ">", "<", "&&"}, \
        f"not a plain derive command (mark its block skip): {command}"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main(argv[1:])
    return (out.getvalue() + err.getvalue()).splitlines()


def checks_a_whole_paper(examples):
    """Whether a block runs ``derive check NAME`` on every step (no ``--step``) of a shipped paper
    (a name, not a file): a whole paper checked cold, 17 CPU s for marchenko-pastur."""
    for command, _ in examples:
        argv = shlex.split(command, comments=True)
        if argv[:2] == ["derive", "check"] and len(argv) > 2 and "--step" not in argv \
                and not argv[2].endswith(".py"):
            return True
    return False


def cases(tier):
    """The blocks of ``tier``; a run block that checks a whole shipped paper is ``slow`` (in CI,
    not in the fast loop, like the whole-paper tests)."""
    return [pytest.param(path, number, examples, id=f"{path}:{number}",
                         marks=[pytest.mark.slow] if tier == "" and checks_a_whole_paper(examples) else [])
            for path in DOCS for number, marker, examples in blocks(path) if marker == tier]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A working directory where ``docs/...`` paths resolve and written files go nowhere else."""
    directory = tmp_path_factory.mktemp("console")
    (directory / "docs").symlink_to(ROOT / "docs")
    return directory


def check_block(examples, where):
    for command, expected in examples:
        actual = run(command)
        assert matches(expected, actual), (f"{where}: `$ {command}` printed\n" + "\n".join(actual)
                                           + "\n--- the docs say ---\n" + "\n".join(expected))


@pytest.mark.parametrize("path, number, examples", cases(""))
def test_console_example(path, number, examples, scratch, monkeypatch):
    monkeypatch.chdir(scratch)  # the session's verdict cache (conftest): shared with the other tests
    check_block(examples, f"{path}:{number}")


@pytest.mark.long
@pytest.mark.parametrize("path, number, examples", cases("long"))
def test_long_console_example(path, number, examples, scratch, monkeypatch):
    monkeypatch.chdir(scratch)
    if USER_CACHE:
        monkeypatch.setenv("DERIVE_CACHE_DIR", USER_CACHE)
    else:
        monkeypatch.delenv("DERIVE_CACHE_DIR")
    check_block(examples, f"{path}:{number}")


def test_the_matcher_elides_lines_and_text_and_nothing_else():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"]) and matches(["a", "...", "b"], ["a", "b"])
    assert matches(["took ... s"], ["took 2.5 s"]) and not matches(["took ... s"], ["took 2.5 min"])
    assert not matches(["a"], ["a", "b"]) and not matches([], ["a"]) and matches([], [])
    assert not matches(["a", "...", "d"], ["a", "b"])


def test_every_console_block_is_run_or_says_why_not():
    """A block is run, or marked skip or long; a skip gives its reason."""
    for path in DOCS:
        text = (ROOT / path).read_text()
        for marker in MARKER.finditer(text):
            assert marker.group(1) == "long" or marker.group(2).strip(), f"{path}: a skip without a reason"
    assert len(cases("")) >= 10

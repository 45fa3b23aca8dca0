"""The three test tiers (docs/extending.md, *Testing a change*): the fast loop ``-m "not slow"``,
CI's ``-m "not long"`` (the README's command, which ``.ci/run`` runs verbatim), and ``-m long``."""

import re
import tomllib

import pytest

from tests import conftest
from tests.conftest import ROOT


def _readme_test_command():
    """The one command of the README's *Set up and run the tests* block."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Set up and run the tests", 1)[1]
    (command,) = re.findall(r"```bash\n(.*?)\n```", section, re.S)[:1]
    return command.strip()


def test_ci_runs_the_readme_command_verbatim_and_it_leaves_out_only_long():
    command = _readme_test_command()
    assert '-m "not long"' in command and "--durations=20" in command and "slow" not in command
    assert command in (ROOT / ".ci" / "run").read_text().splitlines()


def test_both_markers_are_declared():
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["markers"]
    assert {m.split(":")[0] for m in markers} >= {"slow", "long"}


class _Item:
    def __init__(self, *names):
        self.names = list(names)

    def get_closest_marker(self, name):
        return name if name in self.names else None

    def add_marker(self, marker):
        self.names.append(marker.name)


def test_a_long_test_is_slow_too_so_the_fast_loop_leaves_it_out():
    items = [_Item("long"), _Item("slow"), _Item(), _Item("long", "slow")]
    conftest.pytest_collection_modifyitems(None, items)
    assert [sorted(i.names) for i in items] == [["long", "slow"], ["slow"], [], ["long", "slow"]]


@pytest.mark.long
def test_this_long_test_is_not_collected_by_the_fast_loop(request):
    assert request.node.get_closest_marker("slow") is not None

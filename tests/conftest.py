import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"

#: One BLAS thread per test process (and per process a test starts: the variables are inherited).
#: pytest-xdist runs one worker per core already; OpenBLAS's own threads on top of that
#: oversubscribe the cores and spin while they wait.  Measured on 2 cores at load 8:
#: ``check_by_simulation(inv(mp(0.25)))`` (60 eigvalsh and inv of 400 x 400) took 16 CPU s with
#: OpenBLAS's 2 threads, 0.85 s with one; 20 eigvalsh and products 7.3 CPU s against 0.2 s.
#: A variable already set (a developer's choice) is kept.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
if os.environ["OPENBLAS_NUM_THREADS"] == "1":
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")  # numpy may be loaded already (a plugin)


def pytest_collection_modifyitems(config, items):
    """Three tiers (README, docs/extending.md): ``-m "not slow"`` is the fast loop, ``-m "not
    long"`` is CI's command, ``-m long`` the tests of minutes that CI leaves out.  A ``long``
    test is ``slow`` too, so that the fast loop's ``-m "not slow"`` leaves it out as well."""
    for item in items:
        if item.get_closest_marker("long") is not None and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory, monkeypatch):
    """Each test session proves everything itself: no results from a developer's cache.

    Under pytest-xdist each worker has a base folder of its own; the workers of one session
    share the cache beside them (writes are whole or nothing, ``derive/cachefiles.py``), so a
    derivation that two test files check is proved once, as in a single process."""
    base = tmp_path_factory.getbasetemp()
    cache = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "derive-cache"
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(cache))
    yield cache


@pytest.fixture
def demo_file(tmp_path):
    """A private copy of the demo derivation file."""
    target = tmp_path / "demo.py"
    shutil.copyfile(EXAMPLES / "demo.py", target)
    return target


def requires_pdflatex():
    """In CI pdflatex must be there (.ci/run installs it); elsewhere its absence skips."""
    if shutil.which("pdflatex"):
        return
    if os.environ.get("CI"):
        pytest.fail("pdflatex is not installed; .ci/run must install texlive-latex-base")
    pytest.skip("pdflatex not installed")

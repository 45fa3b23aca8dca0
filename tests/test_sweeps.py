"""Sweeps: the same numbers on every executor (a Dask LocalCluster started here included), and a
store that resumes an interrupted sweep and recomputes nothing for an identical one."""

import json
import subprocess
import sys

import pytest

from derive import executors
from derive.montecarlo import sweep
from derivations.lu2025_linear_attention import sample_errors

POINTS = [{"alpha": 1.0, "kappa": 0.5, "tau": 2.0, "rho": 0.01, "lam": 1.0},
          {"alpha": 2.0, "kappa": 2.0, "tau": 0.5, "rho": 0.1, "lam": 0.3}]
SIZES, TRIALS, SEED = (4, 6), 3, 11


def numbers(draws):
    return {key: [sorted(run.items()) for run in runs] for key, runs in sorted(draws.items())}


@pytest.fixture(scope="module")
def serial():
    """The reference: every trial in order, in this thread."""
    return numbers(sweep(sample_errors, POINTS, SIZES, TRIALS, SEED, executor=executors.InProcess(workers=1)))


@pytest.mark.parametrize("executor", [executors.InProcess(workers=2), executors.Processes(workers=2)],
                         ids=["threads", "processes"])
def test_every_executor_gives_the_same_numbers(serial, executor):
    assert numbers(sweep(sample_errors, POINTS, SIZES, TRIALS, SEED, executor=executor)) == serial


def test_dask_local_cluster_gives_the_same_numbers(serial):
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster):
            draws = sweep(sample_errors, POINTS, SIZES, TRIALS, SEED, executor=executors.Dask(cluster.scheduler_address))
    assert numbers(draws) == serial


def test_seeds_depend_on_the_trial_not_the_order(serial):
    """A sweep of one point alone gives that point's numbers from the full sweep."""
    alone = numbers(sweep(sample_errors, POINTS[:1], SIZES, TRIALS, SEED, executor=executors.InProcess(workers=1)))
    assert alone == {key: value for key, value in serial.items() if key[0] == 0}


CALLS = []
STOP_AFTER = [None]


def counting_sample(rng, d, point):
    """A trial that records itself, and can simulate an interruption."""
    if STOP_AFTER[0] is not None and len(CALLS) >= STOP_AFTER[0]:
        raise KeyboardInterrupt
    CALLS.append((d, point["a"]))
    return {"x": float(rng.standard_normal()) + point["a"]}


def test_store_resumes_and_recomputes_nothing(tmp_path):
    points = [{"a": 0.0}, {"a": 1.0}]
    one = executors.InProcess(workers=1)
    CALLS.clear()
    STOP_AFTER[0] = 5
    with pytest.raises(KeyboardInterrupt):
        sweep(counting_sample, points, (3, 5), 4, 7, executor=one, store=tmp_path)
    (directory,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert len(list(directory.glob("p*.json"))) == 5
    record = json.loads(next(directory.glob("p000-d3-t0000.json")).read_text())
    assert record["seed"] == [7, 0, 3, 0] and set(record["values"]) == {"x"}

    STOP_AFTER[0] = None
    CALLS.clear()
    resumed = sweep(counting_sample, points, (3, 5), 4, 7, executor=one, store=tmp_path)
    assert len(CALLS) == 16 - 5                                   # only the trials not stored
    CALLS.clear()
    again = sweep(counting_sample, points, (3, 5), 4, 7, executor=one, store=tmp_path)
    assert CALLS == [] and again == resumed                       # nothing recomputed
    assert sweep(counting_sample, points, (3, 5), 4, 7, executor=one) == resumed   # the store changes no number
    CALLS.clear()
    more = sweep(counting_sample, points, (3, 5), 6, 7, executor=one, store=tmp_path)
    assert len(CALLS) == 2 * 2 * 2                                # only the two new trials per (point, d)
    assert more[0, 3][:4] == resumed[0, 3]


def test_a_damaged_trial_file_is_run_again(tmp_path):
    points = [{"a": 0.0}]
    one = executors.InProcess(workers=1)
    first = sweep(counting_sample, points, (3,), 2, 1, executor=one, store=tmp_path)
    (directory,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    (directory / "p000-d3-t0001.json").write_text("{not json")
    CALLS.clear()
    assert sweep(counting_sample, points, (3,), 2, 1, executor=one, store=tmp_path) == first
    assert len(CALLS) == 1


@pytest.mark.parametrize("options, message", [
    (["--executor", "threads"], "invalid choice"),
    (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler is for --executor dask"),
    (["--workers", "0"], "--workers 0: must be at least 1"),
    (["--store", "x", "--no-store"], "--store and --no-store contradict"),
    (["--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"], "cannot connect"),
])
def test_bad_sweep_options_are_one_line(tmp_path, options, message):
    out = subprocess.run([sys.executable, "-m", "derive", "mc", "lu2025", "alpha=1", "kappa=0.5", "tau=2",
                          "rho=0.01", "lam=1", "--d", "4", "--trials", "2", *options],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


@pytest.mark.long
def test_mc_keeps_its_trials_under_out(tmp_path):
    command = [sys.executable, "-m", "derive", "mc", "lu2025", "alpha=1", "kappa=0.5", "tau=2", "rho=0.01",
               "lam=1", "--d", "4,6", "--trials", "2"]
    first = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    files = sorted((tmp_path / "out" / "lu2025" / "sweeps").glob("*/p*.json"))
    assert len(files) == 4
    written = [f.stat().st_mtime_ns for f in files]
    second = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert second.stdout == first.stdout
    assert [f.stat().st_mtime_ns for f in files] == written      # read back, not rewritten


def test_keeping_gives_sweeps_without_a_store_one(tmp_path):
    from derive.montecarlo import keeping

    points, one = [{"a": 0.0}], executors.InProcess(workers=1)
    STOP_AFTER[0] = None
    CALLS.clear()
    with keeping(tmp_path):
        first = sweep(counting_sample, points, (3,), 2, 7, executor=one)
        assert len(CALLS) == 2
        CALLS.clear()
        assert sweep(counting_sample, points, (3,), 2, 7, executor=one) == first and CALLS == []
    assert len(list(tmp_path.glob("*/p000-d3-t*.json"))) == 2
    sweep(counting_sample, points, (3,), 2, 7, executor=one)  # outside: no store, so run again
    assert len(CALLS) == 2

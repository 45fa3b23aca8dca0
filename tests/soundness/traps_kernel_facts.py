"""Traps for the mode of convergence a fact claims (issue 22): a heavy tail whose weight
shrinks tends to 0 in probability but not in mean; a quantity tending elsewhere is false in
every mode; a share of outliers that does not shrink is not convergence in probability.
Scalar draws, fixed seeds, a fraction of a second each."""

import numpy as np
import sympy as sp

from derive import Derivation, Simulation
from derive.notation import Meaning

from . import trap

X = sp.Symbol("X", real=True)
SIZES = dict(sizes=(20, 40, 80), trials=200, seed=3, tolerance=0.05, absolute=True)


def spike(rng, d, point):
    """X = d^2 with probability 1/d, else 0: 0 in probability, E X = d."""
    return {X: float(d) ** 2 if rng.random() < 1.0 / d else 0.0}


def rare_spike(rng, d, point):
    """X = d with probability 1/d^2, else 0: 0 in probability; its standard deviation stays 1."""
    return {X: float(d) if rng.random() < 1.0 / d**2 else 0.0}


def near_one(rng, d, point):
    """X = 1 + N(0, 1)/d: 1 in every mode."""
    return {X: 1 + rng.standard_normal() / d}


def lasting_outliers(rng, d, point):
    """X = 5 with probability 0.3 at every d, else N(0, 1)/d: not 0 in probability."""
    return {X: 5.0 if rng.random() < 0.3 else rng.standard_normal() / d}


def random_sign(rng, d, point):
    """X = +-1 at every d: median 0 on average, but no concentration."""
    return {X: float(rng.choice([-1.0, 1.0]))}


def _fact(sample, value, mode):
    D = Derivation("trap")
    D.define("X-meaning", sp.Eq(X, Meaning("X")))
    D.fact("F", sp.Eq(X, value), mode=mode, check=Simulation(sample, points=[{}], **SIZES))
    return D, "F"


@trap("kernel_facts", true=True, sets="X = d^2 w.p. 1/d else 0 -> 0 in probability (not in mean)")
def k_facts_spike_in_probability():
    return _fact(spike, 0, "probability")


@trap("kernel_facts", true=False, sets="X = d^2 w.p. 1/d else 0 -> 0 in mean (E X = d)")
def k_facts_spike_in_mean():
    return _fact(spike, 0, "mean")


@trap("kernel_facts", true=True, sets="X = d^2 w.p. 1/d else 0 -> 0 almost surely (checked in probability)")
def k_facts_spike_almost_surely():
    return _fact(spike, 0, "almost surely")


@trap("kernel_facts", true=True, sets="X = d w.p. 1/d^2 else 0 -> 0 in probability (E X^2 = 1)")
def k_facts_rare_spike_in_probability():
    return _fact(rare_spike, 0, "probability")


@trap("kernel_facts", true=True, sets="X = 1 + N(0,1)/d -> 1 in probability")
def k_facts_near_one_in_probability():
    return _fact(near_one, 1, "probability")


@trap("kernel_facts", true=True, sets="X = 1 + N(0,1)/d -> 1 in mean")
def k_facts_near_one_in_mean():
    return _fact(near_one, 1, "mean")


@trap("kernel_facts", true=False, sets="X = 1 + N(0,1)/d -> 0 in probability (it tends to 1)")
def k_facts_near_one_wrong_in_probability():
    return _fact(near_one, 0, "probability")


@trap("kernel_facts", true=False, sets="X = 1 + N(0,1)/d -> 0 in mean (it tends to 1)")
def k_facts_near_one_wrong_in_mean():
    return _fact(near_one, 0, "mean")


@trap("kernel_facts", true=False, sets="X = 5 w.p. 0.3 at every d -> 0 in probability: outliers that last")
def k_facts_lasting_outliers_in_probability():
    return _fact(lasting_outliers, 0, "probability")


@trap("kernel_facts", true=False, sets="X = +-1 -> 0 almost surely: a median of 0 without concentration")
def k_facts_random_sign_almost_surely():
    return _fact(random_sign, 0, "almost surely")

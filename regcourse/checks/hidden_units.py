"""Checkers for notebook 06, "Why it works, 1: hidden units fade".

    check_active_units(active_units)      active_units(A, threshold): how many rows of A (units)
                                          have a spread std_i a^(i) above `threshold`
    check_outgoing_norms(outgoing_norms)  outgoing_norms(W_next): ||W[l+1][:, j]||_2 for each
                                          unit j of layer l (the columns of W[l+1])

Inputs are made fresh from a fixed seed; feedback is one sentence naming the likely slip.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Exercise, Feedback

SEED = 606


# --- active_units --------------------------------------------------------------------------------

def active_units_reference(A, threshold):
    """The number of rows j of A (units) whose spread std_i A[j, i] exceeds threshold."""
    return int(np.sum(A.std(axis=1) > threshold))


def _activations(rng, n, m):
    """(n, m) ReLU-like activations with three kinds of unit: varying (half of them, some strong,
    some faint), constant (only their bias gets through: mean |a| > 0, spread 0) and dead (all 0)."""
    kind = rng.permutation(np.arange(n) % 4)        # 0, 1: varying; 2: constant; 3: dead
    A = np.maximum(rng.uniform(-0.5, 1.0, (n, 1)) + rng.standard_normal((n, m)), 0.0)
    A *= np.where(rng.random((n, 1)) < 0.5, rng.uniform(0.5, 2.0, (n, 1)), rng.uniform(0.005, 0.05, (n, 1)))
    A[kind == 2] = rng.uniform(0.3, 1.0, (int(np.sum(kind == 2)), 1))
    A[kind == 3] = 0.0
    return A


def _active_units_cases():
    rng = np.random.default_rng(SEED)
    return [(_activations(rng, n, m), threshold)
            for n, m, threshold in ((10, 40, 0.1), (12, 25, 0.1), (8, 60, 0.05), (16, 30, 0.2))]


ACTIVE_UNITS = Exercise(
    "active_units", active_units_reference, _active_units_cases,
    mistakes={
        "you returned the True/False mask; the count is its sum, e.g. int(np.sum(mask)).":
            lambda A, t: A.std(axis=1) > t,
        "did you measure mean |a| instead of the spread? A unit stuck at a constant (its bias) "
        "has mean |a| > 0 but tells the next layer nothing about x.":
            lambda A, t: int(np.sum(np.abs(A).mean(axis=1) > t)),
        "did you take the spread over axis 0? A is (n[l], m): a unit is a ROW, so use axis=1.":
            lambda A, t: int(np.sum(A.std(axis=0) > t)),
        "did you count the faded units? The question asks for the active ones (spread ABOVE the "
        "threshold).":
            lambda A, t: int(np.sum(A.std(axis=1) <= t)),
        "did you compare the variance with the threshold? Use the standard deviation, np.std.":
            lambda A, t: int(np.sum(A.var(axis=1) > t)),
    })


def check_active_units(active_units: Callable) -> Feedback:
    """Check active_units(A, threshold) = number of units (rows) whose std over examples > threshold."""
    return ACTIVE_UNITS.check(active_units)


# --- outgoing_norms ----------------------------------------------------------------------------

def outgoing_norms_reference(W_next):
    """||W[l+1][:, j]||_2 for each unit j of layer l: the 2-norms of the columns of W_next."""
    return np.sqrt(np.sum(W_next ** 2, axis=0))


def _outgoing_cases():
    rng = np.random.default_rng(SEED + 1)
    cases = []
    for shape in ((4, 4), (3, 5), (1, 8), (6, 2)):    # square first, so a wrong axis is named
        W = rng.standard_normal(shape) * rng.uniform(0.0, 1.5, (1, shape[1]))
        cases.append((W,))
    return cases


OUTGOING_NORMS = Exercise(
    "outgoing_norms", outgoing_norms_reference, _outgoing_cases,
    mistakes={
        "did you take the norm of the rows? W[l+1] is (n[l+1], n[l]): unit j of layer l sends "
        "its output along COLUMN j, so use axis=0.":
            lambda W: np.sqrt(np.sum(W ** 2, axis=1)),
        "you returned the squared norms; take the square root.":
            lambda W: np.sum(W ** 2, axis=0),
        "did you sum |W| (an L1 norm)? The question asks for the 2-norm, sqrt(Σ W²).":
            lambda W: np.sum(np.abs(W), axis=0),
    })


def check_outgoing_norms(outgoing_norms: Callable) -> Feedback:
    """Check outgoing_norms(W_next) = the 2-norm of each column of W_next (one value per unit of layer l)."""
    return OUTGOING_NORMS.check(outgoing_norms)


EXERCISES = (ACTIVE_UNITS, OUTGOING_NORMS)

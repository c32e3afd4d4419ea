"""Checkers for notebook 07 (why regularization works, 2: tanh goes linear).

``check_fraction_linear`` checks the share of pre-activations inside tanh's near-linear band,
``check_collapse_linear`` checks that a stack of linear layers is folded into one linear layer.
Both call the student's function and the reference on a few fresh inputs (made from a fixed
seed, so the verdict is the same on every run) and answer in one sentence, naming the likely slip.

Course convention: Z[l] is (n[l], m); params = {"W1", "b1", ..., "WL", "bL"} with W[l] of shape
(n[l], n[l-1]) and b[l] of shape (n[l], 1).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Exercise, Feedback, random_params

SEED = 7


def _rng(salt: int) -> np.random.Generator:
    return np.random.default_rng([SEED, salt])


# --- fraction_linear(Z, band) ---------------------------------------------------------------------

def fraction_linear_reference(Z, band):
    """Share of the entries of Z with |z| <= band: (1/N) sum_i [ |z_i| <= band ] over all N entries."""
    return float(np.mean(np.abs(Z) <= band))


def _fraction_cases():
    """Pre-activations on a 0.25 lattice, so some sit exactly on the band's edge |z| = band."""
    rng = _rng(1)
    shapes_bands = (((4, 30), 0.5), ((6, 10), 1.0), ((3, 40), 0.25), ((2, 5, 12), 0.5))
    return [(np.round(rng.normal(0.0, 1.2, shape) * 4) / 4, band) for shape, band in shapes_bands]


FRACTION_LINEAR_MISTAKES = {
    "did you use < instead of <=? A value exactly on the edge, |z| = band, counts as inside the band.":
        lambda Z, band: float(np.mean(np.abs(Z) < band)),
    "did you forget the absolute value? The band is -band <= z <= band, so use np.abs(Z) <= band.":
        lambda Z, band: float(np.mean(Z <= band)),
    "did you return a count? Divide by the number of entries (Z.size) to get a fraction between 0 and 1.":
        lambda Z, band: float(np.sum(np.abs(Z) <= band)),
    "did you return a percentage? Return a fraction between 0 and 1 (no factor 100).":
        lambda Z, band: float(100 * np.mean(np.abs(Z) <= band)),
    "did you count the values outside the band? We want the share with |z| <= band.":
        lambda Z, band: float(np.mean(np.abs(Z) > band)),
    "did you apply tanh first? The band is a condition on the pre-activation z itself.":
        lambda Z, band: float(np.mean(np.abs(np.tanh(Z)) <= band)),
}


FRACTION_LINEAR = Exercise("fraction_linear", fraction_linear_reference, _fraction_cases,
                           mistakes=FRACTION_LINEAR_MISTAKES)


def check_fraction_linear(student: Callable) -> Feedback:
    """Check fraction_linear(Z, band) = share of the entries of Z with |z| <= band."""
    return FRACTION_LINEAR.check(student)


# --- collapse_linear(params) ----------------------------------------------------------------------

def _layers(params) -> int:
    return len([key for key in params if key.startswith("W")])


def collapse_linear_reference(params):
    """The one linear layer (W, b) equal to Z[l] = W[l] A[l-1] + b[l] with A[l] = Z[l] (no activation).

    W = W[L] ... W[2] W[1]  (shape (n[L], n[0])),
    b = W[L](...(W[2] b[1] + b[2])...) + b[L]  (shape (n[L], 1)).
    """
    W, b = params["W1"], params["b1"]
    for l in range(2, _layers(params) + 1):
        W = params[f"W{l}"] @ W
        b = params[f"W{l}"] @ b + params[f"b{l}"]
    return W, b


NETWORKS = ([2, 4, 3, 1], [2, 5, 5, 1], [3, 6, 1], [2, 6, 4, 3, 1])


def _collapse_cases():
    rng = _rng(2)
    return [(random_params(rng, dims),) for dims in NETWORKS]


def _only_last_bias(params):
    return collapse_linear_reference(params)[0], params[f"b{_layers(params)}"]


def _only_first_bias(params):
    W, _ = collapse_linear_reference(params)
    b1 = params["b1"]
    for l in range(2, _layers(params) + 1):
        b1 = params[f"W{l}"] @ b1
    return W, b1


COLLAPSE_LINEAR_MISTAKES = {
    "did you keep only the last bias b[L]? The earlier biases pass through the later layers: "
    "b = W[L](...(W[2] b[1] + b[2])...) + b[L].": _only_last_bias,
    "did you forget to add b[2], ..., b[L] on the way? Each layer maps the bias so far and adds its own: "
    "b := W[l] b + b[l].": _only_first_bias,
    "did you return only W? Return the pair (W, b).": lambda params: collapse_linear_reference(params)[0],
    "did you transpose W? The single layer maps n[0] inputs to n[L] outputs, so W is (n[L], n[0]).":
        lambda params: (collapse_linear_reference(params)[0].T, collapse_linear_reference(params)[1]),
}


COLLAPSE_LINEAR = Exercise("collapse_linear", collapse_linear_reference, _collapse_cases,
                           mistakes=COLLAPSE_LINEAR_MISTAKES, parts=("W", "b"))


def check_collapse_linear(student: Callable) -> Feedback:
    """Check collapse_linear(params) = (W[L]...W[1], W[L](...(W[2] b[1] + b[2])...) + b[L])."""
    return COLLAPSE_LINEAR.check(student)


EXERCISES = (FRACTION_LINEAR, COLLAPSE_LINEAR)

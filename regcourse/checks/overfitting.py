"""Checkers for notebook 01 (overfitting and the idea of regularization).

``check_accuracy`` checks ``accuracy(A, Y)``: the fraction of examples whose prediction
(1 where A > 0.5, else 0) equals the label. ``check_count_parameters`` checks
``count_parameters(layer_dims)``: the number of weights and biases of a network, which follows
from the shapes W[l] (n[l], n[l-1]) and b[l] (n[l], 1). Both run the student's function and a
reference on fresh inputs made from a fixed seed and answer in one sentence, naming the likely slip.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Exercise, Feedback

SEED = 1


# --- accuracy(A, Y) ------------------------------------------------------------------------------

def accuracy_reference(A, Y):
    """Fraction of correct predictions: mean over i of [ (A_i > 0.5) == Y_i ], a float in [0, 1].

    A is (1, m): the predicted probabilities P(y = 1 | x); Y is (1, m): the labels 0/1.
    """
    return float(np.mean((A > 0.5) == Y))


def _accuracy_cases():
    """Probabilities away from 0.5 (no ties) and labels with some mistakes, m different each time."""
    rng = np.random.default_rng([SEED, 1])
    cases = []
    for m, wrong in ((10, 0.3), (37, 0.1), (120, 0.25), (40, 0.45)):
        Y = (rng.random((1, m)) < 0.5).astype(float)
        confident = rng.uniform(0.55, 0.99, (1, m))            # probability of the predicted class
        predicted = np.where(rng.random((1, m)) < wrong, 1 - Y, Y)
        A = np.where(predicted == 1, confident, 1 - confident)
        cases.append((A, Y))
    return cases


ACCURACY_MISTAKES = {
    "did you compare the probabilities A with Y directly? Turn them into predictions first: "
    "1 where A > 0.5, else 0.": lambda A, Y: float(np.mean(A == Y)),
    "did you return the number of correct predictions? Accuracy is a fraction: divide by m "
    "(or use np.mean).": lambda A, Y: float(np.sum((A > 0.5) == Y)),
    "did you return a percentage? Return a fraction between 0 and 1 (0.85, not 85).":
        lambda A, Y: 100 * accuracy_reference(A, Y),
    "did you return the error rate, or flip the threshold? Accuracy counts the predictions that "
    "AGREE with Y, with prediction 1 where A > 0.5.": lambda A, Y: 1 - accuracy_reference(A, Y),
    "did you compare arrays of different shapes? A.T == Y broadcasts (m, 1) against (1, m) into an "
    "(m, m) table; keep both (1, m).": lambda A, Y: float(np.mean((A.T > 0.5) == Y)),
}


ACCURACY = Exercise("accuracy", accuracy_reference, _accuracy_cases, mistakes=ACCURACY_MISTAKES)


def check_accuracy(student: Callable) -> Feedback:
    """Check accuracy(A, Y) = mean((A > 0.5) == Y) on four fresh (A, Y) pairs."""
    return ACCURACY.check(student)


# --- count_parameters(layer_dims) ----------------------------------------------------------------

def count_parameters_reference(layer_dims):
    """Number of learnable numbers: sum over l = 1..L of n[l] * n[l-1] (W[l]) + n[l] (b[l]).

    layer_dims = [n[0], n[1], ..., n[L]] with n[0] = n_x.
    """
    return int(sum(layer_dims[l] * layer_dims[l - 1] + layer_dims[l] for l in range(1, len(layer_dims))))


NETWORKS = ((2, 50, 50, 1), (3, 4, 1), (2, 20, 3, 1), (5, 1), (2, 8, 8, 8, 1))


def _count_cases():
    """Each network's layer_dims as a new list, as a student passes it."""
    return [(list(dims),) for dims in NETWORKS]


def _pairs(dims):
    return [(dims[l - 1], dims[l]) for l in range(1, len(dims))]


COUNT_MISTAKES = {
    "did you forget the biases? Each layer l also has b[l], of shape (n[l], 1): n[l] more numbers.":
        lambda dims: sum(a * b for a, b in _pairs(dims)),
    "did you give each layer n[l-1] biases? b[l] has one entry per unit of layer l: shape (n[l], 1).":
        lambda dims: sum(a * b + a for a, b in _pairs(dims)),
    "did you stop one layer early? The layers with parameters are l = 1, ..., L — "
    "range(1, len(layer_dims)) in Python.":
        lambda dims: sum(a * b + b for a, b in _pairs(dims)[:-1]),
    "did you give the input layer parameters too? Layer 0 is the input x: it has no W or b.":
        lambda dims: count_parameters_reference(dims) + dims[0],
    "did you count units instead of parameters? W[l] alone holds n[l] × n[l-1] numbers.":
        lambda dims: sum(dims),
    "did you add the layer sizes instead of multiplying them? W[l] is (n[l], n[l-1]): "
    "n[l] × n[l-1] numbers.": lambda dims: sum(a + b + b for a, b in _pairs(dims)),
}


COUNT_PARAMETERS = Exercise("count_parameters", count_parameters_reference, _count_cases, mistakes=COUNT_MISTAKES,
                            rtol=0.0, atol=0.0)


def check_count_parameters(student: Callable) -> Feedback:
    """Check count_parameters(layer_dims) = sum_l n[l] n[l-1] + n[l] on five networks."""
    return COUNT_PARAMETERS.check(student)


EXERCISES = (ACCURACY, COUNT_PARAMETERS)

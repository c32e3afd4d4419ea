"""Checkers for notebook 04 (L2 in neural networks: the Frobenius norm).

``check_sum_frobenius_sq`` and ``check_l2_cost_network`` call the student's function and the
reference on a few fresh networks (made from a fixed seed, with non-zero biases so that a
penalized bias shows) and answer in one sentence, naming the likely slip.

Course convention: params = {"W1", "b1", ..., "WL", "bL"} with W[l] of shape (n[l], n[l-1]);
the L2 term is (lambd / 2m) * sum_l ||W[l]||_F^2 and biases are not penalized.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Exercise, Feedback, random_params

SEED = 4


def _layers(params) -> int:
    return len([key for key in params if key.startswith("W")])


NETWORKS = ([2, 5, 3, 1], [3, 4, 1], [2, 6, 6, 4, 1], [5, 2, 1])


# --- sum_frobenius_sq(params) --------------------------------------------------------------------

def sum_frobenius_sq_reference(params):
    """sum_l ||W[l]||_F^2 = sum_l sum_i sum_j (W[l]_ij)^2, biases left out."""
    return float(sum(np.sum(params[f"W{l}"] ** 2) for l in range(1, _layers(params) + 1)))


def _sum_cases():
    rng = np.random.default_rng([SEED, 1])
    return [(random_params(rng, dims),) for dims in NETWORKS]


def _weights(params):
    return [params[f"W{l}"] for l in range(1, _layers(params) + 1)]


SUM_FROBENIUS_MISTAKES = {
    "did you include the biases? Only the weight matrices W[l] are penalized, not b[l].":
        lambda p: float(sum(np.sum(x ** 2) for x in p.values())),
    "did you take a square root? The penalty uses the squared norms ‖W[l]‖_F², with no root.":
        lambda p: float(np.sqrt(sum_frobenius_sq_reference(p))),
    "did you add up ‖W[l]‖_F instead of ‖W[l]‖_F²? Square each layer's norm (or just don't take "
    "the root).": lambda p: float(sum(np.sqrt(np.sum(W ** 2)) for W in _weights(p))),
    "did you forget the last layer? The sum runs over l = 1, ..., L — range(1, L + 1) in Python.":
        lambda p: float(sum(np.sum(W ** 2) for W in _weights(p)[:-1])),
    "did you forget the first layer? The sum runs over l = 1, ..., L, starting with W1.":
        lambda p: float(sum(np.sum(W ** 2) for W in _weights(p)[1:])),
    "did you forget to square? ‖W‖_F² adds W_ij², not W_ij.":
        lambda p: float(sum(np.sum(W) for W in _weights(p))),
    "did you add |W_ij|? That is the L1 norm; the Frobenius norm squares the entries.":
        lambda p: float(sum(np.sum(np.abs(W)) for W in _weights(p))),
}


SUM_FROBENIUS_SQ = Exercise("sum_frobenius_sq", sum_frobenius_sq_reference, _sum_cases,
                            mistakes=SUM_FROBENIUS_MISTAKES)


def check_sum_frobenius_sq(student: Callable) -> Feedback:
    """Check sum_frobenius_sq(params) = sum_l ||W[l]||_F^2 (biases excluded)."""
    return SUM_FROBENIUS_SQ.check(student)


# --- l2_cost_network(data_loss, params, lambd, m) ------------------------------------------------

def l2_cost_network_reference(data_loss, params, lambd, m):
    """J = data_loss + (lambd / 2m) * sum_l ||W[l]||_F^2."""
    return data_loss + lambd / (2 * m) * sum_frobenius_sq_reference(params)


def _cost_cases():
    rng = np.random.default_rng([SEED, 2])
    settings = ((0.42, 0.7, 50), (0.31, 3.0, 211), (0.69, 0.1, 12), (0.05, 12.0, 300))
    return [(data_loss, random_params(rng, dims), lambd, m)
            for (data_loss, lambd, m), dims in zip(settings, NETWORKS)]


L2_COST_MISTAKES = {
    "did you divide by m instead of 2m? The L2 term is (λ/2m) Σ‖W[l]‖_F².":
        lambda d, p, lambd, m: d + lambd / m * sum_frobenius_sq_reference(p),
    "did you forget to add the data loss? J = data loss + penalty.":
        lambda d, p, lambd, m: lambd / (2 * m) * sum_frobenius_sq_reference(p),
    "did you include the biases? Only the weight matrices W[l] are penalized.":
        lambda d, p, lambd, m: d + lambd / (2 * m) * float(sum(np.sum(x ** 2) for x in p.values())),
    "did you forget to divide by m? The L2 term is (λ/2m) Σ‖W[l]‖_F².":
        lambda d, p, lambd, m: d + lambd / 2 * sum_frobenius_sq_reference(p),
    "did you use ‖W[l]‖_F without the square? The L2 term adds the squared norms.":
        lambda d, p, lambd, m: d + lambd / (2 * m) * float(sum(np.sqrt(np.sum(W ** 2)) for W in _weights(p))),
    "did you forget a layer? The sum runs over every W[l], l = 1, ..., L.":
        lambda d, p, lambd, m: d + lambd / (2 * m) * float(sum(np.sum(W ** 2) for W in _weights(p)[:-1])),
}


L2_COST_NETWORK = Exercise("l2_cost_network", l2_cost_network_reference, _cost_cases, mistakes=L2_COST_MISTAKES)


def check_l2_cost_network(student: Callable) -> Feedback:
    """Check l2_cost_network(data_loss, params, lambd, m) = data_loss + (lambd/2m) sum_l ||W[l]||_F^2."""
    return L2_COST_NETWORK.check(student)


EXERCISES = (SUM_FROBENIUS_SQ, L2_COST_NETWORK)

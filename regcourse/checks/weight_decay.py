"""Checkers for notebook 05, "Regularized backprop and weight decay".

    check_decay_factor(decay_factor)    decay_factor(alpha, lambd, m) = 1 - alpha lambd / m
    check_decay_update(decay_update)    decay_update(W, dW_bp, alpha, lambd, m)
                                          = (1 - alpha lambd / m) W - alpha dW_bp

Each calls the student's function on fresh inputs (made from a fixed seed, so the verdict is the
same on every run), compares with the reference and names the likely slip in one sentence.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Exercise, Feedback

SEED = 505


def decay_factor_reference(alpha, lambd, m):
    """The factor 1 - alpha * lambd / m that one L2 gradient step multiplies W by."""
    return 1.0 - alpha * lambd / m


def _decay_factor_cases():
    rng = np.random.default_rng(SEED)
    cases = []
    for _ in range(3):                 # alpha never 1, so "forgot alpha" can be told apart
        cases.append((float(np.round(rng.uniform(0.05, 0.9), 3)), float(np.round(rng.uniform(0.5, 20.0), 2)),
                      int(rng.integers(20, 500))))
    # and the notebook's worked example, alpha = lambd = 0.01, m = 10 000: 1 - 1e-8
    return cases + [(0.01, 0.01, 10_000)]


DECAY_FACTOR = Exercise(
    "decay_factor", decay_factor_reference, _decay_factor_cases,
    rtol=1e-12, atol=1e-15,   # the factor is within 1e-8 of 1: compare far below that
    mistakes={
        "did you divide by 2m? The cost has λ/2m, but its derivative (λ/m) W has no ½ left.":
            lambda a, lam, m: 1.0 - a * lam / (2 * m),
        "did you forget the learning rate α? The decay comes from the step α · (λ/m) W.":
            lambda a, lam, m: 1.0 - lam / m,
        "check the sign: the factor shrinks W, so it is 1 MINUS αλ/m.":
            lambda a, lam, m: 1.0 + a * lam / m,
        "you returned the shrinkage αλ/m; the factor that multiplies W is 1 − αλ/m.":
            lambda a, lam, m: a * lam / m,
    })


def check_decay_factor(decay_factor: Callable) -> Feedback:
    """Check decay_factor(alpha, lambd, m) = 1 - alpha * lambd / m on four fresh cases."""
    return DECAY_FACTOR.check(decay_factor)


def decay_update_reference(W, dW_bp, alpha, lambd, m):
    """One L2 step in weight-decay form: (1 - alpha * lambd / m) * W - alpha * dW_bp."""
    return (1.0 - alpha * lambd / m) * W - alpha * dW_bp


def _decay_update_cases():
    rng = np.random.default_rng(SEED + 1)
    cases = []
    for shape in ((3, 2), (4, 4), (1, 5), (6, 3)):
        W = rng.standard_normal(shape)
        dW_bp = 0.5 * rng.standard_normal(shape)
        cases.append((W, dW_bp, float(np.round(rng.uniform(0.05, 0.9), 3)),
                      float(np.round(rng.uniform(1.0, 30.0), 2)), int(rng.integers(10, 60))))
    return cases


DECAY_UPDATE = Exercise(
    "decay_update", decay_update_reference, _decay_update_cases,
    mistakes={
        "did you divide by 2m? The L2 gradient is (λ/m) W, so the factor is 1 − αλ/m.":
            lambda W, g, a, lam, m: (1.0 - a * lam / (2 * m)) * W - a * g,
        "did you forget α in the decay factor? It is 1 − αλ/m, not 1 − λ/m.":
            lambda W, g, a, lam, m: (1.0 - lam / m) * W - a * g,
        "did you forget α in front of dW_bp? The gradient step is − α dW_bp.":
            lambda W, g, a, lam, m: (1.0 - a * lam / m) * W - g,
        "check the sign of the gradient step: W moves AGAINST the gradient, − α dW_bp.":
            lambda W, g, a, lam, m: (1.0 - a * lam / m) * W + a * g,
        "check the sign of the decay: W is multiplied by 1 − αλ/m, which is below 1.":
            lambda W, g, a, lam, m: (1.0 + a * lam / m) * W - a * g,
        "you returned only the decayed weights; subtract the gradient step α dW_bp too.":
            lambda W, g, a, lam, m: (1.0 - a * lam / m) * W,
    })


def check_decay_update(decay_update: Callable) -> Feedback:
    """Check decay_update(W, dW_bp, alpha, lambd, m) = (1 - alpha lambd/m) W - alpha dW_bp."""
    return DECAY_UPDATE.check(decay_update)


EXERCISES = (DECAY_FACTOR, DECAY_UPDATE)

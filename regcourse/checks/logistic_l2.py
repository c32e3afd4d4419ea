"""Checkers for notebook 02 (L2 regularization for logistic regression).

``check_l2_cost`` checks ``l2_cost(w, b, X, Y, lambd)`` and ``check_l2_gradients`` checks
``l2_gradients(w, b, X, Y, lambd) -> (dw, db)``. Both run the student's function and a reference
on fresh problems made from a fixed seed — with a bias far from 0, so that penalizing b shows, and
a different m each time — and answer in one sentence, naming the likely slip.

Course convention: w is (n_x, 1), b a number, X is (n_x, m), Y is (1, m), yhat = sigmoid(w^T X + b);

    J(w, b) = (1/m) sum_i L(yhat_i, y_i) + (lambd / 2m) w^T w
    dw = (1/m) X (yhat - Y)^T + (lambd / m) w,        db = (1/m) sum_i (yhat_i - y_i)

and b is not penalized.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from . import Exercise, Feedback

SEED = 2


def _sigmoid(Z):
    return 1.0 / (1.0 + np.exp(-Z))


def _losses(w, b, X, Y):
    """The cross-entropy loss of every example, (1, m)."""
    A = _sigmoid(w.T @ X + b)
    return -(Y * np.log(A) + (1 - Y) * np.log(1 - A))


def _cases():
    """Four small problems: n_x, m, lambd and b vary; b is never near 0."""
    rng = np.random.default_rng([SEED, 1])
    cases = []
    for n_x, m, lambd, b in ((3, 10, 0.7, 1.3), (5, 37, 2.0, -0.8), (1, 8, 0.3, 2.1), (27, 120, 5.0, -1.6)):
        X = rng.normal(0.0, 1.0, (n_x, m))
        w = rng.normal(0.0, 0.6, (n_x, 1))
        Y = (rng.random((1, m)) < _sigmoid(w.T @ X + b)).astype(float)
        cases.append((w, b, X, Y, lambd))
    return cases


# --- l2_cost(w, b, X, Y, lambd) ------------------------------------------------------------------

def l2_cost_reference(w, b, X, Y, lambd):
    """J = (1/m) sum_i L(yhat_i, y_i) + (lambd / 2m) w^T w, a float."""
    m = Y.shape[1]
    return float(np.mean(_losses(w, b, X, Y)) + lambd / (2 * m) * (w.T @ w).item())


def _l2_cost_with(w, b, X, Y, lambd, *, data="mean", factor=0.5, square=True, with_b=False):
    m = Y.shape[1]
    data_part = np.sum(_losses(w, b, X, Y)) if data == "sum" else np.mean(_losses(w, b, X, Y))
    norm_sq = float(np.sum(w ** 2)) + (b * b if with_b else 0.0)
    return float(data_part + factor * lambd / m * (norm_sq if square else np.sqrt(norm_sq)))


L2_COST_MISTAKES = {
    "did you divide by m instead of 2m? The L2 term is (λ/2m) wᵀw.":
        partial(_l2_cost_with, factor=1.0),
    "did you penalize b too? Only w is in the L2 term: (λ/2m) wᵀw, no b².":
        partial(_l2_cost_with, with_b=True),
    "did you use the sum of the losses instead of their mean? The data part is (1/m) Σ L(ŷ, y).":
        partial(_l2_cost_with, data="sum"),
    "did you forget the L2 term? J adds (λ/2m) wᵀw to the data loss.":
        partial(_l2_cost_with, factor=0.0),
    "did you forget to divide the L2 term by m? It is (λ/2m) wᵀw.":
        lambda w, b, X, Y, lambd: _l2_cost_with(w, b, X, Y, lambd * Y.shape[1]),
    "did you use ‖w‖ instead of ‖w‖²? The L2 term has the squared norm wᵀw = Σ w_j².":
        partial(_l2_cost_with, square=False),
}


L2_COST = Exercise("l2_cost", l2_cost_reference, _cases, mistakes=L2_COST_MISTAKES)


def check_l2_cost(student: Callable) -> Feedback:
    """Check l2_cost(w, b, X, Y, lambd) = (1/m) Σ L + (lambd/2m) wᵀw on four fresh problems."""
    return L2_COST.check(student)


# --- l2_gradients(w, b, X, Y, lambd) -> (dw, db) -------------------------------------------------

def l2_gradients_reference(w, b, X, Y, lambd):
    """dw = (1/m) X (yhat - Y)^T + (lambd/m) w, shape (n_x, 1); db = (1/m) Σ (yhat - y), a float."""
    m = Y.shape[1]
    dZ = _sigmoid(w.T @ X + b) - Y
    return X @ dZ.T / m + lambd / m * w, float(np.mean(dZ))


def _gradients_with(w, b, X, Y, lambd, *, factor=1.0, with_b=False, data="mean"):
    m = Y.shape[1]
    dZ = _sigmoid(w.T @ X + b) - Y
    scale = 1.0 if data == "sum" else 1.0 / m
    dw = X @ dZ.T * scale + factor * lambd / m * w
    db = float(np.sum(dZ) * scale) + (lambd / m * b if with_b else 0.0)
    return dw, db


L2_GRADIENT_MISTAKES = {
    "did you forget the (λ/m) w term? The penalty (λ/2m) wᵀw adds (λ/m) w to dw.":
        lambda *a: _gradients_with(*a, factor=0.0),
    "did you penalize b? db has no penalty term, because b is not in (λ/2m) wᵀw.":
        lambda *a: _gradients_with(*a, with_b=True),
    "did you add λ w instead of (λ/m) w?":
        lambda w, b, X, Y, lambd: _gradients_with(w, b, X, Y, lambd * Y.shape[1]),
    "did you add (λ/2m) w? The derivative of (λ/2m) wᵀw is (λ/m) w: the 2 from the square cancels the 1/2.":
        lambda *a: _gradients_with(*a, factor=0.5),
    "did you forget the 1/m of the data part? dw = (1/m) X (ŷ − Y)ᵀ + (λ/m) w and db = (1/m) Σ (ŷ − y).":
        lambda *a: _gradients_with(*a, data="sum"),
    "did you transpose dw? dw = (1/m) X (ŷ − Y)ᵀ is a column, like w.":
        lambda *a: (l2_gradients_reference(*a)[0].T, l2_gradients_reference(*a)[1]),
    "did you forget to sum db over the examples? db is one number, (1/m) Σ (ŷ − y), because b is one number.":
        lambda w, b, X, Y, lambd: (l2_gradients_reference(w, b, X, Y, lambd)[0],
                                   (_sigmoid(w.T @ X + b) - Y) / Y.shape[1]),
    "did you return only dw? Return the pair (dw, db).": lambda *a: l2_gradients_reference(*a)[0],
}


L2_GRADIENTS = Exercise("l2_gradients", l2_gradients_reference, _cases, mistakes=L2_GRADIENT_MISTAKES,
                        parts=("dw", "db"), otherwise="compare your code with the formulas above.")


def check_l2_gradients(student: Callable) -> Feedback:
    """Check l2_gradients(w, b, X, Y, lambd) = (dw, db) on four fresh problems.

    dw and db are compared separately, so the sentence says which of the two is off and by how much.
    """
    return L2_GRADIENTS.check(student)


EXERCISES = (L2_COST, L2_GRADIENTS)

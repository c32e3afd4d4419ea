"""Penalty terms: the Frobenius norm, L2 and L1 terms, their gradients, the proximal step.

Conventions (the course's notation contract):

* L2 adds ``(lambd / 2m) * sum_l ||W[l]||_F^2`` to the cost; its gradient is ``(lambd / m) W[l]``.
* L1 adds ``(lambd / m) * sum_l sum_ij |W[l]_ij|``; its subgradient is ``(lambd / m) sign(W[l])``.
* Biases are never in `weights`: they are not penalized.

`weights` may be one matrix, a list of matrices, or a parameter dict (its ``W1, W2, ...`` are used).

Every formula below is written once, here; `network` and `logistic` call these same functions.
Each public function checks its input first (``@v.checked``); training loops, whose inputs were
checked once, call the same body as ``function.unchecked(...)``, where `lambd` may also be an
array that broadcasts over a stack of K networks, shape (K, 1, 1).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import _validate as v


# --- input checks, one per signature (the formulas below run on checked values) -------------------

def _matrix_args(W):
    return {"W": _weight("W", W)}


def _term_args(weights, lambd, m):
    return {"weights": _weights(weights), "lambd": v.lambd(lambd), "m": _m(m)}


def _gradient_args(W, lambd, m):
    return {"W": _weight("W", W), "lambd": v.lambd(lambd), "m": _m(m)}


def _threshold_args(W, threshold):
    return {"W": _weight("W", W, min_ndim=1), "threshold": v.scalar("threshold", threshold, minimum=0.0)}


def _decay_args(learning_rate, lambd, m):
    return {"learning_rate": v.positive("learning_rate", learning_rate), "lambd": v.lambd(lambd), "m": _m(m)}


# --- the formulas ------------------------------------------------------------------------------------

@v.checked(_matrix_args)
def frobenius_norm_sq(W) -> float | np.ndarray:
    """||W||_F^2 = sum_i sum_j W_ij^2 for W of shape (n[l], n[l-1]).

    The sum does not care about the order of the axes, so W and W.T give the same number.
    A stack of matrices (..., n[l], n[l-1]) gives one value per matrix.
    """
    return _number(np.sum(W * W, axis=(-2, -1)))


@v.checked(_matrix_args)
def frobenius_norm(W) -> float | np.ndarray:
    """||W||_F = sqrt(sum_ij W_ij^2)."""
    return np.sqrt(frobenius_norm_sq.unchecked(W))


@v.checked(_term_args)
def l2_penalty(weights, lambd: float, m: int) -> float | np.ndarray:
    """The L2 term of the cost: (lambd / 2m) * sum_l ||W[l]||_F^2 (one value per matrix of a stack)."""
    return _number(lambd / (2 * m) * sum(frobenius_norm_sq.unchecked(W) for W in weights))


@v.checked(_gradient_args)
def l2_gradient(W, lambd: float, m: int) -> np.ndarray:
    """d/dW of the L2 term: (lambd / m) * W. Backprop adds it to dW[l]; biases get nothing."""
    return lambd / m * W


@v.checked(_term_args)
def l1_penalty(weights, lambd: float, m: int) -> float | np.ndarray:
    """The L1 term of the cost: (lambd / m) * sum_l sum_ij |W[l]_ij| (one value per matrix of a stack)."""
    return _number(lambd / m * sum(np.abs(W).sum(axis=(-2, -1)) for W in weights))


@v.checked(_gradient_args)
def l1_subgradient(W, lambd: float, m: int) -> np.ndarray:
    """d/dW of the L1 term where W_ij != 0: (lambd / m) * sign(W); 0 is used at W_ij = 0.

    |w| has no derivative at 0, which is why L1 training here uses `soft_threshold` instead.
    """
    return lambd / m * np.sign(W)


@v.checked(_threshold_args)
def soft_threshold(W, threshold: float) -> np.ndarray:
    """The proximal step of the L1 term: shrink every entry towards 0 by `threshold`, stop at 0.

    prox(W)_ij = sign(W_ij) * max(|W_ij| - threshold, 0). Entries with |W_ij| <= threshold
    become exactly 0. After a gradient step on the data loss with learning rate alpha, the
    threshold for the L1 term (lambd / m) ||W||_1 is alpha * lambd / m.
    """
    return np.sign(W) * np.maximum(np.abs(W) - threshold, 0.0) + 0.0  # + 0.0 turns -0.0 into 0.0


@v.checked(_decay_args)
def decay_factor(learning_rate: float, lambd: float, m: int) -> float:
    """The weight-decay factor (1 - alpha * lambd / m) that multiplies W at every L2 step.

    Gradient descent on the L2 cost, W := W - alpha * (dW_backprop + (lambd / m) W), is the same
    as W := (1 - alpha * lambd / m) W - alpha * dW_backprop. At alpha * lambd / m >= 1 the factor is
    <= 0: every step flips the sign of W (or wipes it out), and training diverges.
    """
    return 1.0 - learning_rate * lambd / m


KINDS = ("l2", "l1")
PENALTY_TERMS = {"l2": l2_penalty, "l1": l1_penalty}           # kind -> its term of the cost
PENALTY_GRADIENTS = {"l2": l2_gradient, "l1": l1_subgradient}  # kind -> its term of dW


def _number(value):
    """A plain float for one network, the array for a stack (batched over lambd)."""
    return float(value) if np.ndim(value) == 0 else value


def _m(m) -> int:
    return v.integer("m", m, minimum=1)



def _weight(name, W, min_ndim=2) -> np.ndarray:
    """W as a finite float array with at least `min_ndim` axes (a matrix, or a stack of them)."""
    return v.as_matrix(name, W, ndim=max(np.ndim(W), min_ndim))


def _weights(weights) -> list[np.ndarray]:
    if isinstance(weights, Mapping):
        keys = sorted((k for k in weights if k.startswith("W")), key=lambda k: int(k[1:]))
        if not keys:
            raise ValueError(f"weights must hold W1, W2, ... when given as a dict, got keys {list(weights)}")
        return [_weight(k, weights[k]) for k in keys]
    if isinstance(weights, np.ndarray):
        return [_weight("weights", weights)]
    if isinstance(weights, (list, tuple)):
        if not weights:
            raise ValueError("weights must hold at least one matrix, got an empty sequence")
        return [_weight(f"weights[{i}]", W) for i, W in enumerate(weights)]
    raise TypeError(f"weights must be a matrix, a list of matrices or a parameter dict, "
                    f"got {type(weights).__name__}")

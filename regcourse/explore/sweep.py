"""The λ grid and the precomputed results of one (dataset, penalty) for every λ of it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _validate as v
from .. import plots


def default_lambdas(low: float = 1e-3, high: float = 1e2, per_decade: int = 5) -> np.ndarray:
    """0 followed by a log grid from `low` to `high`, rounded to two significant digits.

    The default has 27 values: 0, 0.001, 0.0016, 0.0025, 0.004, 0.0063, 0.01, ..., 63, 100.
    """
    low, high = v.positive("low", low), v.positive("high", high)
    per_decade = v.integer("per_decade", per_decade, minimum=1)
    n = int(round(per_decade * np.log10(high / low))) + 1
    grid = np.logspace(np.log10(low), np.log10(high), n)
    digits = 1 - np.floor(np.log10(grid)).astype(int)
    return np.concatenate([[0.0], [round(x, d) for x, d in zip(grid, digits)]])


def snap_lambda(lambdas, value: float) -> float:
    """The grid value nearest to `value` in log space; 0 (if on the grid) when value is 0 or below
    half the smallest positive grid value."""
    lambdas = np.asarray(lambdas, dtype=float)
    value = v.lambd(value)
    positive = lambdas[lambdas > 0]
    if (0.0 in lambdas) and (positive.size == 0 or value < positive.min() / 2):
        return 0.0
    if value == 0:
        return float(positive.min())
    return float(positive[np.argmin(np.abs(np.log(positive) - np.log(value)))])


# --- precomputed results for one (dataset, penalty) ------------------------------------------------

@dataclass
class Sweep:
    """Everything shown for one dataset and penalty, for every λ of the grid (index k)."""

    dataset: str
    penalty: str
    lambdas: np.ndarray
    X_train: np.ndarray
    Y_train: np.ndarray
    X_dev: np.ndarray
    Y_dev: np.ndarray
    grid: plots.Grid
    proba: np.ndarray                 # (K, r, r): P(y = 1) on the grid
    segments: list                    # K lists of (n, 2) arrays: the 0.5 contour
    train_accuracy: np.ndarray        # (K,)
    dev_accuracy: np.ndarray
    data_loss: np.ndarray             # training data loss (cross-entropy)
    penalty_value: np.ndarray         # the penalty term on the training set
    dev_data_loss: np.ndarray
    sum_frobenius_sq: np.ndarray      # Σ_l ‖W[l]‖_F² (‖w‖² for logistic regression)
    weights: list                     # K lists of weight matrices
    model: object = None              # the network Fit or the list of LogisticFit
    extra: dict = field(default_factory=dict)   # more per-λ numbers for `state`
    panel_data: dict = field(default_factory=dict)

    @property
    def best(self) -> int:
        """Index of the dev-optimal λ: highest dev accuracy, ties broken by the lower dev loss."""
        return int(np.lexsort((self.dev_data_loss, -self.dev_accuracy))[0])


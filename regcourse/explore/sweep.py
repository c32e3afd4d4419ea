"""The sweep: the λ grid, where an explorer's models come from, and what is precomputed for every λ.

An explorer asks its source for the datasets it offers, the data of a dataset and the models of a
(dataset, penalty):

    Generated   the explorer's own data (made from m, seed and noise, for any course dataset); every model
                is trained
    Given       a notebook's split and the models it already trained (from_fit / from_fits): those are
                shown as they are, and only a penalty the notebook did not hand over is trained. It also
                offers the course datasets (`course`, a Generated of the same size), trained on demand

Then `network_sweep` / `logistic_sweep` turn one (split, models) into a Sweep: every number and picture
of every λ, so that a slider move is only a lookup.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import _validate as v
from .. import data, network, plots


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


# --- where the data and the models come from --------------------------------------------------------

@dataclass(frozen=True)
class Generated:
    """The explorer's own data: ``data.load(dataset, m, seed, **options)`` split with `seed`; every model
    is trained by the explorer. `options` go to the datasets whose generator takes them all (e.g. flip:
    "two regions"; noise: "moons", "circles", "xor"); the others are made with their defaults. `noise`, when
    set, is every dataset's noise parameter (noise_parameter: "flip" for "two regions", else "noise")."""

    m: int
    seed: int
    options: dict
    dev: float
    test: float
    noise: float | None = None
    cannot_train = ""               # any penalty can be trained

    @property
    def datasets(self) -> tuple[str, ...]:
        return tuple(data.DATASETS)

    @property
    def course(self) -> Generated:
        """Where the course datasets come from: here."""
        return self

    def is_generated(self, dataset: str) -> bool:
        return True

    def start_for(self, dataset: str) -> dict:
        """Where a network's training starts: network.train(..., seed=seed)."""
        return {"seed": self.seed}

    def split(self, dataset: str) -> data.Split:
        options = self.options if set(self.options) <= dataset_options(dataset) else {}
        if self.noise is not None:
            options = {**options, noise_parameter(dataset): self.noise}
        X, Y = data.load(dataset, m=self.m, seed=self.seed, **options)
        return data.train_dev_test_split(X, Y, dev=self.dev, test=self.test, seed=self.seed)

    def noise_of(self, dataset: str) -> float:
        """The noise the dataset is made with: `noise`, else the one in `options`, else its generator's default."""
        name = noise_parameter(dataset)
        if self.noise is not None:
            return self.noise
        if name in self.options and set(self.options) <= dataset_options(dataset):
            return float(self.options[name])
        return float(inspect.signature(data.DATASETS[dataset]).parameters[name].default)

    def model(self, dataset: str, penalty: str):
        """The model handed over for (dataset, penalty): none, the explorer trains them all."""
        return None

    def cannot_train_on(self, dataset: str) -> str:
        return ""

    def with_course(self, course: Generated) -> Generated:
        return course


@dataclass(frozen=True)
class Given:
    """A notebook's split and the models it trained on it, one per penalty (from_fit / from_fits), and the
    course datasets beside it (`course`: made with the same m, dev and test fractions and seed)."""

    dataset: str                      # the name shown for the notebook's data (first in the dataset menu)
    data: data.Split
    models: dict                      # penalty -> the model for the explorer's λ grid (sorted)
    start: dict | None = None         # where the notebook's network training started (seed= or params=)
    cannot_train: str = ""            # why a penalty not in `models` cannot be trained ("" when it can)
    course: Generated | None = None   # the course datasets (None: the notebook's data alone)

    @property
    def datasets(self) -> tuple[str, ...]:
        """The notebook's data, then the course datasets (one of the same name is the notebook's)."""
        others = self.course.datasets if self.course is not None else ()
        return (self.dataset, *(name for name in others if name != self.dataset))

    def is_generated(self, dataset: str) -> bool:
        return dataset != self.dataset

    def start_for(self, dataset: str) -> dict | None:
        """Where a network's training starts: the notebook's start; on a course dataset, seed 0 without one."""
        return self.start if self.start is not None or dataset == self.dataset else {"seed": self.course.seed}

    def noise_of(self, dataset: str) -> float:
        return self.course.noise_of(dataset)

    def cannot_train_on(self, dataset: str) -> str:
        return self.cannot_train if dataset == self.dataset else ""

    def with_course(self, course: Generated) -> Given:
        return dataclasses.replace(self, course=course)

    @property
    def m(self) -> int:
        return sum(X.shape[1] for X in (self.data.X_train, self.data.X_dev, self.data.X_test))

    @property
    def seed(self) -> int | None:
        return (self.start or {}).get("seed")

    def split(self, dataset: str) -> data.Split:
        return self.data if dataset == self.dataset else self.course.split(dataset)

    def model(self, dataset: str, penalty: str):
        """The notebook's model for `penalty` on its data, or None when the explorer must train it."""
        return self.models.get(penalty) if dataset == self.dataset else None


def dataset_options(dataset: str) -> set[str]:
    """The keyword arguments of a dataset's generator besides m and seed."""
    return set(inspect.signature(data.DATASETS[dataset]).parameters) - {"m", "seed"}


def noise_parameter(dataset: str) -> str:
    """The name of a dataset's noise: "flip" (labels flipped) for "two regions", "noise" for the others."""
    return "flip" if "flip" in dataset_options(dataset) else "noise"


# --- everything shown for one (dataset, penalty) ---------------------------------------------------

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
    proba: np.ndarray                 # (K, r, r): P(y = 1) on the grid (0.5 where the run diverged)
    segments: list                    # K lists of (n, 2) arrays: the 0.5 contour
    train_accuracy: np.ndarray        # (K,)
    dev_accuracy: np.ndarray
    data_loss: np.ndarray             # training data loss (cross-entropy)
    penalty_value: np.ndarray         # the penalty term on the training set
    dev_data_loss: np.ndarray
    sum_frobenius_sq: np.ndarray      # Σ_l ‖W[l]‖_F² (‖w‖² for logistic regression)
    sum_abs: np.ndarray               # Σ_l Σ_ij |W[l]_ij| (‖w‖₁ for logistic regression)
    n_zero_weights: np.ndarray        # weights exactly 0
    weights: list                     # K lists of weight matrices
    diverged: np.ndarray              # (K,) bool: the run for this λ diverged (its numbers are not a result)
    divergence: tuple                 # K messages (None where the run did not diverge)
    model: object = None              # the network Fit or the list of LogisticFit
    prepared: dict = field(default_factory=dict)   # panel name -> what its Panel.prepare returned

    @functools.cached_property
    def n_weights(self) -> int:
        return sum(W.size for W in self.weights[0])

    @functools.cached_property
    def best(self) -> int:
        """Index of the dev-optimal λ among the runs that did not diverge: highest dev accuracy, ties
        broken by the lower dev loss (the smallest λ when every run diverged)."""
        order = np.lexsort((self.dev_data_loss, -self.dev_accuracy, self.diverged))
        return int(order[0])


Progress = Callable[[float], None]
GRID_CHUNK = 10_000     # grid points per forward pass of the K networks (K x n[l] x chunk numbers at a time)


def network_sweep(dataset: str, penalty: str, lambdas, split: data.Split, fit: network.Fit, resolution: int,
                  progress: Progress) -> Sweep:
    """Every number and picture of a batched network Fit over the λ grid."""
    grid = plots.grid_for(np.hstack([split.X_train, split.X_dev]), resolution)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        chunks = [fit.predict_proba(grid.points[:, i:i + GRID_CHUNK])        # (K, 1, chunk) each: bounded memory
                  for i in range(0, grid.points.shape[1], GRID_CHUNK)]
        proba = np.concatenate(chunks, axis=-1).reshape(len(lambdas), *grid.xx.shape)
        progress(0.85)
        cost, dev_cost = fit.cost(split.X_train, split.Y_train), fit.cost(split.X_dev, split.Y_dev)
        L = network.num_layers(fit.params)
        weights = [[fit.params[f"W{l}"][k] for l in range(1, L + 1)] for k in range(len(lambdas))]
        numbers = dict(train_accuracy=fit.accuracy(split.X_train, split.Y_train),
                       dev_accuracy=fit.accuracy(split.X_dev, split.Y_dev),
                       data_loss=cost.data_loss, penalty_value=cost.penalty, dev_data_loss=dev_cost.data_loss,
                       sum_frobenius_sq=fit.sum_frobenius_sq())
    return _finish(dataset, penalty, lambdas, split, grid, proba, numbers, weights, fit, progress,
                   getattr(fit, "diverged", None), getattr(fit, "divergence", None))


def logistic_sweep(dataset: str, penalty: str, lambdas, split: data.Split, fits: list, degree: int,
                   resolution: int, progress: Progress) -> Sweep:
    """Every number and picture of logistic regressions (one LogisticFit per λ) on polynomial features."""
    F, F_dev = (data.polynomial_features(X, degree) for X in (split.X_train, split.X_dev))
    grid = plots.grid_for(np.hstack([split.X_train, split.X_dev]), resolution)
    G = data.polynomial_features(grid.points, degree)
    W = np.array([f.w[:, 0] for f in fits])
    b = np.array([f.b for f in fits])
    proba = network.sigmoid(W @ G + b[:, None]).reshape(len(fits), *grid.xx.shape)
    costs = [f.cost(F, split.Y_train) for f in fits]
    numbers = dict(train_accuracy=[f.accuracy(F, split.Y_train) for f in fits],
                   dev_accuracy=[f.accuracy(F_dev, split.Y_dev) for f in fits],
                   data_loss=[c.data_loss for c in costs], penalty_value=[c.penalty for c in costs],
                   dev_data_loss=[f.cost(F_dev, split.Y_dev).data_loss for f in fits],
                   sum_frobenius_sq=np.sum(W ** 2, axis=1))
    progress(0.9)
    return _finish(dataset, penalty, lambdas, split, grid, proba, numbers, [[f.w] for f in fits], fits, progress)


def _finish(dataset, penalty, lambdas, split, grid, proba, numbers, weights, model, progress,
            diverged=None, divergence=None) -> Sweep:
    """Mark the diverged runs, add the 0.5 contours for every λ and wrap everything in a Sweep.

    A run diverged when its Fit says so (``fit.diverged``, ``fit.divergence``) or when any of its
    numbers is not finite; its picture is left blank (P = 0.5 everywhere, no boundary)."""
    K = len(lambdas)
    numbers = {key: np.atleast_1d(np.asarray(value, dtype=float)) for key, value in numbers.items()}
    broken = ~np.isfinite(proba.reshape(K, -1)).all(axis=1) | ~np.all([np.isfinite(x) for x in numbers.values()],
                                                                        axis=0)
    diverged = np.zeros(K, dtype=bool) if diverged is None else np.asarray(diverged, dtype=bool).reshape(K)
    divergence = [None] * K if divergence is None else list(divergence)
    for k in np.flatnonzero(broken & ~diverged):
        divergence[k] = "the run produced numbers that are not finite"
    diverged = diverged | broken
    proba = np.where(diverged[:, None, None], 0.5, proba)
    segments = []
    for k, P in enumerate(proba):
        segments.append([] if diverged[k] else plots.boundary_segments(grid.xx, grid.yy, P))
        progress(0.9 + 0.1 * (k + 1) / K)
    weights = [[np.nan_to_num(W, nan=0.0, posinf=0.0, neginf=0.0) for W in ws] if diverged[k] else ws
               for k, ws in enumerate(weights)]                                  # never drawn as NaN
    flat = [np.concatenate([W.ravel() for W in ws]) for ws in weights]
    return Sweep(dataset=dataset, penalty=penalty, lambdas=lambdas, X_train=split.X_train, Y_train=split.Y_train,
                 X_dev=split.X_dev, Y_dev=split.Y_dev, grid=grid, proba=proba, segments=segments, **numbers,
                 sum_abs=np.array([np.abs(w).sum() for w in flat]),
                 n_zero_weights=np.array([np.count_nonzero(w == 0) for w in flat]), weights=weights,
                 diverged=diverged, divergence=tuple(divergence), model=model)

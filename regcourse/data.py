"""Seeded 2-D datasets made on the spot, polynomial features and a train/dev/test split.

Every generator returns ``X`` of shape (2, m) and ``Y`` of shape (1, m) with labels 0/1:
examples are columns. Nothing is downloaded and nothing touches NumPy's global random state.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _validate as v


def make_moons(m: int = 300, noise: float = 0.2, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles; class 1 is the lower, shifted one."""
    m, noise, rng = _m(m), v.scalar("noise", noise, minimum=0.0), v.rng(seed)
    y = np.arange(m) % 2
    t = rng.uniform(0.0, np.pi, m)
    x1 = np.where(y == 0, np.cos(t), 1.0 - np.cos(t))
    x2 = np.where(y == 0, np.sin(t), 0.5 - np.sin(t))
    X = np.vstack([x1, x2]) + noise * rng.standard_normal((2, m))
    return _shuffled(X, y, rng)


def make_circles(m: int = 300, noise: float = 0.1, factor: float = 0.5, seed=0):
    """A small circle (class 1) inside a large one (class 0), radius ratio `factor`."""
    m, noise, rng = _m(m), v.scalar("noise", noise, minimum=0.0), v.rng(seed)
    factor = v.scalar("factor", factor, minimum=0.0, strict=True, maximum=1.0)
    y = np.arange(m) % 2
    t = rng.uniform(0.0, 2 * np.pi, m)
    r = np.where(y == 1, factor, 1.0)
    X = np.vstack([r * np.cos(t), r * np.sin(t)]) + noise * rng.standard_normal((2, m))
    return _shuffled(X, y, rng)


def make_two_regions(m: int = 300, flip: float = 0.1, seed=0):
    """Points in a square split by a wavy boundary, with a fraction `flip` of labels flipped.

    The flipped labels are the noise an unregularized model learns by heart: a field split
    into two halves where a few players stand on the wrong side.
    """
    m, rng = _m(m), v.rng(seed)
    flip = v.scalar("flip", flip, minimum=0.0, maximum=0.5)
    X = rng.uniform(-1.0, 1.0, (2, m))
    y = (X[1] > 0.35 * np.sin(2.5 * X[0]) - 0.1).astype(int)
    flipped = rng.random(m) < flip
    y = np.where(flipped, 1 - y, y)
    return X, y.reshape(1, m).astype(float)


def make_xor(m: int = 300, noise: float = 0.15, seed=0):
    """Four blobs on the corners of a square; opposite corners share a class."""
    m, noise, rng = _m(m), v.scalar("noise", noise, minimum=0.0), v.rng(seed)
    corners = rng.integers(0, 4, m)
    centres = np.array([[-0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [0.5, -0.5]]).T
    X = centres[:, corners] + noise * rng.standard_normal((2, m))
    y = (corners >= 2).astype(float)
    return X, y.reshape(1, m)


DATASETS = {
    "moons": make_moons,
    "circles": make_circles,
    "two regions": make_two_regions,
    "xor": make_xor,
}


def load(name: str, m: int = 300, seed=0, **options):
    """Make dataset `name` (one of ``DATASETS``) with `m` examples: returns (X, Y)."""
    v.choice("name", name, DATASETS)
    return DATASETS[name](m=m, seed=seed, **options)


def _m(m) -> int:
    return v.integer("m", m, minimum=2, maximum=v.MAX_EXAMPLES)


def _shuffled(X, y, rng):
    order = rng.permutation(X.shape[1])
    return X[:, order], y[order].reshape(1, -1).astype(float)


def polynomial_features(X, degree: int = 6) -> np.ndarray:
    """Map 2-D points to every monomial x1^i x2^j with 1 <= i + j <= `degree`.

    X is (2, m); the result is ((degree + 1)(degree + 2)/2 - 1, m): 27 rows for degree 6.
    The constant monomial is left out because the bias b plays that part.
    """
    X = v.examples_as_columns(X, n_x=2)
    degree = v.integer("degree", degree, minimum=1, maximum=v.MAX_DEGREE)
    x1, x2 = X
    with np.errstate(over="ignore", invalid="ignore"):
        rows = [x1 ** (d - j) * x2 ** j for d in range(1, degree + 1) for j in range(d + 1)]
    features = np.vstack(rows)
    if not np.all(np.isfinite(features)):
        largest = float(np.abs(X).max())
        raise ValueError(f"X has entries up to {largest:.3g}: their powers up to degree {degree} overflow float64 "
                         f"(the largest finite is about 1.8e308); scale X down or lower the degree")
    return features


class Split(NamedTuple):
    """Train, dev and test sets; each X is (n_x, m_part) and each Y is (1, m_part)."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_dev: np.ndarray
    Y_dev: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray


def train_dev_test_split(X, Y, dev: float = 0.2, test: float = 0.2, seed=0) -> Split:
    """Shuffle the examples (columns) and cut them into train / dev / test parts.

    `dev` and `test` are fractions of m; the rest is the training set. Each part keeps at
    least one example.
    """
    X, Y = v.examples_as_columns(X, Y)
    dev = v.scalar("dev", dev, minimum=0.0, maximum=1.0)
    test = v.scalar("test", test, minimum=0.0, maximum=1.0)
    if dev + test >= 1.0:
        raise ValueError(f"dev + test must be < 1 to leave a training set, got {dev + test:g}")
    m = X.shape[1]
    n_dev, n_test = round(dev * m), round(test * m)
    if m - n_dev - n_test < 1 or (dev > 0 and n_dev < 1) or (test > 0 and n_test < 1):
        raise ValueError(f"X has m = {m} examples, too few to split with dev={dev:g}, test={test:g}")
    order = v.rng(seed).permutation(m)
    parts = np.split(order, [m - n_dev - n_test, m - n_test])
    return Split(*(arr for idx in parts for arr in (X[:, idx], Y[:, idx])))
